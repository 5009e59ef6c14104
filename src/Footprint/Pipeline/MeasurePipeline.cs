using System.Collections.Concurrent;
using Footprint.Analyzers;
using Footprint.Analyzers.Identity;
using Footprint.Analyzers.Installed;
using Footprint.Analyzers.Loader;
using Footprint.Analyzers.Surface;
using Footprint.FileSystem;
using Footprint.Measures.Download;
using Footprint.Measures.Files;
using Footprint.Measures.Integrity;
using Footprint.Measures.Inventory;
using Footprint.Measures.RamResident;
using Footprint.Reports;
using Footprint.Sources;
using Footprint.Walk;

namespace Footprint.Pipeline;

/// <summary>
/// artifact -> layers -> layered filesystem -> one walk -> producers -> <see cref="ArtifactReport"/>. No analyzer is
/// named here: the registry lists them, their declarations order them, and the report is assembled from result types.
/// </summary>
public static class MeasurePipeline
{
    public static ArtifactReport Measure(string reference, MeasureOptions options, CancellationToken cancel = default)
    {
        var warnings = new List<FsWarning>();
        using var source = ArtifactOpener.Open(reference, options.Platform, warnings, options.Limits);
        var result = Measure(source, options, warnings, cancel);
        return result;
    }

    public static ArtifactReport Measure(IArtifactSource source, MeasureOptions options, List<FsWarning> warnings, CancellationToken cancel = default)
    {
        var analysis = options.ToAnalysisOptions();
        var (producers, skipped) = options.Analyzers.Apply(AnalyzerRegistry.Create(analysis), analysis);
        var walkers = producers.OfType<IAnalyzer>().ToList();
        var pushSizes = new ConcurrentDictionary<int, (long, string)>();
        var readOptions = new LayerReadOptions
        {
            Limits = options.Limits,
            MeasurePushSize = options.MeasurePushSize,
            HashFiles = options.ListFiles,
            Verify = options.Verify,
            OnPushSize = (layer, bytes, digest) => pushSizes[layer.Index] = (bytes, digest),
        };

        // A source read in place is random access already: walk the disk itself instead of holding a copy of its tree.
        var view = source.Capability<IDiskBacked>() is { } disk
            ? disk.OpenView()
            : new ArtifactLoader(walkers, readOptions) { Progress = options.Progress }.Load(source, warnings, cancel);
        Walker.Run(view, walkers, options.Progress is { } p ? n => p.Report(new LoadProgress(0, 1, n)) : null, cancel);

        var load = new LoadFacts(pushSizes, warnings.ToList());
        var results = ProducerScheduler.Run(
            producers,
            (producer, lookup) => new AnalysisContext(view, source, analysis, load, producer.Consumes, lookup),
            concurrent: view is LayeredFileSystem,
            (_, context) => warnings.AddRange(context.Warnings),
            cancel);
        return Assemble(source, warnings, new Results(results), skipped.Count == 0 ? null : Statuses(producers, skipped));
    }

    private static ArtifactReport Assemble(IArtifactSource source, List<FsWarning> warnings, Results results, IReadOnlyList<AnalyzerRunReport>? analyzers)
    {
        var config = source.Config;
        return new ArtifactReport
        {
            Input = source.Location,
            Kind = source.Kind.Name,
            ManifestDigest = source.ManifestDigest,
            LayersVerified = results.Get<LayerVerificationResult>()?.Verified,
            Identity = new IdentityReport(results.Get<OsIdentity>()?.Os, results.Get<ArchitectureReport>()),
            Config = config is null ? null : new ConfigReport(config.Os, config.Architecture, config.Variant, config.Entrypoint, config.Cmd, config.User, config.WorkingDir, config.ExposedPorts, config.Created),
            Download = results.Get<DownloadReport>() ?? throw new InvalidOperationException("the download measure is core and always runs"),
            Installed = results.Get<InstalledReport>() ?? throw new InvalidOperationException("the installed footprint is core and always runs"),
            Inventory = results.Get<Ownership>()?.Report,
            Files = results.Get<FileList>()?.Files,
            Lint = results.Get<LintReport>(),
            Surface = results.Get<SurfaceReport>(),
            Composition = results.Get<CompositionReport>(),
            RamResident = results.Get<RamResidentReport>(),
            ExcludedPaths = source.Capability<IDiskBacked>() is { } disk ? disk.Excluded.Order(StringComparer.Ordinal).ToList() : [],
            Analyzers = analyzers,
            Warnings = warnings.Select(w => new WarningReport(w.Code, w.Message, w.Source, w.Path, w.Offset)).ToList(),
        };
    }

    /// <summary>Every producer with what happened to it, for a run where some were disabled or left out.</summary>
    private static IReadOnlyList<AnalyzerRunReport> Statuses(IReadOnlyList<IProducer> ran, IReadOnlyList<(IProducer Producer, string Reason)> skipped)
        => ran.Select(p => new AnalyzerRunReport(p.Id, p.Version, "ran"))
            .Concat(skipped.Select(s => new AnalyzerRunReport(s.Producer.Id, s.Producer.Version, s.Reason)))
            .OrderBy(a => a.Id, StringComparer.Ordinal)
            .ToList();

    /// <summary>The results of one run, by type.</summary>
    private sealed class Results(object?[] results)
    {
        public T? Get<T>()
            where T : class
            => results.OfType<T>().SingleOrDefault();
    }
}
