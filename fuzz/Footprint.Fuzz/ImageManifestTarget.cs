using System.Security.Cryptography;
using System.Text;
using Footprint.FileSystem;
using Footprint.Pipeline;
using Footprint.Sources;

namespace Footprint.Fuzz;

/// <summary>
/// The OCI / docker image metadata path: index.json (or docker's manifest.json), the image manifest and the config,
/// then the one layer they name, read and verified against its digests. Input: four parts separated by NUL bytes,
/// <c>INDEX \0 MANIFEST \0 CONFIG \0 LAYER</c> (the layer is the rest, NULs and all). So that mutations reach past the
/// digest checks, the harness fills placeholders before writing the blobs: in CONFIG, <c>@D</c> is the layer's
/// sha256 (its diffID); in MANIFEST, <c>@C</c>/<c>@L</c> are the config and layer digests and <c>#C</c>/<c>#L</c>
/// their sizes; in INDEX, <c>@M</c>/<c>#M</c> are the manifest's digest and size. An INDEX starting with <c>[</c> is a
/// docker manifest.json instead, where <c>@c</c>/<c>@l</c> are the config and layer member names.
/// </summary>
internal static class ImageManifestTarget
{
    private static string? _root;

    internal static void Fuzz(byte[] input)
    {
        var parts = Split(input, 4);
        var index = parts.Count > 0 ? parts[0] : [];
        var manifest = parts.Count > 1 ? parts[1] : [];
        var config = parts.Count > 2 ? parts[2] : [];
        var layer = parts.Count > 3 ? parts[3] : [];

        _root ??= Directory.CreateTempSubdirectory("footprint-fuzz-image-").FullName;
        var dir = Path.Combine(_root, "image");
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(Path.Combine(dir, "blobs", "sha256"));
        var layerDigest = Blob(dir, layer);
        var configBytes = Replace(config, ("@D", layerDigest));
        var configDigest = Blob(dir, configBytes);
        var docker = index.Length > 0 && index[0] == (byte)'[';
        if (docker)
        {
            var names = Replace(index, ("@c", Member(configDigest)), ("@l", Member(layerDigest)));
            File.WriteAllBytes(Path.Combine(dir, "manifest.json"), names);
        }
        else
        {
            var manifestBytes = Replace(manifest, ("@C", configDigest), ("@L", layerDigest), ("#C", Size(configBytes)), ("#L", Size(layer)));
            var manifestDigest = Blob(dir, manifestBytes);
            File.WriteAllBytes(Path.Combine(dir, "index.json"), Replace(index, ("@M", manifestDigest), ("#M", Size(manifestBytes))));
            File.WriteAllText(Path.Combine(dir, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        }

        // The directory as given, and with a tag (exercises the tag listing and its messages).
        _ = MeasurePipeline.Measure(dir, new MeasureOptions { MeasurePushSize = false });
        try
        {
            using var tagged = ArtifactOpener.Open(dir + ":latest", null, new List<FsWarning>());
        }
        catch (Formats.FootprintFormatException)
        {
        }
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

    private static string Blob(string dir, byte[] bytes)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(bytes));
        File.WriteAllBytes(Path.Combine(dir, "blobs", "sha256", hex), bytes);
        return "sha256:" + hex;
    }

    private static string Member(string digest) => "blobs/sha256/" + digest["sha256:".Length..];

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
}
