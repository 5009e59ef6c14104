using Footprint.Formats;

namespace Footprint.Tests.Formats;

public sealed class ReadOnlyStreamTests
{
    /// <summary>The smallest subclass: serves fixed bytes and overrides nothing else.</summary>
    private sealed class Bytes(byte[] data) : ReadOnlyStream
    {
        private int _at;

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(buffer.Length, data.Length - _at);
            data.AsSpan(_at, n).CopyTo(buffer);
            _at += n;
            return n;
        }
    }

    [Fact]
    public void Should_read_through_the_array_overload_and_refuse_everything_else()
    {
        using var s = new Bytes([1, 2, 3, 4, 5]);
        byte[] buffer = new byte[8];

        Assert.Equal(3, s.Read(buffer, 2, 3));
        Assert.Equal(new byte[] { 0, 0, 1, 2, 3, 0, 0, 0 }, buffer);
        Assert.Equal(4, s.ReadByte());
        Assert.True(s.CanRead);
        Assert.False(s.CanWrite);
        Assert.False(s.CanSeek);
        Assert.Throws<NotSupportedException>(() => s.Length);
        Assert.Throws<NotSupportedException>(() => s.Position);
        Assert.Throws<NotSupportedException>(() => s.Position = 0);
        Assert.Throws<NotSupportedException>(() => s.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => s.SetLength(1));
        Assert.Throws<NotSupportedException>(() => s.Write([1], 0, 1));
        Assert.Throws<NotSupportedException>(() => s.WriteByte(1));
        s.Flush(); // nothing to flush: no exception
        Assert.Equal(5, s.ReadByte());
        Assert.Equal(-1, s.ReadByte());
    }

    [Fact]
    public void Should_be_the_base_of_every_readable_stream_in_the_library()
    {
        // Write-only sinks (the push size's hashing counter and the sampled estimate's byte counter) are the only other streams.
        var streams = typeof(ReadOnlyStream).Assembly.GetTypes()
            .Where(t => typeof(Stream).IsAssignableFrom(t) && !t.IsAbstract)
            .ToList();
        var notReadOnly = streams
            .Where(t => !typeof(ReadOnlyStream).IsAssignableFrom(t))
            .Select(t => t.Name)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(streams.Count >= 20, $"only {streams.Count} streams found");
        Assert.Equal(["CountingSink", "HashingCountStream"], notReadOnly);
    }
}
