using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Footprint.Sources.Image;

/// <summary>Content digests as the OCI image spec writes them ("sha256:" + 64 lowercase hex, or sha512 + 128).</summary>
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

    /// <summary>A hash of the algorithm <paramref name="digest"/> (a valid digest) names.</summary>
    public static IncrementalHash CreateHash(string digest)
        => IncrementalHash.CreateHash(digest.StartsWith("sha512:", StringComparison.Ordinal) ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);

    /// <summary>The digest of <paramref name="bytes"/>, with the algorithm <paramref name="like"/> uses.</summary>
    public static string Of(string like, ReadOnlySpan<byte> bytes)
    {
        using var hash = CreateHash(like);
        hash.AppendData(bytes);
        return Format(like, hash.GetHashAndReset());
    }

    /// <summary>"algorithm:hex", the algorithm taken from <paramref name="like"/>.</summary>
    public static string Format(string like, byte[] hash) => like[..like.IndexOf(':', StringComparison.Ordinal)] + ":" + Convert.ToHexStringLower(hash);
}
