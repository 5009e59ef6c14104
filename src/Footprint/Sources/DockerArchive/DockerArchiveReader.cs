using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Sources.Image;
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
    public static ImageSource Open(string location, IBlobStore store, string? tag, List<FsWarning> warnings)
    {
        if (store.Contains("manifest.json"))
        {
            return FromManifest(location, store, tag, warnings);
        }

        if (store.Contains("repositories"))
        {
            return FromLegacy(location, store, tag, warnings);
        }

        throw new FootprintFormatException(location, null, "not a docker archive: neither manifest.json nor repositories is present");
    }

    private static ImageSource FromManifest(string location, IBlobStore store, string? tag, List<FsWarning> warnings)
    {
        var file = store.Describe("manifest.json");
        var json = store.ReadAll("manifest.json", Digests.MaxMetadataBytes);
        using var doc = JsonFields.Parse(json, file);
        var images = JsonFields.Root(doc, file).Items(ImageLimits.MaxListItems).Select(i => i.AsObject()).ToList();
        if (images.Count == 0)
        {
            throw new FootprintFormatException(file, null, "$: expected a non-empty array of images, found an empty one");
        }

        var tags = images.Select(i => i.OptionalStrings("RepoTags", ImageLimits.MaxListItems) ?? []).ToList();
        var image = images[0];
        if (tag is null && images.Count > 1)
        {
            // Taking the first would silently measure one of several images (docker save a b): say how to choose.
            var all = tags.SelectMany(t => t).Distinct(StringComparer.Ordinal).ToList();
            throw new FootprintFormatException(file, null, all.Count == 0
                ? $"the archive holds {images.Count} images and none is tagged, so none can be chosen"
                : $"the archive holds {images.Count} images; use PATH:TAG to choose one of: {OciImageReader.ListTags(all)}");
        }

        if (tag is not null)
        {
            var at = tags.FindIndex(t => t.Any(s => TagMatches(s, tag)));
            if (at < 0)
            {
                var all = tags.SelectMany(t => t).Distinct(StringComparer.Ordinal).ToList();
                throw new FootprintFormatException(file, null,
                    all.Count == 0 ? $"no image is tagged '{tag}' (the archive has no RepoTags)" : $"no image is tagged '{tag}'; tags: {OciImageReader.ListTags(all)}");
            }

            image = images[at];
        }

        var configName = image.RequiredString("Config");
        if (!store.Contains(configName))
        {
            throw new FootprintFormatException(file, null, $"{image.Path}.Config points at '{configName}', which is missing");
        }

        var configBytes = store.ReadAll(configName, Digests.MaxMetadataBytes);
        if (BlobDigest(configName) is { } configDigest && Digests.Of(configDigest, configBytes) is var actualConfig && actualConfig != configDigest)
        {
            throw new FootprintFormatException(store.Describe(configName), null, $"content digest is {actualConfig}, not {configDigest} as its name says");
        }

        var config = ImageConfig.Parse(configBytes, store.Describe(configName));
        var names = image.Required("Layers").Items(ImageLimits.MaxLayers).ToList();
        if (names.Count != config.DiffIds.Count)
        {
            throw new FootprintFormatException(file, null,
                $"{image.Path}.Layers lists {names.Count} layers but the config ({store.Describe(configName)}) has {config.DiffIds.Count} rootfs.diff_ids");
        }

        if (names.Count == 0)
        {
            warnings.Add(new FsWarning("image-has-no-layers", "the manifest lists no layers: the image is empty", file, null, null));
        }

        var layers = new List<(LayerDescriptor, string)>();
        foreach (var l in names)
        {
            var name = l.AsString();
            var i = layers.Count;
            var length = store.LengthOf(name) ?? throw new FootprintFormatException(file, null,
                $"layer {i} ({l.Path}) points at '{name}', which is missing from the archive");
            var blobDigest = BlobDigest(name);

            // docker save stores layers uncompressed, so a layer named by id is its diffID's blob (the report's digest).
            layers.Add((new LayerDescriptor(i, blobDigest ?? config.DiffIds[i], config.DiffIds[i], null, length, store.Describe(name)) { BlobDigest = blobDigest }, name));
        }

        // The archive has no manifest digest; its manifest.json and config bytes (tags, entrypoint, diffIDs) name it instead.
        return new ImageSource("docker-archive", location, store, config, layers, null, configBytes.Length, null)
        {
            ContentDigest = Digests.Of("sha256:", [.. json, .. "\n"u8, .. configBytes]),
        };
    }

    /// <summary>The digest a content-addressed member name ("blobs/sha256/HEX", docker save since 25) states; null otherwise.</summary>
    private static string? BlobDigest(string name)
    {
        var n = FileSystem.ImagePath.Normalize(name);
        if (n is null || !n.StartsWith("blobs/", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = n["blobs/".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var digest = slash < 0 ? null : rest[..slash] + ":" + rest[(slash + 1)..];
        return Digests.IsValid(digest) ? digest : null;
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

    private static ImageSource FromLegacy(string location, IBlobStore store, string? tag, List<FsWarning> warnings)
    {
        var file = store.Describe("repositories");
        var repos = store.ReadAll("repositories", Digests.MaxMetadataBytes);
        using var doc = JsonFields.Parse(repos, file);
        string? top = null;
        var all = new List<string>();
        foreach (var (repo, tags) in JsonFields.Root(doc, file).Properties())
        {
            foreach (var (name, id) in tags.Properties())
            {
                var value = id.AsString();
                all.Add($"{repo}:{name}");
                if ((tag is null && top is null) || name == tag || $"{repo}:{name}" == tag)
                {
                    top = value;
                }
            }
        }

        if (top is null)
        {
            throw new FootprintFormatException(file, null,
                tag is null || all.Count == 0 ? "names no image" : $"no image is tagged '{tag}'; tags: {OciImageReader.ListTags(all)}");
        }

        var chain = new List<string>();
        ImageConfig? config = null;
        long configLength = 0;
        for (var id = top; id is not null;)
        {
            var meta = id + "/json";
            if (chain.Count >= ImageLimits.MaxLayers || chain.Contains(id))
            {
                throw new FootprintFormatException(store.Describe(meta), null, $"layer parent chain loops or is longer than {ImageLimits.MaxLayers}");
            }

            chain.Add(id);
            if (!store.Contains(meta))
            {
                throw new FootprintFormatException(file, null, $"layer '{id}' has no {meta} in the archive");
            }

            var bytes = store.ReadAll(meta, Digests.MaxMetadataBytes);
            if (config is null)
            {
                config = ImageConfig.Parse(bytes, store.Describe(meta));
                configLength = bytes.Length;
            }

            using var m = JsonFields.Parse(bytes, store.Describe(meta));
            id = JsonFields.Root(m, store.Describe(meta)).AsObject().OptionalString("parent");
        }

        chain.Reverse();
        warnings.Add(new FsWarning(LayerVerification.NotVerifiedCode,
            "a legacy docker archive (no manifest.json) names no layer digests: layer contents were not verified", file, null, null));
        var layers = chain.Select((id, i) => (new LayerDescriptor(i, null, null, null,
            store.LengthOf(id + "/layer.tar") ?? throw new FootprintFormatException(file, null, $"layer '{id}' has no {id}/layer.tar in the archive"),
            store.Describe(id + "/layer.tar")), id + "/layer.tar")).ToList();
        return new ImageSource("docker-archive", location, store, config!, layers, null, configLength, null);
    }
}
