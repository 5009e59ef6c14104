using System.Runtime.InteropServices;
using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Sources.Image;

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

    public static Resolved Resolve(IBlobStore store, string? tag, Platform? platform, List<FsWarning> warnings)
    {
        if (!store.Contains("index.json"))
        {
            throw new FootprintFormatException(store.Describe("index.json"), null, "not an OCI image layout: index.json is missing");
        }

        var index = store.ReadAll("index.json", Digests.MaxMetadataBytes);
        var descriptor = Choose(store, "index.json", index, tag, platform, depth: 0);
        return ReadManifest(store, descriptor, warnings);
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

    private sealed record Candidate(string Digest, long? Size, string? MediaType, Platform? Platform, string? Ref);

    private static (string Digest, long? Size, string? MediaType) Choose(IBlobStore store, string where, byte[] json, string? tag, Platform? platform, int depth)
    {
        var file = store.Describe(where);
        if (depth > 4)
        {
            throw new FootprintFormatException(file, null, "image indexes nest more than 4 deep");
        }

        using var doc = JsonFields.Parse(json, file);
        var root = JsonFields.Root(doc, file).AsObject();
        var candidates = new List<Candidate>();
        foreach (var m in root.Required("manifests").Items(ImageLimits.MaxManifests))
        {
            m.AsObject();
            var digest = ValidDigest(m.Required("digest"));
            var p = Platform.OfIndexEntry(m);
            var annotations = m.OptionalObject("annotations");
            var refName = annotations?.OptionalString("org.opencontainers.image.ref.name") ?? annotations?.OptionalString("io.containerd.image.name");
            candidates.Add(new Candidate(digest, m.OptionalSize("size"), m.OptionalString("mediaType"), p, refName));
        }

        if (depth == 0)
        {
            candidates = PickTag(file, candidates, tag);
        }

        // Attestations and other non-images carry platform unknown/unknown: never pick them.
        candidates = candidates.Where(c => c.Platform is not { Os: "unknown" }).ToList();
        var wanted = platform ?? HostPlatform();
        var pick = candidates.Count switch
        {
            0 => throw new FootprintFormatException(file, null, "index lists no image manifest"),
            1 => candidates[0],
            _ => candidates.FirstOrDefault(c => c.Platform is { } p && p.Matches(wanted))
                ?? throw new FootprintFormatException(file, null,
                    $"no manifest for platform {wanted}; the index offers {string.Join(", ", candidates.Select(c => c.Platform?.ToString() ?? c.Ref ?? c.Digest))} (use --platform)"),
        };
        if (platform is not null && candidates.Count == 1 && pick.Platform is { } only && !only.Matches(platform))
        {
            throw new FootprintFormatException(file, null, $"no manifest for platform {platform}; the index offers {only}");
        }

        if (pick.MediaType is IndexMediaType or DockerListMediaType)
        {
            var path = Digests.BlobPath(pick.Digest)!;
            var nested = ReadBlob(store, path, pick.Digest, pick.Size, where);
            return Choose(store, path, nested, null, platform, depth + 1);
        }

        return (pick.Digest, pick.Size, pick.MediaType);
    }

    /// <summary>
    /// The manifests tagged <paramref name="tag"/>. Without a tag, a layout holding several tagged images is ambiguous
    /// (picking by platform would silently measure one of them): the user is told to write PATH:TAG, with the tags.
    /// </summary>
    private static List<Candidate> PickTag(string file, List<Candidate> candidates, string? tag)
    {
        var tags = candidates.Select(c => c.Ref).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (tag is null)
        {
            if (tags.Count > 1)
            {
                throw new FootprintFormatException(file, null, $"the layout holds {tags.Count} tagged images; use PATH:TAG to choose one of: {ListTags(tags)}");
            }

            return candidates;
        }

        var tagged = candidates.Where(c => c.Ref == tag || (c.Ref is { } r && r.EndsWith(":" + tag, StringComparison.Ordinal))).ToList();
        if (tagged.Count == 0)
        {
            throw new FootprintFormatException(file, null,
                tags.Count == 0 ? $"no manifest is tagged '{tag}' (the index has no tags)" : $"no manifest is tagged '{tag}'; tags: {ListTags(tags)}");
        }

        return tagged;
    }

    /// <summary>At most 20 tags, in the order the index lists them.</summary>
    internal static string ListTags(IReadOnlyList<string> tags)
        => string.Join(", ", tags.Take(20)) + (tags.Count > 20 ? $" and {tags.Count - 20} more" : string.Empty);

    private static Resolved ReadManifest(IBlobStore store, (string Digest, long? Size, string? MediaType) descriptor, List<FsWarning> warnings)
    {
        var path = Digests.BlobPath(descriptor.Digest)!;
        var file = store.Describe(path);
        var manifest = ReadBlob(store, path, descriptor.Digest, descriptor.Size, "index.json");
        using var doc = JsonFields.Parse(manifest, file);
        var root = JsonFields.Root(doc, file).AsObject();
        if (root.Get("manifests") is not null)
        {
            throw new FootprintFormatException(file, null, "expected an image manifest, found an index");
        }

        var cfg = root.Required("config").AsObject();
        var configDigest = ValidDigest(cfg.Required("digest"));
        var configPath = Digests.BlobPath(configDigest)!;
        var configBytes = ReadBlob(store, configPath, configDigest, cfg.OptionalSize("size"), path);
        var config = ImageConfig.Parse(configBytes, store.Describe(configPath));

        var list = ManifestLayers.Read(root, config, file, store.Describe(configPath), warnings);

        var layers = new List<LayerDescriptor>();
        foreach (var l in list)
        {
            l.AsObject();
            var i = layers.Count;
            var digest = ValidDigest(l.Required("digest"));
            var blob = Digests.BlobPath(digest)!;
            var actual = store.LengthOf(blob) ?? throw new FootprintFormatException(file, null,
                $"layer {i} points at blob {digest}, which is missing (expected {store.Describe(blob)})");
            var declared = l.OptionalSize("size") ?? actual;
            if (declared != actual)
            {
                throw new FootprintFormatException(store.Describe(blob), null, $"manifest says layer {i} is {declared} bytes, the blob is {actual}");
            }

            layers.Add(new LayerDescriptor(i, digest, config.DiffIds[i], l.OptionalString("mediaType"), actual, store.Describe(blob)) { BlobDigest = digest });
        }

        return new Resolved(descriptor.Digest, manifest.Length, configDigest, configBytes.Length, config, layers);
    }

    private static string ValidDigest(JsonFields field)
    {
        var digest = field.AsString();
        return Digests.IsValid(digest) ? digest : throw field.Error("not a digest (expected sha256: and 64 lowercase hex digits)");
    }

    private static byte[] ReadBlob(IBlobStore store, string path, string digest, long? size, string referrer)
    {
        var length = store.LengthOf(path) ?? throw new FootprintFormatException(store.Describe(referrer), null,
            $"points at blob {digest}, which is missing (expected {store.Describe(path)})");
        if (size is { } declared && declared != length)
        {
            throw new FootprintFormatException(store.Describe(path), null, $"{store.Describe(referrer)} says blob {digest} is {declared} bytes, it is {length}");
        }

        var bytes = store.ReadAll(path, Digests.MaxMetadataBytes);
        var actual = Digests.Of(digest, bytes);
        if (actual != digest)
        {
            throw new FootprintFormatException(store.Describe(path), null, $"content digest is {actual}, not {digest} as referenced");
        }

        return bytes;
    }
}
