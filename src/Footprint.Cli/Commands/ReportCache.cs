using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Footprint.Advisories.Database;
using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Formats.Compression;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Reports.Json;
using Footprint.Sources;
using Footprint.Store;

namespace Footprint.Cli.Commands;

/// <summary>
/// The whole-report cache of `measure` (docs/cache.md): re-measuring the same image returns the report stored by the
/// first run. Keyed by this build of footprint, the input as given, the image's manifest digest (for a docker archive,
/// which has none, the digest of its manifest.json and config: <see cref="IContentIdentity"/>), every layer's blob
/// digest, size and diffID, the options, and the warnings opening the artifact gave. A stored report is used only
/// when every layer blob is one a read verified against its diffID (the layer cache's record) and hashes, here and
/// now, to its digest (no decompression), and, when it is read back into a report, only if it reads back to the very
/// same JSON; otherwise the image is measured as usual (through the layer cache) and the report stored.
/// </summary>
internal static class ReportCache
{
    private static readonly string Build = BuildIdentity();

    public static ArtifactReport Measure(string input, MeasureOptions options) => Measure(input, options, asStoredJson: false).Report!;

    /// <summary>
    /// As <see cref="Measure(string, MeasureOptions)"/>, but a hit comes back as the stored JSON: the very document
    /// `measure -f json` writes for this one input (the stored report names <see cref="Program.Tool"/>). Reading a hit
    /// back into a report only to write it again cost about 15 ms of a 60-80 ms re-measure, most of it System.Text.Json
    /// building its metadata for the report's types. A hit's bytes are written only when the row's seal holds and
    /// <see cref="StoredJson.IsWritable"/> accepts them.
    /// </summary>
    public static StoredOrMeasured MeasureOrStoredJson(string input, MeasureOptions options) => Measure(input, options, asStoredJson: true);

    private static StoredOrMeasured Measure(string input, MeasureOptions options, bool asStoredJson)
    {
        if (options.LayerCache is not LayerCache cache || !options.Verify || options.Have is not null || options.Base is not null
            || options.Limits != DecompressionLimits.Default)
        {
            return new(ReportAssembler.Measure(input, options), null);
        }

        // With an advisory database the findings depend on its contents: its imported feeds name them. A database
        // that cannot be read is measured as usual, so the error is the one an uncached run gives.
        string? advisories = null;
        if (options.AdvisoryDatabase is { } db && (advisories = AdvisoryIdentity(db)) is null)
        {
            return new(ReportAssembler.Measure(input, options), null);
        }

        var warnings = new List<FsWarning>();
        using var source = ArtifactOpener.Open(input, options.Platform, warnings, options.Limits, options.Registry);
        var identity = source.ManifestDigest ?? source.Capability<IContentIdentity>()?.ContentDigest;
        if (identity is null || !source.InterpretWhiteouts || source.Layers.Any(l => l.DiffId is null))
        {
            return new(ReportAssembler.Measure(source, options, warnings), null);
        }

        var key = Key(input, identity, source, options, warnings, advisories);
        ArtifactReport? cached = null;
        if (cache.TryGetReport(key, stored => BlobsVerified(source, cache) && (asStoredJson ? StoredJson.IsWritable(stored) : (cached = ReadBack(stored)) is not null)) is { } json)
        {
            return asStoredJson ? new(null, json) : new(cached!, null);
        }

        var report = ReportAssembler.Measure(source, options, warnings);
        if (report.LayersVerified != true)
        {
            return new(report, null);
        }

        if (asStoredJson)
        {
            // The caller writes this very document: rendered once, for the output and the store alike.
            var rendered = Json(report);
            cache.PutReportLater(key, () => rendered);
            return new(report, rendered);
        }

        // Rendered and stored while the caller writes its output (the report is immutable); the cache's Dispose waits
        // for it.
        cache.PutReportLater(key, () => Json(report));
        return new(report, null);
    }

    private static string Key(string input, string identity, IArtifactSource source, MeasureOptions options, List<FsWarning> warnings, string? advisories)
    {
        var text = new StringBuilder("footprint-report/1\n").Append(Build).Append('\n').Append(input).Append('\n').Append(source.Kind).Append('\n')
            .Append(identity).Append('\n').Append(options.Platform?.ToString()).Append('\n')
            .Append($"files={options.ListFiles} breakdown={options.Breakdown} top={options.LargestFiles} push={options.MeasurePushSize} exact-push={options.ExactPushSize}\n")
            .Append($"disable={string.Join(',', options.Analyzers.Disable)} only={string.Join(',', options.Analyzers.Only)}\n")
            .Append($"reachability={options.Reachability}\n").Append(advisories);
        foreach (var l in source.Layers)
        {
            text.Append($"layer {l.Index} {l.BlobDigest} {l.DiffId} {l.StoredBytes} {l.MediaType} {l.Location}\n");
        }

        foreach (var w in warnings)
        {
            text.Append($"warning {w}\n");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// The advisory database as its findings depend on it: its schema, and every imported feed (key, kind, the
    /// SHA-256 and size of the file read, when it was imported). Every import goes through `db import`/`db update`,
    /// which replaces these rows; a database edited by other means is outside the key (docs/cache.md).
    /// </summary>
    private static string? AdvisoryIdentity(string path)
    {
        try
        {
            using var database = AdvisoryDatabase.Open(path, create: false);
            var text = new StringBuilder($"advisories schema={AdvisoryDatabase.SchemaVersion} path={Path.GetFullPath(path)}\n");
            foreach (var f in database.Snapshot().OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                text.Append($"feed {f.Key} {f.Kind} {f.Sha256} {f.SizeBytes} {f.ImportedAt.UtcTicks} {f.Advisories}\n");
            }

            return text.ToString();
        }
        catch (Exception e) when (e is IOException or FootprintFormatException or Microsoft.Data.Sqlite.SqliteException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Every layer's blob is one a read verified against its diffID, and is that blob: its file unchanged since, or
    /// hashed now (not decompressed).
    /// </summary>
    private static bool BlobsVerified(IArtifactSource source, LayerCache cache)
    {
        var remote = source.Capability<Footprint.Sources.Registry.IRegistryBacked>() is not null;
        foreach (var layer in source.Layers)
        {
            if (remote)
            {
                // A registry serves blobs by digest: the record that a read verified this digest is the answer (no fetch).
                if (layer.BlobDigest is null || !cache.IsVerifiedBlob(layer.BlobDigest, layer.DiffId!, source.InterpretWhiteouts, layer.StoredBytes))
                {
                    return false;
                }

                continue;
            }

            using var peek = source.OpenLayer(layer, new LayerReadOptions { Verify = true });
            var blob = layer.BlobDigest ?? (layer.Compression == CompressionKind.None ? layer.DiffId : null);
            if (blob is null || !cache.IsVerifiedBlob(blob, layer.DiffId!, source.InterpretWhiteouts, layer.StoredBytes) || !ArtifactLoader.ConfirmBlob(cache, blob, peek))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The report, when its JSON reads back to exactly that JSON (so nothing of it is lost on the way). Checked when a hit
    /// is read back into a report (any output but `-f json` of one input), not when storing: the stored bytes are the
    /// JSON this very build wrote (the key names it), so a `-f json` hit is right without it, and a first run no longer
    /// waits at exit for a second read and render of its report. A report that does not read back is measured again.
    /// </summary>
    private static ArtifactReport? ReadBack(byte[] json) => Read(json) is { } report && Json(report).AsSpan().SequenceEqual(json) ? report : null;

    private static ArtifactReport? Read(byte[] json)
    {
        try
        {
            return JsonReportWriter.Read(json) is { Artifacts: [var report] } ? report : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    private static byte[] Json(ArtifactReport report)
    {
        using var stream = new MemoryStream();
        // The document `measure -f json` writes for one input, so a hit can be written as it is (the key names the build).
        JsonReportWriter.Write(new Report { Tool = Program.Tool, Artifacts = [report] }, stream);
        return stream.ToArray();
    }

    /// <summary>
    /// This build of footprint: its version with the commit, and the size and time of the program file, so a report
    /// is never served by another build (whose analyzers or measures may differ) even from an uncommitted tree.
    /// </summary>
    private static string BuildIdentity()
    {
        var version = typeof(ReportCache).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
        // The program (the native AOT binary), or under `dotnet` the assemblies beside it (Assembly.Location is empty in AOT).
        var files = new[] { Environment.ProcessPath, Path.Combine(AppContext.BaseDirectory, "Footprint.dll"), Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll") };
        var stamps = files.Where(f => !string.IsNullOrEmpty(f) && File.Exists(f)).Select(f => new FileInfo(f!)).Select(f => $"{f.Length}@{f.LastWriteTimeUtc.Ticks}");
        return version + " " + string.Join(' ', stamps);
    }
}
