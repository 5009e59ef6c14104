using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Store;

/// <summary>OCI layouts written at test time from gzip tar layers, so two images can share base layers.</summary>
internal static class TestImages
{
    /// <summary>An OCI layout in <paramref name="directory"/> with one image per tag, each a list of gzip tar blobs (base first).</summary>
    public static string Layout(string directory, params (string Tag, byte[][] Layers)[] images) => Layout(directory, images, null);

    /// <summary>One image; <paramref name="configText"/>, when given, replaces the config written (to forge one).</summary>
    public static string Layout(string directory, (string Tag, byte[][] Layers) image, string? configText)
        => Layout(directory, [image], configText);

    private static string Layout(string directory, (string Tag, byte[][] Layers)[] images, string? configText)
    {
        var blobs = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        var manifests = new List<string>();
        foreach (var (tag, layers) in images)
        {
            var descriptors = new List<string>();
            var diffIds = new List<string>();
            foreach (var layer in layers)
            {
                descriptors.Add($$"""{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{Blob(blobs, layer)}}","size":{{layer.Length}}}""");
                diffIds.Add($"\"sha256:{Convert.ToHexStringLower(SHA256.HashData(Gunzip(layer)))}\"");
            }

            var config = configText is not null ? Encoding.UTF8.GetBytes(configText) : Encoding.UTF8.GetBytes($$$"""{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":[{{{string.Join(',', diffIds)}}}]}}""");
            var manifest = Encoding.UTF8.GetBytes($$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{Blob(blobs, config)}}}","size":{{{config.Length}}}},"layers":[{{{string.Join(',', descriptors)}}}]}""");
            manifests.Add($$$"""{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{Blob(blobs, manifest)}}}","size":{{{manifest.Length}}},"annotations":{"org.opencontainers.image.ref.name":"{{{tag}}}"}}""");
        }

        File.WriteAllText(Path.Combine(directory, "index.json"), $$"""{"schemaVersion":2,"manifests":[{{string.Join(',', manifests)}}]}""");
        return directory;
    }

    /// <summary>
    /// A small gzip layer that exercises what a tree holds beyond plain files: a hard link, a symlink, a whiteout of
    /// a base file, an opaque directory, a directory listed after its child, an empty file, a sparse-free big file.
    /// </summary>
    public static byte[] ExtraLayer(TempDir dir)
    {
        var root = dir.File("extra-root");
        Tool.Shell($"""
            mkdir -p '{root}/etc/extra' '{root}/usr/local/bin' '{root}/var/opaque' '{root}/bin'
            printf 'answer=42\n' > '{root}/etc/extra/extra.conf'
            : > '{root}/etc/extra/empty'
            head -c 20000 /dev/urandom > '{root}/usr/local/bin/blob'
            cp /bin/true '{root}/usr/local/bin/true-copy'
            ln '{root}/usr/local/bin/true-copy' '{root}/usr/local/bin/true-link'
            ln -s ../local/bin/true-copy '{root}/usr/local/bin/true-sym'
            touch '{root}/var/opaque/.wh..wh..opq' '{root}/bin/.wh.ls'
            printf 'NAME=extra\n' > '{root}/etc/extra-release'
            tar --sort=name --owner=1000 --group=1000 --mtime=@1700000000 -C '{root}' -czf '{dir.File("extra.tar.gz")}' .
            """);
        return File.ReadAllBytes(dir.File("extra.tar.gz"));
    }

    private static string Blob(string blobs, byte[] bytes)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(bytes));
        File.WriteAllBytes(Path.Combine(blobs, hex), bytes);
        return "sha256:" + hex;
    }

    private static byte[] Gunzip(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
