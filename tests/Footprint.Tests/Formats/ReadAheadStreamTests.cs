using Footprint.Formats;

namespace Footprint.Tests.Formats;

public sealed class ReadAheadStreamTests
{
    [Fact]
    public void Should_hand_over_exactly_the_inner_bytes_in_order_for_any_read_size()
    {
        var data = new byte[(3 * 256 * 1024) + 12345];
        new Random(7).NextBytes(data);
        foreach (var size in new[] { 1, 4093, 65536, 1 << 20 })
        {
            using var ahead = new ReadAheadStream(new MemoryStream(data));
            var copy = new MemoryStream();
            var buffer = new byte[size];
            int n;
            while ((n = ahead.Read(buffer, 0, buffer.Length)) > 0)
            {
                copy.Write(buffer, 0, n);
            }

            Assert.Equal(data, copy.ToArray());
            Assert.Equal(0, ahead.Read(buffer, 0, buffer.Length));
        }
    }

    [Fact]
    public void Should_hand_over_the_bytes_read_before_a_failure_and_then_rethrow_the_same_exception()
    {
        var inner = new FailingStream(good: 300_000, new FootprintFormatException("layer.tar", 300_000, "bad block"));
        using var ahead = new ReadAheadStream(inner);
        var copy = new MemoryStream();
        var buffer = new byte[10_000];
        var error = Assert.Throws<FootprintFormatException>(() =>
        {
            int n;
            while ((n = ahead.Read(buffer, 0, buffer.Length)) > 0)
            {
                copy.Write(buffer, 0, n);
            }
        });

        Assert.Equal(300_000, copy.Length);
        Assert.All(copy.ToArray(), b => Assert.Equal(0x5A, b));
        Assert.Contains("bad block", error.Message, StringComparison.Ordinal);
        Assert.Contains("layer.tar", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_not_read_the_inner_stream_before_the_first_read()
    {
        var inner = new FailingStream(good: 1 << 20, null);
        using (new ReadAheadStream(inner))
        {
            Thread.Sleep(50);
        }

        Assert.Equal(0, inner.Reads);
    }

    [Fact]
    public void Should_stop_its_thread_when_disposed_mid_stream_and_read_no_further()
    {
        var inner = new FailingStream(good: 64L << 20, null);
        var ahead = new ReadAheadStream(inner);
        Assert.Equal(1, ahead.Read(new byte[1], 0, 1));
        ahead.Dispose();
        var readsAfterDispose = inner.Reads;

        // Bounded read-ahead: at most a few chunks of the 64 MiB were read, and nothing after Dispose returned.
        Assert.True(inner.Position <= 8L * 256 * 1024, $"read {inner.Position} bytes ahead");
        Thread.Sleep(50);
        Assert.Equal(readsAfterDispose, inner.Reads);
        Assert.Throws<ObjectDisposedException>(() => ahead.Read(new byte[1], 0, 1));
    }

    /// <summary>Gives <c>good</c> bytes of 0x5A, then throws <c>failure</c> (or ends).</summary>
    private sealed class FailingStream(long good, Exception? failure) : ReadOnlyStream
    {
        private long _position;
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public override long Position { get => Interlocked.Read(ref _position); set => throw new NotSupportedException(); }

        public override int Read(Span<byte> buffer)
        {
            Interlocked.Increment(ref _reads);
            var left = good - _position;
            if (left == 0)
            {
                return failure is null ? 0 : throw failure;
            }

            var n = (int)Math.Min(Math.Min(buffer.Length, left), 7000);
            buffer[..n].Fill(0x5A);
            Interlocked.Add(ref _position, n);
            return n;
        }
    }
}
