using System.Runtime.InteropServices;
using System.Text.Json;
using Footprint.Formats;
using Footprint.Sources.Common;

namespace Footprint.Sources.Oci;

/// <summary>
/// Resolves index.json -> (nested index) -> manifest -> config + layers in an OCI image layout
/// (image-spec "image-layout.md"), picking the platform asked for or the host's.
/// </summary>
internal static class OciImageReader
{
    public const string IndexMediaType = "application/vnd.oci.image.index.v1+json";
    public const string DockerListMediaType = "application/vnd.docker.distribution.manifest.list.v2+json";

    public sealed record Resolved(string ManifestDigest, long ManifestBytes, string ConfigDigest, long ConfigBytes, ImageConfig Config, List<LayerDescriptor> Layers);

    public static Resolved Resolve(IBlobStore store, string? tag, Platform? platform)
    {
        if (!store.Contains("index.json"))
        {
            throw new FootprintFormatException(store.Describe("index.json"), null, "not an OCI image layout: index.json is missing");
        }

        var index = store.ReadAll("index.json", Digests.MaxMetadataBytes);
        var descriptor = Choose(store, "index.json", index, tag, platform, depth: 0);
        return ReadManifest(store, descriptor);
    }

    public static Platform HostPlatform()
    {
        var arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            Architecture.Arm => "arm",
            Architecture.X86 => "386",
            Architecture.Ppc64le => "ppc64le",
            Architecture.S390x => "s390x",
            Architecture.RiscV64 => "riscv64",
            Architecture.LoongArch64 => "loong64",
            _ => RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
        };
        return new Platform("linux", arch, arch == "arm64" ? "v8" : null);
    }

    private static (string Digest, long Size, string? MediaType) Choose(IBlobStore store, string where, byte[] json, string? tag, Platform? platform, int depth)
    {
        if (depth > 4)
        {
            throw new FootprintFormatException(store.Describe(where), null, "image indexes nest more than 4 deep");
        }

        using var doc = Parse(json, store.Describe(where));
        if (!doc.RootElement.TryGetProperty("manifests", out var manifests) || manifests.ValueKind != JsonValueKind.Array)
        {
            throw new FootprintFormatException(store.Describe(where), null, "index has no 'manifests' array");
        }

        var candidates = new List<(string Digest, long Size, string? MediaType, Platform? Platform, string? Ref)>();
        foreach (var m in manifests.EnumerateArray())
        {
            var digest = Str(m, "digest");
            if (!Digests.IsValid(digest))
            {
                throw new FootprintFormatException(store.Describe(where), null, $"manifest descriptor has a malformed digest '{digest}'");
            }

            Platform? p = null;
            if (m.TryGetProperty("platform", out var pl) && pl.ValueKind == JsonValueKind.Object)
            {
                p = new Platform(Str(pl, "os") ?? string.Empty, Str(pl, "architecture") ?? string.Empty, Str(pl, "variant"));
            }

            string? refName = null;
            if (m.TryGetProperty("annotations", out var an) && an.ValueKind == JsonValueKind.Object)
            {
                refName = Str(an, "org.opencontainers.image.ref.name") ?? Str(an, "io.containerd.image.name");
            }

            candidates.Add((digest!, m.TryGetProperty("size", out var s) && s.TryGetInt64(out var sz) ? sz : -1, Str(m, "mediaType"), p, refName));
        }

        if (tag is not null && depth == 0)
        {
            candidates = candidates.Where(c => c.Ref == tag || (c.Ref is { } r && r.EndsWith(":" + tag, StringComparison.Ordinal))).ToList();
            if (candidates.Count == 0)
            {
                throw new FootprintFormatException(store.Describe(where), null, $"no manifest is tagged '{tag}'");
            }
        }

        // Attestations and other non-images carry platform unknown/unknown: never pick them.
        candidates = candidates.Where(c => c.Platform is not { Os: "unknown" }).ToList();
        var wanted = platform ?? HostPlatform();
        var pick = candidates.Count switch
        {
            0 => throw new FootprintFormatException(store.Describe(where), null, "index lists no image manifest"),
            1 => candidates[0],
            _ => candidates.FirstOrDefault(c => c.Platform is { } p && p.Matches(wanted)) is { Digest: not null } hit
                ? hit
                : throw new FootprintFormatException(store.Describe(where), null,
                    $"no manifest for platform {wanted}; the index offers {string.Join(", ", candidates.Select(c => c.Platform?.ToString() ?? c.Ref ?? c.Digest))} (use --platform)"),
        };
        if (platform is not null && candidates.Count == 1 && pick.Platform is { } only && !only.Matches(platform))
        {
            throw new FootprintFormatException(store.Describe(where), null, $"no manifest for platform {platform}; the index offers {only}");
        }

        if (pick.MediaType is IndexMediaType or DockerListMediaType)
        {
            var path = Digests.BlobPath(pick.Digest)!;
            var nested = ReadBlob(store, path, pick.Digest, where);
            return Choose(store, path, nested, null, platform, depth + 1);
        }

        return (pick.Digest, pick.Size, pick.MediaType);
    }

    private static Resolved ReadManifest(IBlobStore store, (string Digest, long Size, string? MediaType) descriptor)
    {
        var path = Digests.BlobPath(descriptor.Digest)!;
        var manifest = ReadBlob(store, path, descriptor.Digest, "index.json");
        using var doc = Parse(manifest, store.Describe(path));
        var root = doc.RootElement;
        if (root.TryGetProperty("manifests", out _))
        {
            throw new FootprintFormatException(store.Describe(path), null, "expected an image manifest, found an index");
        }

        if (!root.TryGetProperty("config", out var cfg) || cfg.ValueKind != JsonValueKind.Object || !Digests.IsValid(Str(cfg, "digest")))
        {
            throw new FootprintFormatException(store.Describe(path), null, "manifest has no valid config descriptor");
        }

        var configDigest = Str(cfg, "digest")!;
        var configPath = Digests.BlobPath(configDigest)!;
        var configBytes = ReadBlob(store, configPath, configDigest, path);
        var config = ImageConfig.Parse(configBytes, store.Describe(configPath));
        var layers = new List<LayerDescriptor>();
        if (root.TryGetProperty("layers", out var ls) && ls.ValueKind == JsonValueKind.Array)
        {
            foreach (var l in ls.EnumerateArray())
            {
                var digest = Str(l, "digest");
                var blob = Digests.BlobPath(digest) ?? throw new FootprintFormatException(store.Describe(path), null, $"layer {layers.Count} has a malformed digest '{digest}'");
                var actual = store.LengthOf(blob) ?? throw new FootprintFormatException(store.Describe(path), null,
                    $"layer {layers.Count} points at blob {digest}, which is missing (expected {store.Describe(blob)})");
                var declared = l.TryGetProperty("size", out var s) && s.TryGetInt64(out var v) ? v : actual;
                if (declared != actual)
                {
                    throw new FootprintFormatException(store.Describe(blob), null, $"manifest says layer {layers.Count} is {declared} bytes, the blob is {actual}");
                }

                var diffId = layers.Count < config.DiffIds.Count ? config.DiffIds[layers.Count] : null;
                layers.Add(new LayerDescriptor(layers.Count, digest, diffId, Str(l, "mediaType"), actual, store.Describe(blob)));
            }
        }

        return new Resolved(descriptor.Digest, manifest.Length, configDigest, configBytes.Length, config, layers);
    }

    private static byte[] ReadBlob(IBlobStore store, string path, string digest, string referrer)
    {
        if (!store.Contains(path))
        {
            throw new FootprintFormatException(store.Describe(referrer), null, $"points at blob {digest}, which is missing (expected {store.Describe(path)})");
        }

        var bytes = store.ReadAll(path, Digests.MaxMetadataBytes);
        var actual = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        if (digest.StartsWith("sha256:", StringComparison.Ordinal) && actual != digest)
        {
            throw new FootprintFormatException(store.Describe(path), null, $"content digest is {actual}, not {digest} as referenced");
        }

        return bytes;
    }

    internal static JsonDocument Parse(byte[] json, string source)
    {
        // JsonElement.GetString throws on invalid UTF-8 inside strings; refuse such a document up front.
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw new FootprintFormatException(source, null, "not valid UTF-8");
        }

        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new FootprintFormatException(source, e.BytePositionInLine, "not valid JSON: " + e.Message, e);
        }
    }

    internal static string? Str(JsonElement e, string name)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
