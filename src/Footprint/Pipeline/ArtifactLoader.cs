using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Formats.Elf;
using Footprint.Sources;
using Footprint.Walk;

namespace Footprint.Pipeline;

/// <summary>Progress of a load, for a progress bar: bytes of layer blobs read so far.</summary>
public sealed record LoadProgress(int LayerIndex, int LayerCount, long EntriesRead);

/// <summary>
/// artifact -> layers -> one layered filesystem. Each layer is read exactly once; whatever an
/// analyzer declared it needs is kept while the bytes stream past, so nothing re-opens a blob.
/// </summary>
public sealed class ArtifactLoader
{
    private readonly IReadOnlyList<IAnalyzer> _analyzers;
    private readonly LayerReadOptions _options;

    public ArtifactLoader(IReadOnlyList<IAnalyzer> analyzers, LayerReadOptions options)
    {
        _analyzers = analyzers;
        _options = options;
    }

    public IProgress<LoadProgress>? Progress { get; init; }

    /// <summary>Reads every layer, in parallel where there are several, and stacks them in order.</summary>
    public LayeredFileSystem Load(IArtifactSource source, List<FsWarning> warnings, CancellationToken cancel = default)
    {
        var fs = new LayeredFileSystem();
        var layers = source.Layers;
        var trees = new FileTree?[layers.Count];
        var layerWarnings = new List<FsWarning>[layers.Count];
        var parallelism = Math.Max(1, Math.Min(Environment.ProcessorCount, layers.Count));
        try
        {
            Parallel.For(0, layers.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancel }, i =>
            {
                layerWarnings[i] = [];
                trees[i] = ReadLayer(source, layers[i], layerWarnings[i], cancel);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Report the bad layer's own error (it names the blob and offset), not the parallel wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
        for (var i = 0; i < layers.Count; i++)
        {
            warnings.AddRange(layerWarnings[i]);
            fs.Apply(trees[i]!);
        }

        fs.Complete();
        return fs;
    }

    private FileTree ReadLayer(IArtifactSource source, LayerDescriptor layer, List<FsWarning> warnings, CancellationToken cancel)
    {
        var tree = new FileTree(layer.Index, layer.Location, source.InterpretWhiteouts, warnings);
        using var reader = source.OpenLayer(layer, _options with { OnWarning = warnings.Add });
        long entries = 0;
        while (reader.GetNextEntry() is { } entry)
        {
            if ((++entries & 0x3FF) == 0)
            {
                cancel.ThrowIfCancellationRequested();
                Progress?.Report(new LoadProgress(layer.Index, source.Layers.Count, entries));
            }

            var node = tree.Add(entry);
            if (node?.Data is not { Content: null } data || entry.Kind != FileKind.Regular)
            {
                continue;
            }

            var path = FileSystem.ImagePath.Normalize(entry.Name)!;
            var need = Walker.Need(_analyzers, path, node);
            if (_options.HashFiles && reader.LazyContent is null)
            {
                // Every byte read for the capture is hashed on the way; Finish hashes the rest of the entry.
                using var hashing = new HashingStream(reader.OpenData());
                if (need != ContentNeed.None)
                {
                    data.Content = Capture(hashing, layer, entry, need, data);
                }

                data.Digests = hashing.Finish();
                continue;
            }

            if (need == ContentNeed.None)
            {
                continue;
            }

            data.Content = reader.LazyContent ?? Capture(reader, layer, entry, need, data);
        }

        reader.Finish();
        Progress?.Report(new LoadProgress(layer.Index, source.Layers.Count, entries));
        return tree;
    }

    private static CapturedContent Capture(ILayerReader reader, LayerDescriptor layer, FileEntry entry, ContentNeed need, FileData fileData)
    {
        using var data = reader.OpenData();
        return Capture(data, layer, entry, need, fileData);
    }

    private static CapturedContent Capture(Stream data, LayerDescriptor layer, FileEntry entry, ContentNeed need, FileData fileData)
    {
        var limit = need == ContentNeed.Whole ? ContentLimits.MaxWholeBytes : ContentLimits.HeadBytes;
        var wanted = (int)Math.Min(entry.SizeBytes, limit);
        if (need >= ContentNeed.Inspect)
        {
            // ELF files are read to their end (up to ElfInspector.MaxInspectBytes) through a pooled buffer; only the
            // summary and the first `wanted` bytes stay.
            var kept = ElfInspector.Read(data, entry.SizeBytes, wanted, out var elf, out var readBytes);
            if (kept.Length < wanted || (elf is null && readBytes < Math.Min(entry.SizeBytes, ElfInspector.MaxInspectBytes) && ElfReader.IsElf(kept)))
            {
                throw new FootprintFormatException(layer.Location, entry.Offset, $"'{entry.Name}' ends after {readBytes} of {entry.SizeBytes} bytes (truncated)");
            }

            fileData.SetElf(elf);
            return new CapturedContent(kept, isComplete: wanted == entry.SizeBytes);
        }

        var buffer = new byte[wanted];
        var read = data.ReadAtLeast(buffer, wanted, throwOnEndOfStream: false);
        if (read < wanted)
        {
            throw new FootprintFormatException(layer.Location, entry.Offset, $"'{entry.Name}' ends after {read} of {entry.SizeBytes} bytes (truncated)");
        }

        return new CapturedContent(buffer, isComplete: wanted == entry.SizeBytes);
    }
}
