using Footprint.Formats.Elf;

namespace Footprint.Tests.Formats.Elf;

/// <summary>The stream inspector against the in-memory reader on the same bytes (a real binary of this host).</summary>
public sealed class ElfInspectorTests
{
    [Fact]
    public void Should_summarise_a_stream_as_the_reader_does_its_bytes_and_keep_the_head_asked_for()
    {
        var bytes = File.ReadAllBytes(ElfSamples.HostBinary);
        Assert.True(bytes.Length > 64 << 10, "the sample must be larger than a pooled block, to go through a mapped buffer");
        var expected = ElfReader.Read(bytes, bytes.Length)!;

        var kept = ElfInspector.Read(new MemoryStream(bytes), bytes.Length, 4096, out var elf, out var readBytes);

        Assert.Equal(bytes.AsSpan(0, 4096).ToArray(), kept);
        Assert.Equal(bytes.Length, readBytes);
        Assert.NotNull(elf);
        Assert.Equal(ElfSamples.Describe(expected), ElfSamples.Describe(elf));
    }

    [Fact]
    public void Should_keep_a_whole_file_when_asked_and_read_a_short_stream_to_its_end()
    {
        var bytes = File.ReadAllBytes(ElfSamples.HostBinary);
        var kept = ElfInspector.Read(new MemoryStream(bytes), bytes.Length, bytes.Length, out var elf, out _);
        Assert.Equal(bytes, kept);
        Assert.NotNull(elf);

        // Cut short: what was there is returned and counted, and no summary is made from a truncated file.
        var cut = bytes.AsSpan(0, bytes.Length / 2).ToArray();
        ElfInspector.Read(new MemoryStream(cut), bytes.Length, 4096, out var partial, out var got);
        Assert.Equal(cut.Length, got);
        Assert.Null(partial);
    }

    [Fact]
    public void Should_give_whole_file_memory_of_the_exact_length_and_refuse_it_once_disposed()
    {
        var owner = ElfBuffers.RentWhole(3 << 20);
        Assert.Equal(3 << 20, owner.Memory.Length);
        owner.Memory.Span.Fill(0x5A);
        Assert.Equal(0x5A, owner.Memory.Span[(3 << 20) - 1]);
        owner.Dispose();
        Assert.Throws<ObjectDisposedException>(() => owner.Memory.Span.Length);

        using var small = ElfBuffers.RentWhole(100);
        Assert.Equal(100, small.Memory.Length);
    }
}
