namespace Footprint.Sources;

/// <summary>
/// The capability of a source whose identity is not a manifest digest (a docker archive has none): a digest of the
/// metadata that, with its layers, decides everything measured about it. The whole-report cache keys on it.
/// </summary>
public interface IContentIdentity
{
    /// <summary>"sha256:HEX" over that metadata, or null when the source cannot name one.</summary>
    string? ContentDigest { get; }
}
