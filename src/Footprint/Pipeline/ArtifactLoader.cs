using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Formats.Compression;
using Footprint.Formats.Elf;
using Footprint.Sources;
using Footprint.Store;
using Footprint.Walk;

namespace Footprint.Pipeline;

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

    /// <summary>
    /// The per-layer cache (docs/cache.md): a layer whose verified diffID it holds, for these analyzers, is rebuilt
    /// from it without reading the blob; any other layer with a diffID is stored once its read verified it.
    /// </summary>
    public ILayerCache? Cache { get; init; }

    /// <summary>Told how long each layer took and whether it came from the cache (MeasureOptions.OnTiming).</summary>
    public Action<string, TimeSpan>? OnTiming { get; init; }

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

        warnings.AddRange(Cache?.TakeWarnings() ?? []);

        fs.Complete();
        return fs;
    }

    private FileTree ReadLayer(IArtifactSource source, LayerDescriptor layer, List<FsWarning> warnings, CancellationToken cancel)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var request = CacheRequest(source, layer, out var peek);
        using (peek)
        {
            if (request is not null && Cache!.TryLoad(request, () => peek is null || ConfirmBlob(request, peek)) is { } hit)
            {
                var restored = Restore(source, layer, hit, warnings);
                OnTiming?.Invoke($"layer {layer.Index} (cached)", System.Diagnostics.Stopwatch.GetElapsedTime(started));
                return restored;
            }
        }

        var tree = Read(source, layer, warnings, request, cancel);
        OnTiming?.Invoke($"layer {layer.Index} (read)", System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return tree;
    }

    /// <summary>
    /// The blob at hand is the one the cache knows: its file is unchanged since a read verified it, or it hashes to its
    /// digest now (and then its stamp is remembered for the next run).
    /// </summary>
    private bool ConfirmBlob(LayerCacheRequest request, ILayerReader peek) => ConfirmBlob(Cache!, request.BlobKey, peek);

    /// <summary>See <see cref="ConfirmBlob(LayerCacheRequest, ILayerReader)"/>; shared with the whole-report cache.</summary>
    public static bool ConfirmBlob(ILayerCache cache, string blobKey, ILayerReader peek)
    {
        var before = peek.BlobStamp();
        if (before is not null && cache.IsUnchangedBlob(blobKey, before))
        {
            return true;
        }

        if (!peek.VerifyStoredBlob())
        {
            return false;
        }

        if (before is not null && peek.BlobStamp() is { } after)
        {
            cache.RememberVerifiedBlob(blobKey, before, after);
        }

        return true;
    }

    /// <summary>A layer rebuilt from the cache, as its read would have left it.</summary>
    private FileTree Restore(IArtifactSource source, LayerDescriptor layer, CachedLayer hit, List<FsWarning> warnings)
    {
        // The blob hashed to the digest a read verified against this diffID when it stored the layer.
        layer.Verified = true;
        if (hit.PushSize is { } push)
        {
            _options.OnPushSize?.Invoke(layer, new Sources.Image.PushSize(push.Bytes, push.Digest, push.Estimated, push.ErrorBoundBytes, push.SampledBytes));
        }

        warnings.AddRange(hit.Warnings);
        Progress?.Report(new LoadProgress(layer.Index, source.Layers.Count, hit.Tree.EntryCount));
        return hit.Tree;
    }

    private FileTree Read(IArtifactSource source, LayerDescriptor layer, List<FsWarning> warnings, LayerCacheRequest? request, CancellationToken cancel)
    {
        var recorder = request is null ? null : Cache!.Record(request);
        PushSize? pushed = null;
        var blobWarnings = 0;
        var tree = new FileTree(layer.Index, layer.Location, source.InterpretWhiteouts, warnings);
        using var reader = source.OpenLayer(layer, _options with
        {
            OnWarning = w =>
            {
                blobWarnings++;
                warnings.Add(w);
            },
            OnPushSize = (l, push) =>
            {
                pushed = new PushSize(push.Bytes, push.Digest, push.Estimated, push.ErrorBoundBytes, push.SampledBytes);
                _options.OnPushSize?.Invoke(l, push);
            },
        });
        var before = request is null ? null : reader.BlobStamp();
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
            var need = recorder?.Need(path, node) ?? Walker.Need(_analyzers, path, node);
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
        if (recorder is not null && layer.Verified && blobWarnings == 0)
        {
            // Warnings about the blob's own bytes (data after the compressed stream) belong to this blob, not to the diffID.
            Cache!.Save(recorder, tree, warnings, pushed);
            if (before is not null && reader.BlobStamp() is { } after)
            {
                Cache.RememberVerifiedBlob(request!.BlobKey, before, after);
            }
        }

        Progress?.Report(new LoadProgress(layer.Index, source.Layers.Count, entries));
        return tree;
    }

    /// <summary>
    /// The cache key of a layer, or null when it is not cached: no cache, verification off (a layer is cached only
    /// under a diffID its read checked), no diffID (rootfs tarballs, directories, media), a compressed blob named by
    /// its diffID only (nothing short of decompressing it checks it), or decompression limits other than the default
    /// (a cached layer would skip the bomb guard they set). The layer is opened (<paramref name="peek"/>): that
    /// reads the blob's first bytes, how it is compressed (the download measure reports it, and an uncompressed one
    /// needs its push size from the cache), and on a hit hashes the blob to confirm it is the one the cache knows.
    /// A registry's layer is not opened (<paramref name="peek"/> stays null): nothing of it is at hand to confirm, the
    /// registry serves a blob by its digest, and the cache's record that a read verified this digest to expand to this
    /// diffID is the whole answer, so a hit fetches nothing (its compression is the one its media type names).
    /// </summary>
    private LayerCacheRequest? CacheRequest(IArtifactSource source, LayerDescriptor layer, out ILayerReader? peek)
    {
        peek = null;
        if (Cache is null || !_options.Verify || layer.DiffId is null || _options.Limits != DecompressionLimits.Default)
        {
            return null;
        }

        if (source.Capability<Sources.Registry.IRegistryBacked>() is not null)
        {
            return layer.BlobDigest is null ? null : new LayerCacheRequest(layer.DiffId, layer.Index, layer.Location, source.InterpretWhiteouts, _analyzers,
                _options.HashFiles, WantsPushSize: _options.MeasurePushSize && layer.Compression == CompressionKind.None, layer.BlobDigest, layer.StoredBytes,
                _options.ExactPushSize);
        }

        peek = source.OpenLayer(layer, _options with { MeasurePushSize = false, OnPushSize = null, OnWarning = null });
        var blob = layer.BlobDigest ?? (layer.Compression == CompressionKind.None ? layer.DiffId : null);
        return blob is null ? null : new LayerCacheRequest(layer.DiffId, layer.Index, layer.Location, source.InterpretWhiteouts, _analyzers, _options.HashFiles,
            WantsPushSize: _options.MeasurePushSize && layer.Compression == CompressionKind.None, blob, layer.StoredBytes, _options.ExactPushSize);
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
