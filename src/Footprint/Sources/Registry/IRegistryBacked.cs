namespace Footprint.Sources.Registry;

/// <summary>
/// The capability of an image read from a registry (<see cref="SourceKind.Registry"/>): its layers are fetched on
/// demand, so what a pull costs is known from the manifest alone (`measure --download-only`).
/// </summary>
public interface IRegistryBacked
{
    /// <summary>The reference, normalised (docker.io/library/alpine:3.20).</summary>
    ImageReference Reference { get; }

    /// <summary>HTTP requests sent so far to the registry and its token endpoint.</summary>
    int RequestCount { get; }
}
