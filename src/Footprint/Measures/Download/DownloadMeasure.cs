using System.Text.Json;
using Footprint.Formats.Compression;
using Footprint.Analyzers;
using Footprint.Sources;
using Footprint.Sources.LiveMedia;
using Footprint.Sources.Image;

namespace Footprint.Measures.Download;

/// <summary>
/// Download size as actually paid: the stored bytes of compressed layer blobs plus manifest and
/// config. Layers stored uncompressed (docker save) are paid as the gzip stream a registry push
/// would upload (gzip level 6), which <see cref="Sources.Image.PushSizeStream"/> computes for layers up to 16 MiB and,
/// above that, estimates from samples with an error bound unless every byte is asked for (`--exact-push-size`).
/// </summary>
public sealed class DownloadMeasure : IProducer<DownloadReport>
{
    public const string OciGzipLayerMediaType = "application/vnd.oci.image.layer.v1.tar+gzip";

    public string Id => "download";

    public int Version => 1;

    public bool IsCore => true;

    /// <summary>The download of this artifact, and with `--have` what is still to pull when the other's layers are cached.</summary>
    public DownloadReport Produce(AnalysisContext context)
    {
        var download = Compute(context.Source, context.Load.PushSizes);
        if (context.Options.Have is { } have)
        {
            using var other = ArtifactOpener.Open(have, context.Options.Platform, [], registry: context.Options.Registry);
            download = download with { Have = Have(have, other, download) };
        }

        return download;
    }

    public static DownloadReport Compute(IArtifactSource source, IReadOnlyDictionary<int, PushSize> pushSizes)
    {
        if (source.Capability<IComposedMedium>() is { } composed)
        {
            // A live medium, disk image or firmware is downloaded as the one file; its components are parts of it.
            return new DownloadReport
            {
                TotalBytes = composed.MediumBytes,
                Method = "file",
                Explanation = $"the {composed.Medium.Format} file itself; the layers are the components inside it",
                Layers = composed.Composition.Components.Select(c => new DownloadLayerReport
                {
                    Index = c.Layer,
                    Compression = composed.Stats[c.Layer].Compression ?? "none",
                    StoredBytes = c.StoredBytes,
                    DownloadBytes = c.StoredBytes,
                    Method = "stored",
                }).ToList(),
            };
        }

        switch (source.Kind.Family)
        {
            case SourceFamily.Directory:
                return new DownloadReport
                {
                    Method = "not-applicable",
                    Explanation = "a directory is not downloaded as such; see installed bytes",
                    Layers = [],
                };
            case SourceFamily.RootfsArchive:
                var layer = source.Layers[0];
                return new DownloadReport
                {
                    TotalBytes = layer.StoredBytes,
                    Method = "file",
                    Explanation = $"the tarball itself ({Name(layer.Compression)})",
                    Layers = [new DownloadLayerReport { Index = 0, Compression = Name(layer.Compression), StoredBytes = layer.StoredBytes, DownloadBytes = layer.StoredBytes, Method = "stored" }],
                };
        }

        var layers = new List<DownloadLayerReport>();
        var recompressed = false;
        foreach (var l in source.Layers)
        {
            var stored = l.Compression != CompressionKind.None || !pushSizes.ContainsKey(l.Index);
            var push = pushSizes.GetValueOrDefault(l.Index);
            recompressed |= !stored;
            var estimated = !stored && push!.Estimated;
            layers.Add(new DownloadLayerReport
            {
                Index = l.Index,
                Digest = l.Digest,
                DiffId = l.DiffId,
                MediaType = l.MediaType,
                Compression = Name(l.Compression),
                StoredBytes = l.StoredBytes,
                DownloadBytes = stored ? l.StoredBytes : push!.Bytes,
                Method = stored ? "stored" : "recompressed",
                PushDigest = stored ? null : push!.Digest,
                PushBytesEstimated = estimated ? true : null,
                PushBytesErrorBound = estimated ? push!.ErrorBoundBytes : null,
                PushSampledBytes = estimated ? push!.SampledBytes : null,
            });
        }

        var uncompressed = layers.Any(l => l.Method == "stored" && l.Compression == "none");
        var manifestEstimated = source.ManifestBytes is null;
        var manifestBytes = source.ManifestBytes ?? EstimateManifestBytes(source.ConfigBytes ?? 0, layers);
        var total = manifestBytes + (source.ConfigBytes ?? 0) + layers.Sum(l => l.DownloadBytes);
        var anyEstimated = layers.Any(l => l.PushBytesEstimated == true);
        return new DownloadReport
        {
            TotalBytes = total,
            Method = recompressed ? "recompressed" : uncompressed ? "stored-uncompressed" : "registry-blobs",
            Explanation = anyEstimated
                ? "layers are stored uncompressed here; their download is the gzip (level 6) stream a push would upload, estimated from evenly spaced samples of each layer over 16 MiB (within totalBytesErrorBound; --exact-push-size compresses every byte); the manifest is the OCI manifest such a push would write"
                : recompressed
                ? "layers are stored uncompressed here; their download is the gzip (level 6) stream a push would upload, computed by compressing them; the manifest is the OCI manifest such a push would write"
                : uncompressed
                    ? "some layers are stored uncompressed and were not recompressed (--no-push-size): an upper bound, not what a registry would send"
                    : "compressed layer blobs as stored, plus manifest and config",
            ManifestBytes = manifestBytes,
            ManifestEstimated = manifestEstimated,
            ConfigBytes = source.ConfigBytes,
            TotalBytesErrorBound = anyEstimated ? layers.Sum(l => l.PushBytesErrorBound ?? 0) : null,
            Layers = layers,
        };
    }

    /// <summary>Bytes still to pull when <paramref name="other"/>'s layers are cached: shared layers are matched by diffID (else digest).</summary>
    public static HaveReport Have(string otherName, IArtifactSource other, DownloadReport mine)
    {
        var cached = new HashSet<string>(StringComparer.Ordinal);
        foreach (var l in other.Layers)
        {
            if (l.DiffId is { } d)
            {
                cached.Add(d);
            }

            if (l.Digest is { } g)
            {
                cached.Add(g);
            }
        }

        var toPull = mine.Layers.Where(l => !((l.DiffId is { } d && cached.Contains(d)) || (l.Digest is { } g && cached.Contains(g)))).ToList();
        var shared = mine.Layers.Count - toPull.Count;
        var bytes = (mine.ManifestBytes ?? 0) + (mine.ConfigBytes ?? 0) + toPull.Sum(l => l.DownloadBytes);
        return new HaveReport(otherName, bytes, shared, mine.Layers.Except(toPull).Sum(l => l.DownloadBytes), toPull.Select(l => l.Index).ToList());
    }

    /// <summary>Length of the OCI manifest a push of these layers would write (same fields, compact JSON, as registries store it).</summary>
    internal static long EstimateManifestBytes(long configBytes, IReadOnlyList<DownloadLayerReport> layers)
        => PushManifest(configBytes, layers).Length;

    /// <summary>
    /// The OCI image manifest (image-spec manifest.md) a push of these layers would upload. The config
    /// digest is a placeholder of the right length: only the manifest's size is reported.
    /// </summary>
    internal static byte[] PushManifest(long configBytes, IReadOnlyList<DownloadLayerReport> layers)
    {
        var placeholder = "sha256:" + new string('0', 64);
        var manifest = new PushManifestDocument(
            2,
            "application/vnd.oci.image.manifest.v1+json",
            new PushDescriptor("application/vnd.oci.image.config.v1+json", placeholder, configBytes),
            layers.Select(l => new PushDescriptor(OciGzipLayerMediaType, l.PushDigest ?? l.Digest ?? placeholder, l.DownloadBytes)).ToList());
        return JsonSerializer.SerializeToUtf8Bytes(manifest, PushManifestJsonContext.Default.PushManifestDocument);
    }

    private static string Name(CompressionKind kind) => kind.ToString().ToLowerInvariant();
}
