namespace Footprint.Measures.Download;

/// <summary>The OCI image manifest fields a push writes (image-spec manifest.md), in their usual order.</summary>
internal sealed record PushManifestDocument(int SchemaVersion, string MediaType, PushDescriptor Config, IReadOnlyList<PushDescriptor> Layers);
