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
    public void Should_summarise_on_the_lane_as_it_does_in_place_and_hand_back_every_summary_by_the_wait()
    {
        // The host's own binaries, read back to back as a layer's files are: each summary made on the lane (beside the
        // next file's read) must equal the one made in place, and be there once the lane was waited for.
        var files = new[] { ElfSamples.HostBinary, "/usr/bin/ls", "/usr/bin/bash", "/usr/bin/env", "/usr/bin/tar" }
            .Where(File.Exists).Select(f => File.ReadAllBytes(f)).Append(File.ReadAllBytes(ElfSamples.HostBinary)[..20]).Append("not ELF\n"u8.ToArray()).ToList();
        var onLane = new ElfSummary?[files.Count];
        var deferredCount = 0;
        using (var lane = new ElfParseLane())
        {
            for (var i = 0; i < files.Count; i++)
            {
                var at = i;
                var kept = ElfInspector.Read(new MemoryStream(files[i]), files[i].Length, 64, lane, e => onLane[at] = e, out var elf, out var read, out var deferred);
                Assert.Equal(files[i].AsSpan(0, Math.Min(64, files[i].Length)).ToArray(), kept);
                Assert.Equal(files[i].Length, read);
                if (deferred)
                {
                    deferredCount++;
                    Assert.Null(elf);
                }
                else
                {
                    onLane[at] = elf;
                }
            }

            lane.Wait();
        }

        Assert.Equal(files.Count - 1, deferredCount); // all but the text file (a 20-byte ELF is summarised as damaged)
        Assert.Null(onLane[^1]);
        for (var i = 0; i < files.Count - 1; i++)
        {
            ElfInspector.Read(new MemoryStream(files[i]), files[i].Length, 64, out var inPlace, out _);
            Assert.NotNull(onLane[i]);
            Assert.Equal(ElfSamples.Describe(inPlace!), ElfSamples.Describe(onLane[i]!));
        }
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
