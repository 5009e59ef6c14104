namespace Footprint.Measures.Files;

/// <summary>One regular file of the squashed view (`sbom --files`): digests of its bytes and the packages that declare it.</summary>
public sealed record FileReport(string Path, long Bytes, int Layer, string Sha1, string Sha256, IReadOnlyList<string> OwnedBy);
