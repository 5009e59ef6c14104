using System.Collections.Concurrent;
using Footprint.Analyzers;
using Footprint.FileSystem;
using Footprint.Sources;
using Footprint.Walk;

namespace Footprint.Pipeline;

/// <summary>
/// artifact -> layers -> layered filesystem -> one walk -> producers -> <see cref="AnalysisRun"/>. No analyzer is
/// named here: the registry lists them and their declarations order them; the report is assembled above, from result
/// types (Reports/ReportAssembler).
/// </summary>
public static class MeasurePipeline
{
    /// <summary>Opens the artifact, runs every selected producer and returns what they found (the source is closed after).</summary>
    public static AnalysisRun Run(string reference, MeasureOptions options, CancellationToken cancel = default)
    {
        var warnings = new List<FsWarning>();
        using var source = ArtifactOpener.Open(reference, options.Platform, warnings, options.Limits, options.Registry);
        return Run(source, options, warnings, cancel);
    }

    public static AnalysisRun Run(IArtifactSource source, MeasureOptions options, List<FsWarning> warnings, CancellationToken cancel = default)
    {
        var analysis = options.ToAnalysisOptions();
        var (producers, skipped) = options.Analyzers.Apply(AnalyzerRegistry.Create(analysis), analysis);
        var walkers = producers.OfType<IAnalyzer>().ToList();
        var pushSizes = new ConcurrentDictionary<int, Sources.Image.PushSize>();
        var readOptions = new LayerReadOptions
        {
            Limits = options.Limits,
            MeasurePushSize = options.MeasurePushSize,
            ExactPushSize = options.ExactPushSize,
            HashFiles = options.ListFiles,
            Verify = options.Verify,
            OnPushSize = (layer, push) => pushSizes[layer.Index] = push,
        };

        // A source read in place is random access already: walk the disk itself instead of holding a copy of its tree.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var view = source.Capability<IDiskBacked>() is { } disk
            ? disk.OpenView()
            : new ArtifactLoader(walkers, readOptions) { Progress = options.Progress, Cache = options.LayerCache, OnTiming = options.OnTiming }.Load(source, warnings, cancel);
        if (view is LayeredFileSystem)
        {
            // The layer readers' buffers and what was decoded through them is garbage now; the whole-ELF buffers go too.
            Formats.Elf.ElfInspector.ReleaseBuffers();
            ReturnFreedMemory(options.OnTiming, "collect after load");
        }

        options.OnTiming?.Invoke("load", System.Diagnostics.Stopwatch.GetElapsedTime(started));
        started = System.Diagnostics.Stopwatch.GetTimestamp();
        Walker.Run(view, walkers, options.Progress is { } p ? n => p.Report(new LoadProgress(0, 1, n)) : null, cancel);
        if (view is LayeredFileSystem layered)
        {
            // Every file was offered to the analyzers: the bytes captured for them are no longer needed (the producers
            // read results, not content), but for the package databases read layer by layer.
            layered.ReleaseCapturedContent(producers.OfType<Analyzers.Packages.ILayerAttributed>().SelectMany(a => a.LayerDatabasePaths).Distinct());
            ReturnFreedMemory(options.OnTiming, "collect after walk");
        }

        options.OnTiming?.Invoke("walk", System.Diagnostics.Stopwatch.GetElapsedTime(started));

        var load = new LoadFacts(pushSizes, warnings.ToList());
        var results = ProducerScheduler.Run(
            producers,
            (producer, lookup) => new AnalysisContext(view, source, analysis, load, producer.Consumes, lookup),
            // A disk view is safe to read from several threads once walked (its lookups share only concurrent tables).
            concurrent: true,
            (_, context) => warnings.AddRange(context.Warnings),
            cancel,
            options.OnTiming is { } onTiming ? (id, elapsed) => onTiming("producer " + id, elapsed) : null);
        var statuses = skipped.Count == 0
            ? null
            : producers.Select(p => new ProducerStatus(p.Id, p.Version, "ran"))
                .Concat(skipped.Select(s => new ProducerStatus(s.Producer.Id, s.Producer.Version, s.Reason)))
                .OrderBy(s => s.Id, StringComparer.Ordinal)
                .ToList();

        // The layer stores were written behind the walk and the producers: done before the run is, and what they
        // found wrong with the cache file is reported with it.
        if (options.LayerCache is { } cache)
        {
            started = System.Diagnostics.Stopwatch.GetTimestamp();
            cache.Flush();
            options.OnTiming?.Invoke("wait for cache writes", System.Diagnostics.Stopwatch.GetElapsedTime(started));
            warnings.AddRange(cache.TakeWarnings());
        }

        return new AnalysisRun(source, results, warnings, statuses);
    }

    /// <summary>
    /// A blocking, compacting full collection, called where a stream-read artifact's bulk just died: after the load (the
    /// layer readers' chunks and tar records) and after the walk (the captured file bytes). Left alone, the GC kept the
    /// high-water mark committed: on debian-oci (bench/) 5 MB live sat in 26 MB committed through the producers, and
    /// peak RSS fell from 71 to 56 MB with these two collections. They were Aggressive (which also decommits every free
    /// page) until session 14 measured the same peak RSS without that (debian-oci 57 MB, docker 58, ISO 59; Alpine
    /// 32 -> 33.6) at 20-30 ms less each: a plain forced compaction keeps the figure, and the time, for the critical path.
    /// </summary>
    private static void ReturnFreedMemory(Action<string, TimeSpan>? onTiming, string stage)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        onTiming?.Invoke(stage, System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }
}
