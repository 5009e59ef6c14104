using Footprint.FileSystem;
using Footprint.Store;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Store;

/// <summary>
/// Rows the cache-rows fuzz target (fuzz/Footprint.Fuzz/CacheRowsTarget.cs) crashed the tree decoder with, kept in
/// fuzz/regressions/cache-rows: each body behind a valid checksum (as a forger who can write the cache file would
/// make it) must be refused as a damaged entry, which the cache drops and rebuilds, never an unexpected exception.
/// </summary>
public sealed class ForgedRowTests
{
    public static TheoryData<string> Regressions()
        => [.. Directory.GetFiles(Path.Combine(Repo.Root, "fuzz", "regressions", "cache-rows")).Order(StringComparer.Ordinal).Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Regressions))]
    public void Should_refuse_a_forged_tree_row_as_damaged(string name)
    {
        // The harness's input is TREE, DIGESTS, NEEDS, CAPTURES, PUSH separated by FF FE FD FC: the tree comes first.
        var input = File.ReadAllBytes(Path.Combine(Repo.Root, "fuzz", "regressions", "cache-rows", name));
        var end = input.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xff, 0xfe, 0xfd, 0xfc]);
        var body = end < 0 ? input : input[..end];
        var sealedBytes = new byte[PayloadReader.ChecksumBytes + body.Length];
        body.CopyTo(sealedBytes.AsSpan(PayloadReader.ChecksumBytes));
        PayloadReader.Checksum("trees fuzz", body, sealedBytes.AsSpan(0, PayloadReader.ChecksumBytes));

        Assert.Throws<CacheCorruptException>(() =>
        {
            var reader = PayloadReader.Open("trees fuzz", sealedBytes);
            TreeCodec.Decode(ref reader, 0, "fuzz", interpretWhiteouts: true, new List<FsWarning>(), out _);
        });
    }
}
