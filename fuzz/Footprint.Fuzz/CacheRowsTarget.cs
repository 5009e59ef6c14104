using Footprint.FileSystem;
using Footprint.Store;
using Footprint.Walk;

namespace Footprint.Fuzz;

/// <summary>
/// The per-layer cache's row decoding (src/Footprint/Store): what a damaged or forged cache file hands the decoders
/// once its checksums pass. Input: TREE, DIGESTS, NEEDS, CAPTURES and PUSH bodies separated by <see cref="Separator"/>;
/// the harness seals each (so mutations get past the checksum and reach the decoders) and decodes them as
/// LayerCache.Load does: the tree, its digests, an analyzer's needs, the captures with their contents (each capture's
/// content is the CAPTURES body itself, so the lengths can agree), then the tree is stacked and walked.
/// The only expected rejection is <see cref="CacheCorruptException"/>; anything else is a crash.
/// </summary>
internal static class CacheRowsTarget
{
    public static ReadOnlySpan<byte> Separator => "\xff\xfe\xfd\xfc"u8;

    internal static void Fuzz(byte[] input)
    {
        var parts = Split(input, 5);
        try
        {
            var warnings = new List<FsWarning>();
            var r = PayloadReader.Open("trees fuzz", Seal("trees fuzz", parts[0]));
            var tree = TreeCodec.Decode(ref r, 0, "fuzz", interpretWhiteouts: true, warnings, out var datas);
            if (parts[1].Length > 0)
            {
                LayerRows.ApplyDigests(PayloadReader.Open("digests fuzz", Seal("digests fuzz", parts[1])), datas);
            }

            var need = new ContentNeed[datas.Length];
            LayerRows.MergeNeeds(PayloadReader.Open("needs fuzz", Seal("needs fuzz", parts[2])), need);
            var captures = LayerRows.ReadCaptures(PayloadReader.Open("captures fuzz", Seal("captures fuzz", parts[3])), datas.Length);
            var contents = captures.Values.ToDictionary(c => Convert.ToHexStringLower(c.ContentKey), _ => parts[3], StringComparer.Ordinal);
            _ = LayerRows.ApplyContent(datas, need, captures, contents);
            if (parts[4].Length > 0)
            {
                _ = LayerRows.ReadPush(PayloadReader.Open("pushes fuzz", Seal("pushes fuzz", parts[4])));
            }

            var fs = new LayeredFileSystem();
            fs.Apply(tree);
            fs.Complete();
            foreach (var (path, node) in LayeredFileSystem.Enumerate(fs.Squashed))
            {
                if (fs.FindSquashed(path) != node)
                {
                    throw new InvalidOperationException($"'{ImagePath.Abbreviate(path)}' is not found at its own path");
                }

                if (node.Data?.Content is { } content)
                {
                    using var stream = content.Open();
                    stream.CopyTo(Stream.Null);
                }

                _ = fs.Resolve(path, followFinal: true);
            }
        }
        catch (CacheCorruptException)
        {
        }
    }

    private static byte[] Seal(string context, byte[] body)
    {
        var sealedBytes = new byte[PayloadReader.ChecksumBytes + body.Length];
        body.CopyTo(sealedBytes.AsSpan(PayloadReader.ChecksumBytes));
        PayloadReader.Checksum(context, body, sealedBytes.AsSpan(0, PayloadReader.ChecksumBytes));
        return sealedBytes;
    }

    private static byte[][] Split(byte[] input, int count)
    {
        var parts = new byte[count][];
        var rest = input.AsSpan();
        for (var i = 0; i < count; i++)
        {
            var at = i == count - 1 ? -1 : rest.IndexOf(Separator);
            parts[i] = (at < 0 ? rest : rest[..at]).ToArray();
            rest = at < 0 ? [] : rest[(at + Separator.Length)..];
        }

        return parts;
    }
}
