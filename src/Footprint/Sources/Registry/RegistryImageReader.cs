using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Sources.Image;
using Footprint.Sources.Oci;

namespace Footprint.Sources.Registry;

/// <summary>
/// Resolves a reference to a manifest, its config and layers (OCI distribution-spec "Pulling manifests"): the
/// manifest is fetched by tag or digest with every supported media type accepted, an index picks the platform asked
/// for (else this machine's, the rules of <see cref="OciImageReader"/>), and every manifest is checked against the
/// digest that names it before a field of it is believed. Only the manifest(s) and the config are fetched: layer
/// sizes and digests come from the manifest's descriptors, so `--download-only` needs no layer blob.
/// </summary>
internal static class RegistryImageReader
{
    /// <summary>Manifests larger than this are refused (distribution-spec: registries may refuse manifests over 4 MiB).</summary>
    public const long MaxManifestBytes = 4L << 20;

    /// <summary>Image configs larger than this are refused (they are a few KiB; the layout reader allows the same).</summary>
    public const long MaxConfigBytes = Digests.MaxMetadataBytes;

    /// <summary>Indexes nested deeper than this are refused (as in OCI layouts).</summary>
    public const int MaxIndexDepth = 4;

    public sealed record Resolved(string ManifestDigest, long ManifestBytes, long ConfigBytes, ImageConfig Config, List<LayerDescriptor> Layers);

    public static Resolved Resolve(RegistryClient client, Platform? platform, List<FsWarning> warnings)
    {
        var reference = client.Reference;
        var (digest, bytes, mediaType) = FetchManifest(client, reference.ManifestReference, reference.Digest, null);
        for (var depth = 0; ; depth++)
        {
            var source = $"{reference} (manifest {digest})";
            using var doc = JsonFields.Parse(bytes, source);
            var root = JsonFields.Root(doc, source).AsObject();
            var kind = root.OptionalString("mediaType") ?? mediaType;
            if (root.Get("schemaVersion") is { } version && version.Kind == System.Text.Json.JsonValueKind.Number && version.AsSize() == 1)
            {
                throw Schema1(source);
            }

            if (ManifestMediaTypes.IsIndex(kind) || (kind is null && root.Get("manifests") is not null))
            {
                if (depth >= MaxIndexDepth)
                {
                    throw new FootprintFormatException(source, null, $"image indexes nest more than {MaxIndexDepth} deep");
                }

                var pick = Choose(root, source, platform);
                (digest, bytes, mediaType) = FetchManifest(client, pick.Digest, pick.Digest, pick.Size);
                continue;
            }

            if (root.Get("manifests") is not null)
            {
                throw new FootprintFormatException(source, null, $"$.mediaType says {Printable(kind)}, but the document lists manifests like an index");
            }

            return ReadManifest(client, root, source, digest, bytes.Length, warnings);
        }
    }

    /// <summary>GET /v2/NAME/manifests/REF, checked against <paramref name="expectedDigest"/> (and the size an index gave).</summary>
    private static (string Digest, byte[] Bytes, string? MediaType) FetchManifest(RegistryClient client, string reference, string? expectedDigest, long? expectedSize)
    {
        var what = $"manifest {reference}";
        using var response = client.Get(client.Api("manifests", reference), what, ManifestMediaTypes.Accepted);
        var source = $"{client.Reference} ({what})";
        var mediaType = ManifestMediaTypes.Bare(response.Content.Headers.ContentType?.MediaType);
        if (ManifestMediaTypes.IsSchema1(mediaType))
        {
            throw Schema1(source);
        }

        byte[] bytes;
        try
        {
            bytes = client.ReadBody(response, MaxManifestBytes, source);
        }
        catch (IOException e) when (e is not FootprintFormatException)
        {
            throw new RegistryException($"{source}: the connection failed while reading: {e.Message}", e);
        }

        var headerDigest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault()?.Trim() : null;
        var expected = expectedDigest ?? (Digests.IsValid(headerDigest) ? headerDigest : null);
        var actual = Digests.Of(expected ?? "sha256:", bytes);
        if (expected is not null && actual != expected)
        {
            throw new FootprintFormatException(source, null,
                $"content digest is {actual}, not {expected} as {(expectedDigest is null ? "the registry's Docker-Content-Digest header" : "the reference")} says (tampered or corrupted)");
        }

        if (expectedSize is { } size && size != bytes.Length)
        {
            throw new FootprintFormatException(source, null, $"the index says the manifest is {size} bytes, it is {bytes.Length}");
        }

        return (actual, bytes, mediaType);
    }

    private static (string Digest, long? Size) Choose(JsonFields root, string source, Platform? platform)
    {
        var candidates = new List<(string Digest, long? Size, Platform? Platform)>();
        foreach (var m in root.Required("manifests").Items(ImageLimits.MaxManifests))
        {
            m.AsObject();
            var digest = ValidDigest(m.Required("digest"));
            var p = Platform.OfIndexEntry(m);
            var mediaType = m.OptionalString("mediaType");
            if (mediaType is not null && !ManifestMediaTypes.IsIndex(mediaType) && mediaType is not ManifestMediaTypes.OciManifest and not ManifestMediaTypes.DockerManifest)
            {
                // An artifact (a signature, an SBOM) listed beside the images: never an image to measure.
                continue;
            }

            candidates.Add((digest, m.OptionalSize("size"), p));
        }

        // Attestations carry platform unknown/unknown: never pick them.
        candidates = candidates.Where(c => c.Platform is not { Os: "unknown" }).ToList();
        var wanted = platform ?? OciImageReader.HostPlatform();
        var pick = candidates.Count switch
        {
            0 => throw new FootprintFormatException(source, null, "the index lists no image manifest"),
            1 => candidates[0],
            _ => candidates.FirstOrDefault(c => c.Platform is { } p && p.Matches(wanted)) is { Digest: not null } found
                ? found
                : throw new FootprintFormatException(source, null,
                    $"no manifest for platform {wanted}; the index offers {string.Join(", ", candidates.Take(20).Select(c => c.Platform is { } p ? Printable(p.ToString()) : c.Digest))} (use --platform)"),
        };
        if (platform is not null && candidates.Count == 1 && pick.Platform is { } only && !only.Matches(platform))
        {
            throw new FootprintFormatException(source, null, $"no manifest for platform {platform}; the index offers {Printable(only.ToString())}");
        }

        return (pick.Digest, pick.Size);
    }

    private static Resolved ReadManifest(RegistryClient client, JsonFields root, string source, string manifestDigest, long manifestBytes, List<FsWarning> warnings)
    {
        var cfg = root.Required("config").AsObject();
        var configDigest = ValidDigest(cfg.Required("digest"));
        var configSize = cfg.Required("size").AsSize();
        if (configSize > MaxConfigBytes)
        {
            throw new FootprintFormatException(source, null, $"$.config.size: {configSize} bytes, more than the {MaxConfigBytes} accepted for an image config");
        }

        var configSource = $"{client.Reference} (config {configDigest})";
        byte[] configBytes;
        var keep = client.Options.KeptBlobs;
        using (var blob = (Stream?)(keep is null ? null : KeptBlobStream.TryOpen(keep, configDigest, configSize))
            ?? new RegistryBlobStream(client, configDigest, configSize, configSource, null, keep is null ? null : BlobKeeper.Start(keep, configDigest)))
        using (var copy = new MemoryStream())
        {
            blob.CopyTo(copy);
            configBytes = copy.ToArray();
        }

        var config = ImageConfig.Parse(configBytes, configSource);
        var list = ManifestLayers.Read(root, config, source, configSource, warnings);

        var layers = new List<LayerDescriptor>();
        foreach (var l in list)
        {
            l.AsObject();
            var i = layers.Count;
            var digest = ValidDigest(l.Required("digest"));
            var size = l.Required("size").AsSize();
            var mediaType = l.OptionalString("mediaType");
            if (l.Get("urls") is not null)
            {
                throw l.Error("a foreign layer (fetched from other URLs) is not supported");
            }

            layers.Add(new LayerDescriptor(i, digest, config.DiffIds[i], mediaType, size, $"{client.Reference}@{digest}")
            {
                BlobDigest = digest,
                Compression = ManifestMediaTypes.LayerCompression(mediaType),
            });
        }

        return new Resolved(manifestDigest, manifestBytes, configBytes.Length, config, layers);
    }

    private static FootprintFormatException Schema1(string source)
        => new(source, null, "a Docker schema 1 manifest: not supported (deprecated, and refused by Docker since v28); re-push the image with a current client to get an OCI or schema 2 manifest");

    private static string ValidDigest(JsonFields field)
    {
        var digest = field.AsString();
        return Digests.IsValid(digest) ? digest : throw field.Error("not a digest (expected sha256: and 64 lowercase hex digits)");
    }

    private static string Printable(string? text)
        => text is null ? "nothing" : new string(text.Take(80).Select(c => c is >= ' ' and < (char)127 ? c : '?').ToArray());
}
