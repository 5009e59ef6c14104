using System.Text.RegularExpressions;

namespace Footprint.Sources.Common;

/// <summary>Content digests as the OCI image spec writes them ("sha256:" + 64 lowercase hex).</summary>
internal static partial class Digests
{
    /// <summary>Metadata blobs (index, manifest, config) larger than this are refused: they are JSON of a few KiB.</summary>
    public const long MaxMetadataBytes = 16L << 20;

    [GeneratedRegex("^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? digest) => digest is not null && Pattern().IsMatch(digest);

    /// <summary>Blob path in an OCI layout; null for a malformed digest (which could otherwise name any file).</summary>
    public static string? BlobPath(string? digest)
        => IsValid(digest) ? "blobs/" + digest!.Replace(':', '/') : null;
}
