using System.Security.Cryptography;
using System.Text;
using Footprint.FileSystem;
using Footprint.Pipeline;
using Footprint.Sources;
using Footprint.Sources.Image;
using Footprint.Sources.DockerArchive;
using Footprint.Sources.Oci;

namespace Footprint.Fuzz;

/// <summary>
/// The OCI / docker image metadata path, in memory: index.json (or docker's manifest.json), the image manifest and the
/// config, then the one layer they name, read and verified against its digests (<see cref="ArtifactLoader"/> with no
/// analyzers). Input: four parts separated by NUL bytes, <c>INDEX \0 MANIFEST \0 CONFIG \0 LAYER</c> (the layer is the
/// rest, NULs and all). So that mutations reach past the digest checks, the harness fills placeholders before storing
/// the blobs: in CONFIG, <c>@D</c> is the layer's sha256 (its diffID when stored uncompressed); in MANIFEST, <c>@C</c>/<c>@L</c>
/// are the config and layer digests and <c>#C</c>/<c>#L</c> their sizes; in INDEX, <c>@M</c>/<c>#M</c> are the manifest's
/// digest and size. An INDEX starting with <c>[</c> is a docker manifest.json instead, where <c>@c</c>/<c>@l</c> are the
/// config and layer member names. Each input is opened without a tag, then with the tag "latest".
/// </summary>
internal static class ImageManifestTarget
{
    internal static void Fuzz(byte[] input)
    {
        var parts = Split(input, 4);
        var index = parts[0];
        var manifest = parts.Count > 1 ? parts[1] : [];
        var config = parts.Count > 2 ? parts[2] : [];
        var layer = parts.Count > 3 ? parts[3] : [];

        var store = new MemoryBlobStore();
        var layerDigest = store.AddBlob(layer);
        var configBytes = Replace(config, ("@D", layerDigest));
        var configDigest = store.AddBlob(configBytes);
        var docker = index.Length > 0 && index[0] == (byte)'[';
        if (docker)
        {
            store.Add("manifest.json", Replace(index, ("@c", MemoryBlobStore.Member(configDigest)), ("@l", MemoryBlobStore.Member(layerDigest))));
        }
        else
        {
            var manifestBytes = Replace(manifest, ("@C", configDigest), ("@L", layerDigest), ("#C", Size(configBytes)), ("#L", Size(layer)));
            var manifestDigest = store.AddBlob(manifestBytes);
            store.Add("index.json", Replace(index, ("@M", manifestDigest), ("#M", Size(manifestBytes))));
        }

        foreach (var tag in new[] { null, "latest" })
        {
            var warnings = new List<FsWarning>();
            try
            {
                using var source = docker ? DockerArchiveReader.Open("fuzz", store, tag, warnings) : Open(store, tag, warnings);
                _ = new ArtifactLoader([], new LayerReadOptions { MeasurePushSize = false }).Load(source, warnings);
                _ = LayerVerification.Summarize(source, verify: true, warnings);
            }
            catch (Formats.FootprintFormatException) when (tag is null)
            {
                // Rejected without a tag: still try with one (the tag listing and its messages).
            }
        }
    }

    private static ImageSource Open(MemoryBlobStore store, string? tag, List<FsWarning> warnings)
    {
        var r = OciImageReader.Resolve(store, tag, null, warnings);
        var layers = r.Layers.Select(l => (l, Digests.BlobPath(l.Digest)!)).ToList();
        return new ImageSource("oci-layout", "fuzz", store, r.Config, layers, r.ManifestBytes, r.ConfigBytes, r.ManifestDigest);
    }

    private static List<byte[]> Split(byte[] input, int count)
    {
        var parts = new List<byte[]>();
        var start = 0;
        while (parts.Count < count - 1)
        {
            var nul = Array.IndexOf(input, (byte)0, start);
            if (nul < 0)
            {
                break;
            }

            parts.Add(input[start..nul]);
            start = nul + 1;
        }

        parts.Add(input[start..]);
        return parts;
    }

    private static string Size(byte[] bytes) => bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Replace(byte[] text, params (string From, string To)[] replacements)
    {
        if (text.Length == 0)
        {
            return text;
        }

        // Latin-1 maps every byte to one char and back, so non-UTF-8 input survives the replacement unchanged.
        var s = Encoding.Latin1.GetString(text);
        foreach (var (from, to) in replacements)
        {
            s = s.Replace(from, to, StringComparison.Ordinal);
        }

        return Encoding.Latin1.GetBytes(s);
    }

    /// <summary>Named files in memory, looked up the way <see cref="DirectoryBlobStore"/> does (normalised names).</summary>
    private sealed class MemoryBlobStore : IBlobStore
    {
        private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);

        public static string Member(string digest) => "blobs/sha256/" + digest["sha256:".Length..];

        public string AddBlob(byte[] bytes)
        {
            var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
            _files[Member(digest)] = bytes;
            return digest;
        }

        public void Add(string name, byte[] bytes) => _files[name] = bytes;

        public string Describe(string name) => "fuzz!" + name;

        public bool Contains(string name) => Find(name) is not null;

        public long? LengthOf(string name) => Find(name)?.Length;

        public Stream Open(string name) => new MemoryStream(Find(name) ?? throw new FileNotFoundException(name), writable: false);

        public byte[] ReadAll(string name, long maxBytes)
        {
            var bytes = Find(name) ?? throw new FileNotFoundException(name);
            return bytes.Length > maxBytes ? throw new Formats.FootprintFormatException(Describe(name), null, "too large for metadata") : bytes;
        }

        public void Dispose()
        {
        }

        private byte[]? Find(string name)
            => ImagePath.Normalize(name) is { Length: > 0 } n && _files.TryGetValue(n, out var bytes) ? bytes : null;
    }
}
