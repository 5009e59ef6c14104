using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Formats.Compression;
using Footprint.Sources.Image;
using Footprint.Sources.Directory;
using Footprint.Sources.DockerArchive;
using Footprint.Sources.Oci;
using Footprint.Sources.Registry;
using Footprint.Sources.Rootfs;

namespace Footprint.Sources;

/// <summary>
/// Opens what the user named. The kind is found from content (magic bytes, marker files), never
/// from the file name; skopeo-style prefixes (docker-archive:, oci:, oci-archive:, dir:) force it.
/// A trailing ":tag" selects an image inside an OCI layout or a multi-image docker archive. What is no existing path
/// and reads as an image reference with a tag or digest ("alpine:3.20", "host:5000/team/app@sha256:...") or carries
/// the docker:// prefix is pulled from its registry (Sources/Registry); path-like text ("./x", "/x", "x.tar") never is.
/// </summary>
public static class ArtifactOpener
{
    /// <summary>The name used for the running machine.</summary>
    public const string HostName = "host:/";

    /// <summary>
    /// Opens <paramref name="reference"/>; <paramref name="limits"/> bound a compressed image archive's spool (default:
    /// <see cref="DecompressionLimits.Default"/>), <paramref name="registry"/> says how registries are spoken to.
    /// </summary>
    public static IArtifactSource Open(string reference, Platform? platform, List<FsWarning> warnings, DecompressionLimits? limits = null, RegistryOptions? registry = null)
    {
        if (reference.StartsWith(ImageReference.DockerTransport, StringComparison.Ordinal))
        {
            var pulled = ImageReference.TryParse(reference)
                ?? throw new ArgumentException($"{reference}: not an image reference (expected docker://[REGISTRY/]NAME[:TAG][@DIGEST])");
            return RegistrySource.Open(reference, pulled, platform, registry ?? RegistryOptions.Default, warnings);
        }

        if (reference is HostName or "/")
        {
            return new DirectorySource("/", isHost: true, warnings);
        }

        var (prefix, path, tag) = Split(reference);
        switch (prefix)
        {
            case "docker-archive":
                return DockerArchive(reference, new ArchiveBlobStore(ArchiveIndex.Read(Existing(path))), tag, warnings);
            case "oci":
                return OciLayout(reference, new DirectoryBlobStore(ExistingDirectory(path)), tag, platform, "oci-layout", warnings);
            case "oci-archive":
                return OciLayout(reference, new ArchiveBlobStore(ArchiveIndex.Read(Existing(path))), tag, platform, "oci-archive", warnings);
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

        if (prefix is null && tag is null && !File.Exists(path) && LooksLikeImageReference(path))
        {
            try
            {
                return RegistrySource.Open(reference, ImageReference.Parse(path), platform, registry ?? RegistryOptions.Default, warnings);
            }
            catch (RegistryException e)
            {
                // Read as a reference because no such path exists: a mistyped path must still hear that.
                throw new RegistryException($"{e.Message} (read as an image reference: no file or directory {reference} exists)", e);
            }
        }

        return OpenFile(reference, Existing(path), tag, platform, warnings, limits ?? DecompressionLimits.Default);
    }

    /// <summary>
    /// "alpine:3.20", "docker.io/library/alpine:3.20", "ghcr.io/o/r@sha256:..." (docker's reference grammar, with a
    /// tag or digest: a bare word is more likely a mistyped file name). Path-like text is never a reference: it starts
    /// with '.', '/' or '~', or its name ends like a file (x.tar, rootfs.tar.gz, live.iso).
    /// </summary>
    internal static bool LooksLikeImageReference(string text)
    {
        if (text.Length == 0 || text[0] is '.' or '/' or '~' || ImageReference.TryParse(text) is not { } parsed)
        {
            return false;
        }

        if (!text.Contains(':', StringComparison.Ordinal) && !text.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        var name = parsed.Repository[(parsed.Repository.LastIndexOf('/') + 1)..];
        return !FileLikeSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal));
    }

    /// <summary>Endings of artifact file names, which docker's grammar would also accept as repository names.</summary>
    private static readonly string[] FileLikeSuffixes =
        [".tar", ".tgz", ".gz", ".xz", ".zst", ".bz2", ".lz4", ".iso", ".img", ".sfs", ".squashfs", ".cpio", ".bin", ".json", ".oci", ".tcz", ".xzm", ".sb"];

    private static IArtifactSource OpenDirectory(string reference, string path, string? tag, Platform? platform, List<FsWarning> warnings)
    {
        if (File.Exists(Path.Combine(path, "oci-layout")) && File.Exists(Path.Combine(path, "index.json")))
        {
            return OciLayout(reference, new DirectoryBlobStore(path), tag, platform, "oci-layout", warnings);
        }

        if (File.Exists(Path.Combine(path, "manifest.json")) && (File.Exists(Path.Combine(path, "repositories")) || LooksLikeDockerManifest(Path.Combine(path, "manifest.json"))))
        {
            return DockerArchive(reference, new DirectoryBlobStore(path), tag, warnings);
        }

        return new DirectorySource(path, isHost: false, warnings);
    }

    private static IArtifactSource OpenFile(string reference, string path, string? tag, Platform? platform, List<FsWarning> warnings, DecompressionLimits limits)
    {
        var head = new byte[LiveMedia.MediumOpener.HeadBytes];
        int n;
        long length;
        using (var f = File.OpenRead(path))
        {
            n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            length = f.Length;
        }

        // A kernel image (bzImage by its setup header, or a vmlinux ELF with a Linux banner): no format below reads it.
        if (Kernel.KernelSource.TryOpen(path, head.AsSpan(0, n), length, limits) is { } kernel)
        {
            return kernel;
        }

        // Media (ISO 9660, squashfs, initramfs, FAT, firmware) before archives: none of them is a tar, and an
        // initramfs is usually compressed like a rootfs tarball.
        if (!Formats.Tar.TarArchiveReader.HasMagic(head.AsSpan(0, n)) && LiveMedia.MediumOpener.TryOpen(path, head.AsSpan(0, n), length) is { } medium)
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
                return SpooledImageArchive(reference, path, tag, platform, warnings, limits);
            }

            return new RootfsTarSource(path);
        }

        if (!Formats.Tar.TarArchiveReader.HasMagic(head.AsSpan(0, n)))
        {
            throw new FootprintFormatException(path, 0, "not a recognised artifact (expected a tar, a compressed tar, an OCI layout, a directory, an ISO 9660, squashfs, initramfs, FAT or firmware image)");
        }

        // Decide from the first members, as for a compressed file: indexing the whole archive first would read
        // every header of a root filesystem twice (here, then again as its layer).
        if (!StartsLikeImageArchive(path))
        {
            return new RootfsTarSource(path);
        }

        return ImageArchive(reference, path, new ArchiveBlobStore(ArchiveIndex.Read(path)), tag, platform, warnings);
    }

    /// <summary>A docker or OCI archive; the store is disposed when opening it fails.</summary>
    private static ImageSource ImageArchive(string reference, string path, ArchiveBlobStore store, string? tag, Platform? platform, List<FsWarning> warnings)
    {
        if (store.Contains("manifest.json") || store.Contains("repositories"))
        {
            return DockerArchive(reference, store, tag, warnings);
        }

        if (store.Contains("oci-layout") && store.Contains("index.json"))
        {
            return OciLayout(reference, store, tag, platform, "oci-archive", warnings);
        }

        store.Dispose();
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
    internal static bool StartsLikeImageArchive(string path)
    {
        const int Probe = 8;
        var seen = 0;
        try
        {
            using var file = File.OpenRead(path);
            using var data = Decompression.Open(file, path, DecompressionLimits.Default, out _);
            using var tar = new Formats.Tar.TarArchiveReader(data, path);
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
            // Image members first, then damage (or a layer past the bomb guard's limits): an image archive, whose reader
            // reports the problem. Nothing recognised: the rootfs reader reports it with its offset.
            return seen > 0;
        }
    }

    /// <summary>
    /// `docker save | gzip`: the image archive is decompressed into a spool file, because its members must be read out
    /// of order (manifest.json comes last). The file is unlinked the moment it is created and read through the open
    /// handle only (<see cref="ArchiveIndex"/> reads by position), so no exit, not even SIGKILL, leaves it behind:
    /// the kernel frees it when the handle closes. Its size is bounded by the decompression limits (ratio and
    /// <see cref="DecompressionLimits.MaxOutputBytes"/>), never by a number read from the input; a full disk is
    /// an error naming the temporary directory, not an assumption.
    /// </summary>
    private static ImageSource SpooledImageArchive(string reference, string path, string? tag, Platform? platform, List<FsWarning> warnings, DecompressionLimits limits)
    {
        var spoolPath = Path.Combine(Path.GetTempPath(), $"footprint-{Environment.ProcessId}-{Guid.NewGuid():N}.tar");
        var handle = File.OpenHandle(spoolPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        try
        {
            File.Delete(spoolPath);
            using (var input = File.OpenRead(path))
            using (var data = Decompression.Open(input, path, limits, out _))
            {
                Spool(data, handle, path, limits.MaxOutputBytes);
            }

            return ImageArchive(reference, path, new ArchiveBlobStore(ArchiveIndex.Read(handle, ownsHandle: true, path)), tag, platform, warnings);
        }
        catch
        {
            handle.Dispose();
            File.Delete(spoolPath);
            throw;
        }
    }

    private static void Spool(Stream data, Microsoft.Win32.SafeHandles.SafeFileHandle spool, string path, long maxBytes)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            long written = 0;
            int n;
            while ((n = data.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (written + n > maxBytes)
                {
                    throw new FootprintFormatException(path, null, $"decompresses to more than {maxBytes} bytes, the limit for spooling an image archive");
                }

                try
                {
                    RandomAccess.Write(spool, buffer.AsSpan(0, n), written);
                }
                catch (IOException e)
                {
                    throw new IOException($"{path}: cannot spool the decompressed image archive to {Path.GetTempPath()} after {written} bytes: {e.Message} (set TMPDIR to a directory with more space, or decompress the archive first)", e);
                }

                written += n;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ImageSource DockerArchive(string reference, IBlobStore store, string? tag, List<FsWarning> warnings)
    {
        try
        {
            return DockerArchiveReader.Open(reference, store, tag, warnings);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    private static ImageSource OciLayout(string reference, IBlobStore store, string? tag, Platform? platform, string kind, List<FsWarning> warnings)
    {
        try
        {
            var r = OciImageReader.Resolve(store, tag, platform, warnings);
            var layers = r.Layers.Select(l => (l, Digests.BlobPath(l.Digest)!)).ToList();
            return new ImageSource(kind, reference, store, r.Config, layers, r.ManifestBytes, r.ConfigBytes, r.ManifestDigest);
        }
        catch
        {
            store.Dispose();
            throw;
        }
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
