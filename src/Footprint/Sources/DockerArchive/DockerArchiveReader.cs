using System.Text.Json;
using Footprint.Formats;
using Footprint.Sources.Common;
using Footprint.Sources.Oci;

namespace Footprint.Sources.DockerArchive;

/// <summary>
/// `docker save` / `podman save` / skopeo docker-archive: manifest.json lists the config and the
/// layer tars (stored uncompressed, so their push size must be computed). Archives written before
/// Docker 1.10 have no manifest.json; their layers are chained by "parent" in each &lt;id&gt;/json,
/// starting from the id the legacy `repositories` file names.
/// </summary>
internal static class DockerArchiveReader
{
    public static ImageSource Open(string location, IBlobStore store, string? tag)
    {
        if (store.Contains("manifest.json"))
        {
            return FromManifest(location, store, tag);
        }

        if (store.Contains("repositories"))
        {
            return FromLegacy(location, store, tag);
        }

        throw new FootprintFormatException(location, null, "not a docker archive: neither manifest.json nor repositories is present");
    }

    private static ImageSource FromManifest(string location, IBlobStore store, string? tag)
    {
        var json = store.ReadAll("manifest.json", Digests.MaxMetadataBytes);
        using var doc = OciImageReader.Parse(json, store.Describe("manifest.json"));
        if (doc.RootElement.ValueKind != JsonValueKind.Array || doc.RootElement.GetArrayLength() == 0)
        {
            throw new FootprintFormatException(store.Describe("manifest.json"), null, "expected a non-empty JSON array of images");
        }

        var images = doc.RootElement.EnumerateArray().ToList();
        var image = images[0];
        if (tag is not null)
        {
            image = images.FirstOrDefault(i => i.TryGetProperty("RepoTags", out var t) && t.ValueKind == JsonValueKind.Array
                && t.EnumerateArray().Any(x => x.GetString() is { } s && TagMatches(s, tag)));
            if (image.ValueKind == JsonValueKind.Undefined)
            {
                throw new FootprintFormatException(store.Describe("manifest.json"), null, $"no image is tagged '{tag}'");
            }
        }

        var configName = OciImageReader.Str(image, "Config") ?? throw new FootprintFormatException(store.Describe("manifest.json"), null, "image has no Config");
        if (!store.Contains(configName))
        {
            throw new FootprintFormatException(store.Describe("manifest.json"), null, $"Config points at '{configName}', which is missing");
        }

        var configBytes = store.ReadAll(configName, Digests.MaxMetadataBytes);
        var config = ImageConfig.Parse(configBytes, store.Describe(configName));
        var layers = new List<(LayerDescriptor, string)>();
        if (image.TryGetProperty("Layers", out var ls) && ls.ValueKind == JsonValueKind.Array)
        {
            foreach (var l in ls.EnumerateArray())
            {
                var name = l.GetString() ?? string.Empty;
                var length = store.LengthOf(name) ?? throw new FootprintFormatException(store.Describe("manifest.json"), null,
                    $"layer {layers.Count} points at '{name}', which is missing from the archive");
                var i = layers.Count;
                var diffId = i < config.DiffIds.Count ? config.DiffIds[i] : null;
                var digest = name.StartsWith("blobs/sha256/", StringComparison.Ordinal) ? "sha256:" + name["blobs/sha256/".Length..] : diffId;
                layers.Add((new LayerDescriptor(i, digest, diffId, null, length, store.Describe(name)), name));
            }
        }

        return new ImageSource("docker-archive", location, store, config, layers, null, configBytes.Length, null);
    }

    /// <summary>
    /// "latest", "footprint/two:latest" and "docker.io/footprint/two:latest" all name the RepoTag
    /// "docker.io/footprint/two:latest" (docker's reference normalisation: default registry docker.io,
    /// default namespace library/, default tag latest).
    /// </summary>
    internal static bool TagMatches(string repoTag, string wanted)
        => repoTag == wanted || repoTag.EndsWith(":" + wanted, StringComparison.Ordinal) || Normalize(repoTag) == Normalize(wanted);

    private static string Normalize(string reference)
    {
        var r = reference;
        if (r.StartsWith("docker.io/", StringComparison.Ordinal))
        {
            r = r["docker.io/".Length..];
        }

        if (r.StartsWith("library/", StringComparison.Ordinal))
        {
            r = r["library/".Length..];
        }

        var lastSlash = r.LastIndexOf('/');
        return r.IndexOf(':', lastSlash + 1) < 0 ? r + ":latest" : r;
    }

    private static ImageSource FromLegacy(string location, IBlobStore store, string? tag)
    {
        var repos = store.ReadAll("repositories", Digests.MaxMetadataBytes);
        using var doc = OciImageReader.Parse(repos, store.Describe("repositories"));
        string? top = null;
        foreach (var repo in doc.RootElement.EnumerateObject())
        {
            foreach (var t in repo.Value.EnumerateObject())
            {
                if (top is null || t.Name == tag || $"{repo.Name}:{t.Name}" == tag)
                {
                    top = t.Value.GetString();
                }
            }
        }

        if (top is null)
        {
            throw new FootprintFormatException(store.Describe("repositories"), null, "names no image");
        }

        var chain = new List<string>();
        ImageConfig? config = null;
        long configLength = 0;
        for (var id = top; id is not null;)
        {
            if (chain.Count > 256 || chain.Contains(id))
            {
                throw new FootprintFormatException(store.Describe(id + "/json"), null, "layer parent chain loops or is absurdly long");
            }

            chain.Add(id);
            var meta = store.ReadAll(id + "/json", Digests.MaxMetadataBytes);
            if (config is null)
            {
                config = ImageConfig.Parse(meta, store.Describe(id + "/json"));
                configLength = meta.Length;
            }

            using var m = OciImageReader.Parse(meta, store.Describe(id + "/json"));
            id = OciImageReader.Str(m.RootElement, "parent");
        }

        chain.Reverse();
        var layers = chain.Select((id, i) => (new LayerDescriptor(i, null, null, null, store.LengthOf(id + "/layer.tar") ?? 0, store.Describe(id + "/layer.tar")), id + "/layer.tar")).ToList();
        return new ImageSource("docker-archive", location, store, config!, layers, null, configLength, null);
    }
}
