using System.Buffers;
using System.IO.Compression;
using System.Threading.Channels;

namespace Footprint.Sources.Image;

/// <summary>
/// Estimates the gzip -6 size of a layer from evenly spaced samples: the layer is cut into <c>sampleCount</c> equal
/// strata and the middle <c>sampleBytes</c> of each are deflated (zlib level 6, <see cref="GzipLevel6"/>) after the
/// 32 KiB before them, compressed and flushed first so each sample has the history it has in the whole stream. The
/// layer's size times the samples' compressed/uncompressed ratio is the estimate; the spread of the per-sample ratios
/// gives its standard error (a ratio estimator with the successive-difference variance of systematic samples). The
/// stated bound is 3 standard errors plus <see cref="GzipLevel6.ImplementationSpread"/> plus a few bytes of flush
/// framing per sample-sized stretch: against a gzip -6 of every byte it held on every layer of the
/// test fixtures (tests/Footprint.Tests/Sources/Image/SampledGzipEstimatorTests.cs), but it is a statistical bound: a
/// layer whose unsampled bytes are unlike every sample can fall outside it (`--exact-push-size` compresses all).
/// Sample buffers and the compressed stream are fixed in size: nothing here grows with the layer.
/// </summary>
internal sealed class SampledGzipEstimator : IPushCompressor
{
    // 128 samples of 32 KiB: 4 MiB compressed after 4 MiB of history. Samples much smaller than a deflate block
    // (~16k symbols) overstate the size (each flushed sample pays a block header); fewer, larger samples widen the
    // bound (Debian minbase's 170 MB layer: 64 x 64 KiB gave a standard error of 3.0 MB, 128 x 32 KiB 2.3 MB).
    internal const int DefaultSampleCount = 128;
    internal const int DefaultSampleBytes = 32 << 10;
    internal const int HistoryBytes = 32 << 10;
    private const double StandardErrors = 3.0;

    /// <summary>The 00 00 FF FF of the empty stored block a sync flush ends with (RFC 1951 §3.2.4), which the real stream lacks.</summary>
    private const int SyncFlushMarkerBytes = 4;

    /// <summary>
    /// Absolute slack per sample-sized stretch of the layer: what a flushed sample may pay that the whole stream would
    /// not (the end-of-block code, stored-block header bits, a block header of its own), and zlib-ng's level 6 against
    /// GNU gzip's on data that compresses to almost nothing, where 3% is too little (32 MiB of zeros: gzip -6 makes
    /// 32.6 KB, the samples say 47 KB). 16 bytes per 32 KiB: 0.05% of the layer's uncompressed size.
    /// </summary>
    private const int FlushSlackBytes = 16;

    private readonly long _length;
    private readonly long[] _windowStart;
    private readonly int[] _historyLength;
    private readonly int _sampleBytes;
    private readonly Channel<(int Window, byte[] Buffer)> _queue;
    private readonly Task<List<(long Raw, long Compressed)>> _compressor;
    private byte[]? _current;
    private int _next;

    public SampledGzipEstimator(long length, int sampleCount = DefaultSampleCount, int sampleBytes = DefaultSampleBytes)
    {
        if (sampleCount < 2 || sampleBytes < 1 || length < (long)sampleCount * (sampleBytes + HistoryBytes))
        {
            throw new ArgumentOutOfRangeException(nameof(length), "the samples must not overlap: layer too small for this plan");
        }

        _length = length;
        _sampleBytes = sampleBytes;
        _windowStart = new long[sampleCount];
        _historyLength = new int[sampleCount];
        var stratum = (double)length / sampleCount;
        for (var i = 0; i < sampleCount; i++)
        {
            var sampleStart = Math.Clamp((long)((i + 0.5) * stratum) - (sampleBytes / 2), 0, length - sampleBytes);
            _historyLength[i] = (int)Math.Min(HistoryBytes, sampleStart);
            _windowStart[i] = sampleStart - _historyLength[i];
        }

        _queue = Channel.CreateBounded<(int, byte[])>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        _compressor = Task.Run(CompressAsync);
    }

    public void Accept(ReadOnlySpan<byte> bytes, long position)
    {
        var end = position + bytes.Length;
        while (_next < _windowStart.Length)
        {
            var start = _windowStart[_next];
            var windowEnd = start + _historyLength[_next] + _sampleBytes;
            if (start >= end)
            {
                return;
            }

            var from = Math.Max(start, position);
            var to = Math.Min(windowEnd, end);
            if (from < to)
            {
                _current ??= ArrayPool<byte>.Shared.Rent(HistoryBytes + _sampleBytes);
                bytes[(int)(from - position)..(int)(to - position)].CopyTo(_current.AsSpan((int)(from - start)));
            }

            if (to < windowEnd)
            {
                return;
            }

            Queue(_next, _current!);
            _current = null;
            _next++;
        }
    }

    public PushSize Complete(long totalBytes)
    {
        _queue.Writer.TryComplete();
        var samples = _compressor.GetAwaiter().GetResult();
        if (totalBytes != _length || samples.Count != _windowStart.Length)
        {
            throw new InvalidOperationException($"the layer was {totalBytes} bytes, {_length} were announced");
        }

        // Ratio estimator R = sum(c) / sum(s). Its variance comes from the successive differences of the residuals
        // c - R s (the estimator for systematic samples: neighbouring strata of a tar hold similar files, and plain
        // random-sample variance would count that trend as noise), finite-population corrected.
        var raw = samples.Sum(s => (double)s.Raw);
        var ratio = samples.Sum(s => (double)s.Compressed) / raw;
        var n = samples.Count;
        var meanRaw = raw / n;
        var squaredSteps = 0.0;
        for (var i = 1; i < n; i++)
        {
            var step = samples[i].Compressed - (ratio * samples[i].Raw) - (samples[i - 1].Compressed - (ratio * samples[i - 1].Raw));
            squaredSteps += step * step;
        }

        var sampledFraction = raw / _length;
        var ratioStandardError = Math.Sqrt((1 - sampledFraction) * squaredSteps / (2.0 * (n - 1)) / n) / meanRaw;
        var estimate = (long)Math.Round(ratio * _length) + GzipLevel6.FramingBytes;
        var slack = FlushSlackBytes * ((_length + _sampleBytes - 1) / _sampleBytes);
        var bound = (long)Math.Ceiling((StandardErrors * ratioStandardError * _length) + (GzipLevel6.ImplementationSpread * estimate)) + slack;
        return new PushSize(estimate, Digest: null, Estimated: true, ErrorBoundBytes: bound, SampledBytes: (long)raw);
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        if (_current is not null)
        {
            ArrayPool<byte>.Shared.Return(_current);
            _current = null;
        }
    }

    private void Queue(int window, byte[] buffer)
    {
        while (!_queue.Writer.TryWrite((window, buffer)))
        {
            _queue.Writer.WaitToWriteAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private async Task<List<(long, long)>> CompressAsync()
    {
        var samples = new List<(long, long)>(_windowStart.Length);
        var counter = new CountingSink();
        using var deflate = new DeflateStream(counter, GzipLevel6.Options, leaveOpen: true);
        await foreach (var (window, buffer) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            var history = _historyLength[window];
            if (history > 0)
            {
                deflate.Write(buffer, 0, history);
                deflate.Flush();
            }

            var before = counter.Count;
            deflate.Write(buffer, history, _sampleBytes);
            deflate.Flush();
            samples.Add((_sampleBytes, Math.Max(0, counter.Count - before - SyncFlushMarkerBytes)));
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return samples;
    }

    /// <summary>Counts the sample stream's compressed bytes; they are not kept.</summary>
    private sealed class CountingSink : Stream
    {
        public long Count { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Count;

        public override long Position { get => Count; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Count += count;

        public override void Write(ReadOnlySpan<byte> buffer) => Count += buffer.Length;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
