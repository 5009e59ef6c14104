using System.Text.Json;
using Footprint.Cli.Rendering;
using Footprint.FileSystem;
using Footprint.Measures.Download;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Sources;
using Footprint.Sources.Registry;

namespace Footprint.Cli.Commands;

/// <summary>
/// `measure --download-only REF`: what a pull of an image in a registry transfers, from its manifest and config alone
/// (no layer blob is fetched): the manifest, the config and the sum of the layer descriptors' sizes, in the download
/// report's shape; with `--have REF2`, what is still to pull when REF2's layers are present.
/// </summary>
internal static class DownloadOnly
{
    private static readonly DownloadOnlyJsonContext Context = new(new JsonSerializerOptions(DownloadOnlyJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>Images whose download is asked for at once; answered a few at a time, in command-line order.</summary>
    public const int MaxConcurrentImages = 8;

    /// <summary>Every input's download, several registries asked at once; the first failure (in input order) is the error.</summary>
    public static IReadOnlyList<DownloadOnlyArtifact> MeasureAll(IReadOnlyList<string> inputs, MeasureOptions options)
    {
        var results = new DownloadOnlyArtifact?[inputs.Count];
        var errors = new Exception?[inputs.Count];
        Parallel.For(0, inputs.Count, new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentImages }, i =>
        {
            try
            {
                results[i] = Measure(inputs[i], options);
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        });
        if (errors.FirstOrDefault(e => e is not null) is { } first)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }

        return results.Select(r => r!).ToList();
    }

    public static DownloadOnlyArtifact Measure(string input, MeasureOptions options)
    {
        var warnings = new List<FsWarning>();
        using var source = ArtifactOpener.Open(input, options.Platform, warnings, options.Limits, options.Registry);
        if (source.Capability<IRegistryBacked>() is not { } registry)
        {
            throw new ArgumentException($"{input}: --download-only reads an image in a registry (a reference such as alpine:3.20 or docker://host:5000/app:1); a local artifact is measured in full, without it");
        }

        var download = DownloadMeasure.Compute(source, new Dictionary<int, Sources.Image.PushSize>());
        if (options.Have is { } have)
        {
            using var other = ArtifactOpener.Open(have, options.Platform, [], options.Limits, options.Registry);
            download = download with { Have = DownloadMeasure.Have(have, other, download) };
        }

        return new DownloadOnlyArtifact(input, source.Kind.Name, registry.Reference.ToString(), source.ManifestDigest, download,
            warnings.Select(w => new WarningReport(w.Code, w.Message, w.Source, w.Path, w.Offset)).ToList());
    }

    public static void Write(IReadOnlyList<DownloadOnlyArtifact> artifacts, string format, string? outputPath)
    {
        var document = new DownloadOnlyDocument(Report.CurrentSchemaVersion, Program.Tool, artifacts);
        using var output = outputPath is null ? Console.OpenStandardOutput() : File.Create(outputPath);
        if (format == "json")
        {
            JsonSerializer.Serialize(output, document, Context.DownloadOnlyDocument);
            output.Write("\n"u8);
            return;
        }

        using var writer = new StreamWriter(output);
        foreach (var a in artifacts)
        {
            var d = a.Download;
            writer.WriteLine(TerminalText.Escape($"{a.Input} ({a.Reference}, {a.ManifestDigest})"));
            writer.WriteLine($"  download  {Bytes(d.TotalBytes ?? 0)}: manifest {Bytes(d.ManifestBytes ?? 0)}, config {Bytes(d.ConfigBytes ?? 0)}, {Plural.Of(d.Layers.Count, "layer")} {Bytes(d.Layers.Sum(l => l.DownloadBytes))}");
            foreach (var l in d.Layers)
            {
                writer.WriteLine(TerminalText.Escape($"    layer {l.Index}  {Bytes(l.DownloadBytes),14}  {l.Compression,-5}  {l.Digest}"));
            }

            if (d.Have is { } have)
            {
                writer.WriteLine(TerminalText.Escape($"  with {have.Other}: {Bytes(have.BytesToPull)} still to pull ({Plural.Of(have.SharedLayers, "shared layer")}, {Bytes(have.SharedBytes)} already present)"));
            }
        }
    }

    private static string Bytes(long n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " B";
}
