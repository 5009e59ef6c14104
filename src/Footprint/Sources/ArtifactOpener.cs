using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Formats.Compression;
using Footprint.Sources.Common;
using Footprint.Sources.Directory;
using Footprint.Sources.DockerArchive;
using Footprint.Sources.Oci;
using Footprint.Sources.Rootfs;

namespace Footprint.Sources;

/// <summary>
/// Opens what the user named. The kind is found from content (magic bytes, marker files), never
/// from the file name; skopeo-style prefixes (docker-archive:, oci:, oci-archive:, dir:) force it.
/// A trailing ":tag" selects an image inside an OCI layout or a multi-image docker archive.
/// </summary>
public static class ArtifactOpener
{
    /// <summary>The name used for the running machine.</summary>
    public const string HostName = "host:/";

    public static IArtifactSource Open(string reference, Platform? platform, List<FsWarning> warnings)
    {
        if (reference is HostName or "/")
        {
            return new DirectorySource("/", isHost: true, warnings);
        }

        var (prefix, path, tag) = Split(reference);
        switch (prefix)
        {
            case "docker-archive":
                return DockerArchiveReader.Open(reference, new ArchiveBlobStore(ArchiveIndex.Read(Existing(path))), tag);
            case "oci":
                return OciLayout(reference, new DirectoryBlobStore(ExistingDirectory(path)), tag, platform, "oci-layout");
            case "oci-archive":
                return OciLayout(reference, new ArchiveBlobStore(ArchiveIndex.Read(Existing(path))), tag, platform, "oci-archive");
            case "dir":
                return OpenDirectory(reference, ExistingDirectory(path), tag, platform, warnings);
            case "host":
                return new DirectorySource(path.Length == 0 ? "/" : path, isHost: true, warnings);
            default:
                break;
        }

        if (System.IO.Directory.Exists(path))
        {
            return OpenDirectory(reference, path, tag, platform, warnings);
        }

        return OpenFile(reference, Existing(path), tag, platform);
    }

    private static IArtifactSource OpenDirectory(string reference, string path, string? tag, Platform? platform, List<FsWarning> warnings)
    {
        if (File.Exists(Path.Combine(path, "oci-layout")) && File.Exists(Path.Combine(path, "index.json")))
        {
            return OciLayout(reference, new DirectoryBlobStore(path), tag, platform, "oci-layout");
        }

        if (File.Exists(Path.Combine(path, "manifest.json")) && (File.Exists(Path.Combine(path, "repositories")) || LooksLikeDockerManifest(Path.Combine(path, "manifest.json"))))
        {
            return DockerArchiveReader.Open(reference, new DirectoryBlobStore(path), tag);
        }

        return new DirectorySource(path, isHost: false, warnings);
    }

    private static IArtifactSource OpenFile(string reference, string path, string? tag, Platform? platform)
    {
        var head = new byte[Composed.MediumOpener.HeadBytes];
        int n;
        long length;
        using (var f = File.OpenRead(path))
        {
            n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            length = f.Length;
        }

        // Media (ISO 9660, squashfs, initramfs, FAT, firmware) before archives: none of them is a tar, and an
        // initramfs is usually compressed like a rootfs tarball.
        if (!IsTar(head.AsSpan(0, n)) && Composed.MediumOpener.TryOpen(path, head.AsSpan(0, n), length) is { } medium)
        {
            return medium;
        }

        if (Decompression.Detect(head.AsSpan(0, n)) != CompressionKind.None)
        {
            // `docker save | gzip` is common: an image archive inside a compressed stream. Its members must be
            // read out of order (manifest.json comes last), so the decompressed archive is spooled to a temporary
            // file (deleted when done); the image's filesystem is still never extracted.
            if (StartsLikeImageArchive(path))
            {
                return SpooledImageArchive(reference, path, tag, platform);
            }

            return new RootfsTarSource(path);
        }

        if (!IsTar(head.AsSpan(0, n)))
        {
            throw new FootprintFormatException(path, 0, "not a recognised artifact (expected a tar, a compressed tar, an OCI layout, a directory, an ISO 9660, squashfs, initramfs, FAT or firmware image)");
        }

        // Decide from the first members, as for a compressed file: indexing the whole archive first would read
        // every header of a root filesystem twice (here, then again as its layer).
        if (!StartsLikeImageArchive(path))
        {
            return new RootfsTarSource(path);
        }

        var index = ArchiveIndex.Read(path);
        var store = new ArchiveBlobStore(index);
        if (index.Contains("manifest.json") || index.Contains("repositories"))
        {
            return DockerArchiveReader.Open(reference, store, tag);
        }

        if (index.Contains("oci-layout") && index.Contains("index.json"))
        {
            return OciLayout(reference, store, tag, platform, "oci-archive");
        }

        throw new FootprintFormatException(path, null, "starts like an image archive but has neither manifest.json, repositories nor oci-layout + index.json");
    }

    /// <summary>Member names an image archive starts with and a root filesystem never has at its top.</summary>
    internal static bool IsImageArchiveMember(string name)
    {
        var n = FileSystem.ImagePath.Normalize(name) ?? string.Empty;
        if (n is "manifest.json" or "repositories" or "oci-layout" or "index.json" or "blobs" or "blobs/sha256")
        {
            return true;
        }

        var slash = n.IndexOf('/');
        var first = slash < 0 ? n : n[..slash];
        if (first == "blobs")
        {
            return true;
        }

        var stem = first.EndsWith(".json", StringComparison.Ordinal) ? first[..^5] : first.EndsWith(".tar", StringComparison.Ordinal) ? first[..^4] : first;
        return stem.Length == 64 && stem.All(char.IsAsciiHexDigitLower);
    }

    /// <summary>True when the (possibly compressed) tar's first members are an image archive's (see <see cref="IsImageArchiveMember"/>).</summary>
    private static bool StartsLikeImageArchive(string path)
    {
        const int Probe = 8;
        try
        {
            using var file = File.OpenRead(path);
            using var data = Decompression.Open(file, path, DecompressionLimits.Default, out _);
            using var tar = new Formats.Tar.TarArchiveReader(data, path);
            var seen = 0;
            while (seen < Probe && tar.GetNextEntry() is { } entry)
            {
                // The archive's own root ("./", from `tar -C layout .`) says nothing either way.
                if (FileSystem.ImagePath.Normalize(entry.Name) is "")
                {
                    continue;
                }

                if (!IsImageArchiveMember(entry.Name))
                {
                    return false;
                }

                seen++;
            }

            return seen > 0;
        }
        catch (FootprintFormatException)
        {
            // Not an archive we can read as an image; the rootfs reader will report the problem with its offset.
            return false;
        }
    }

    private static IArtifactSource SpooledImageArchive(string reference, string path, string? tag, Platform? platform)
    {
        var spool = Path.Combine(Path.GetTempPath(), $"footprint-{Environment.ProcessId}-{Guid.NewGuid():N}.tar");
        try
        {
            using (var input = File.OpenRead(path))
            using (var data = Decompression.Open(input, path, DecompressionLimits.Default, out _))
            using (var output = new FileStream(spool, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                data.CopyTo(output, 1 << 20);
            }

            var index = ArchiveIndex.Read(spool);
            var store = new ArchiveBlobStore(index);
            IArtifactSource inner = index.Contains("manifest.json") || index.Contains("repositories")
                ? DockerArchiveReader.Open(reference, store, tag)
                : OciLayout(reference, store, tag, platform, "oci-archive");
            return new SpooledSource(inner, spool);
        }
        catch
        {
            File.Delete(spool);
            throw;
        }
    }

    private static ImageSource OciLayout(string reference, IBlobStore store, string? tag, Platform? platform, string kind)
    {
        var r = OciImageReader.Resolve(store, tag, platform);
        var layers = r.Layers.Select(l => (l, Digests.BlobPath(l.Digest)!)).ToList();
        return new ImageSource(kind, reference, store, r.Config, layers, r.ManifestBytes, r.ConfigBytes, r.ManifestDigest);
    }

    /// <summary>POSIX ustar ("ustar\0" or GNU "ustar  ") magic at offset 257, or an old V7 header with a valid checksum.</summary>
    internal static bool IsTar(ReadOnlySpan<byte> head)
    {
        if (head.Length < 512)
        {
            return false;
        }

        if (head.Slice(257, 5).SequenceEqual("ustar"u8))
        {
            return true;
        }

        return Formats.Tar.TarHeaderBlock.ChecksumMatches(head[..512], out _);
    }

    private static bool LooksLikeDockerManifest(string path)
    {
        var text = File.ReadAllText(path);
        return text.TrimStart().StartsWith('[') && text.Contains("\"Layers\"", StringComparison.Ordinal);
    }

    /// <summary>Splits "prefix:path:tag". A tag is only split off when the whole does not exist and the path before it does.</summary>
    internal static (string? Prefix, string Path, string? Tag) Split(string reference)
    {
        string? prefix = null;
        var rest = reference;
        foreach (var p in new[] { "docker-archive", "oci-archive", "oci", "dir", "host" })
        {
            if (reference.StartsWith(p + ":", StringComparison.Ordinal))
            {
                prefix = p;
                rest = reference[(p.Length + 1)..];
                break;
            }
        }

        if (!File.Exists(rest) && !System.IO.Directory.Exists(rest))
        {
            // The first colon whose left side exists ends the path: tags may hold '/' and ':' ("footprint/two:latest").
            for (var colon = rest.IndexOf(':'); colon > 0; colon = rest.IndexOf(':', colon + 1))
            {
                var candidate = rest[..colon];
                if (File.Exists(candidate) || System.IO.Directory.Exists(candidate))
                {
                    return (prefix, candidate, rest[(colon + 1)..]);
                }
            }
        }

        return (prefix, rest, null);
    }

    private static string Existing(string path)
        => File.Exists(path) ? path : throw new FileNotFoundException($"{path}: no such file");

    private static string ExistingDirectory(string path)
        => System.IO.Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"{path}: no such directory");
}
