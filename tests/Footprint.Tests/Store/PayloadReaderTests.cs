using Footprint.Store;

namespace Footprint.Tests.Store;

/// <summary>A cache payload is checked before it is read, and no number in it sizes an allocation beyond the payload.</summary>
public sealed class PayloadReaderTests
{
    [Fact]
    public void Should_read_back_what_was_written()
    {
        var w = new PayloadWriter();
        w.Count(300);
        w.Signed(-5);
        w.String("usr/lib/ä");
        w.OptionalString(null);
        w.Bytes([1, 2, 3]);
        var payload = w.Seal("ctx");

        var r = PayloadReader.Open("ctx", payload);
        Assert.Equal(300, r.Length());
        Assert.Equal(-5, r.Signed());
        Assert.Equal("usr/lib/ä", r.String());
        Assert.Null(r.OptionalString());
        Assert.Equal([1, 2, 3], r.Bytes().ToArray());
        Assert.Equal(0, r.Remaining);
    }

    [Fact]
    public void Should_refuse_a_flipped_byte_a_cut_payload_and_another_row_key()
    {
        var w = new PayloadWriter();
        w.String("etc/os-release");
        var payload = w.Seal("trees sha256:aa/image");
        var flipped = payload.ToArray();
        flipped[^1] ^= 1;

        Assert.Throws<CacheCorruptException>(() => PayloadReader.Open("trees sha256:aa/image", flipped));
        Assert.Throws<CacheCorruptException>(() => PayloadReader.Open("trees sha256:aa/image", payload.AsSpan(0, payload.Length - 1)));
        Assert.Throws<CacheCorruptException>(() => PayloadReader.Open("trees sha256:bb/image", payload));
        Assert.Throws<CacheCorruptException>(() => PayloadReader.Open("x", payload.AsSpan(0, 10)));
    }

    [Fact]
    public void Should_refuse_a_count_larger_than_the_bytes_left_before_allocating()
    {
        // A well-sealed payload that claims 2^31 - 1 items in 5 bytes: refused by the bound, not by running out of memory.
        var w = new PayloadWriter();
        w.Count(int.MaxValue);
        var payload = w.Seal("ctx");

        var e = Assert.Throws<CacheCorruptException>(() =>
        {
            var r = PayloadReader.Open("ctx", payload);
            r.Count();
        });
        Assert.Contains("exceeds the 0 bytes left", e.Message, StringComparison.Ordinal);

        var s = new PayloadWriter();
        s.Count(1_000_000);
        var strings = s.Seal("ctx");
        Assert.Throws<CacheCorruptException>(() =>
        {
            var r = PayloadReader.Open("ctx", strings);
            r.String();
        });
    }
}
