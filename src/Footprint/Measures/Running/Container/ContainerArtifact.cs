using Footprint.FileSystem;
using Footprint.Formats.Compression;
using Footprint.Formats.Tar;
using Footprint.Sources;

namespace Footprint.Measures.Running.Container;

/// <summary>
/// Which artifacts `footprint boot` runs as containers: those the artifact opener opens as an image (kind family
/// <see cref="SourceFamily.Image"/>: docker-archive, OCI layout or archive, skopeo dir, a registry reference). Media,
/// initramfs, kernels and rootfs tarballs keep their QEMU plans. The test is cheap and made before anything is opened
/// for good: a transport prefix, a directory, a tar (or compressed tar) whose first members are an image archive's
/// (the opener's own probe), or text that is no existing path and reads as an image reference.
/// </summary>
public static class ContainerArtifact
{
    private static readonly string[] ImagePrefixes = [Sources.Registry.ImageReference.DockerTransport, "docker-archive:", "oci:", "oci-archive:", "dir:"];

    /// <summary>Whether <paramref name="reference"/> names a container image (without reading more than a few headers).</summary>
    public static bool IsImage(string reference)
    {
        if (ImagePrefixes.Any(p => reference.StartsWith(p, StringComparison.Ordinal)))
        {
            return true;
        }

        var (_, path, _) = ArtifactOpener.Split(reference);
        if (Directory.Exists(path))
        {
            return (File.Exists(Path.Combine(path, "oci-layout")) && File.Exists(Path.Combine(path, "index.json"))) || File.Exists(Path.Combine(path, "manifest.json"));
        }

        if (!File.Exists(path))
        {
            return ArtifactOpener.LooksLikeImageReference(path);
        }

        var head = new byte[512];
        int n;
        using (var file = File.OpenRead(path))
        {
            n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        return (TarArchiveReader.HasMagic(head.AsSpan(0, n)) || Decompression.Detect(head.AsSpan(0, n)) != CompressionKind.None)
            && ArtifactOpener.StartsLikeImageArchive(path);
    }

    /// <summary>Opens the image; null (with the source disposed) when the opener found something else after all.</summary>
    public static IArtifactSource? Open(string reference, List<FsWarning> warnings)
    {
        var source = ArtifactOpener.Open(reference, null, warnings);
        if (source.Kind.Family == SourceFamily.Image)
        {
            return source;
        }

        source.Dispose();
        return null;
    }
}
