using Footprint.FileSystem;
using Footprint.Walk;

namespace Footprint.Store;

/// <summary>
/// The rows one read of a layer produces (see <see cref="LayerCache"/> for the tables), and the inverse steps that
/// put digests and captured content back on a rebuilt tree's file data. File data are named by their position in
/// the tree's data table (<see cref="TreeCodec"/>), which a given diffID and format always yield the same.
/// </summary>
internal sealed class LayerRows
{
    private const int Sha1Bytes = 20;
    private const int Sha256Bytes = 32;

    private LayerRows(byte[] tree, int dataCount)
    {
        Tree = tree;
        DataCount = dataCount;
    }

    public byte[] Tree { get; }

    public int DataCount { get; }

    public byte[]? Digests { get; private init; }

    public byte[]? Push { get; private init; }

    /// <summary>Per analyzer of the request, in its order.</summary>
    public byte[][] Needs { get; private init; } = [];

    public List<Capture> Captures { get; private init; } = [];

    public List<(byte[] Key, byte[] Bytes)> Contents { get; private init; } = [];

    public static LayerRows Encode(LayerRecorder recorder, string layer, FileTree tree, IReadOnlyList<FsWarning> warnings, PushSize? pushSize)
    {
        var request = recorder.Request;
        var ids = new Dictionary<FileData, int>(ReferenceEqualityComparer.Instance);
        var treeWriter = new PayloadWriter();
        treeWriter.Count(TreeCodec.FormatVersion);
        TreeCodec.Encode(treeWriter, tree, warnings, request.Location, ids);
        var datas = new FileData[ids.Count];
        foreach (var (data, id) in ids)
        {
            datas[id] = data;
        }

        byte[]? digests = null;
        if (request.HashFiles && datas.All(d => d.Digests is not null))
        {
            var w = new PayloadWriter();
            w.Count(datas.Length);
            foreach (var data in datas)
            {
                w.Bytes(Convert.FromHexString(data.Digests!.Sha1));
                w.Bytes(Convert.FromHexString(data.Digests.Sha256));
            }

            digests = w.Seal($"digests {layer}");
        }

        byte[]? push = null;
        if (pushSize is not null)
        {
            var w = new PayloadWriter();
            w.Count(pushSize.Bytes);
            w.OptionalString(pushSize.Digest);
            w.Bool(pushSize.Estimated);
            w.Count(pushSize.ErrorBoundBytes);
            w.Count(pushSize.SampledBytes);
            push = w.Seal($"pushes {layer}");
        }

        var files = recorder.Files.Where(f => ids.ContainsKey(f.Data)).OrderBy(f => ids[f.Data]).ToList();
        var needs = new byte[request.Analyzers.Count][];
        for (var i = 0; i < needs.Length; i++)
        {
            var w = new PayloadWriter();
            var mine = files.Where(f => f.Needs[i] != ContentNeed.None).ToList();
            w.Count(mine.Count);
            foreach (var (data, fileNeeds) in mine)
            {
                w.Count(ids[data]);
                w.Byte((byte)fileNeeds[i]);
            }

            needs[i] = w.Seal(NeedsContext(layer, request.Analyzers[i]));
        }

        var captures = new List<Capture>();
        var contents = new Dictionary<string, (byte[] Key, byte[] Bytes)>(StringComparer.Ordinal);
        foreach (var (data, fileNeeds) in files)
        {
            if (data.Content is not CapturedContent captured)
            {
                continue;
            }

            // The captured array itself when it is whole (it is never written after the capture): no copy of every
            // captured byte on a first run.
            var bytes = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(captured.Bytes, out var whole)
                && whole is { Offset: 0, Array: { } array } && whole.Count == array.Length ? array : captured.Bytes.ToArray();
            var key = PayloadWriter.ContentKey(bytes);
            contents.TryAdd(Convert.ToHexStringLower(key), (key, bytes));
            var inspected = data.Inspected;
            var elf = inspected ? data.GetElf() : null;
            captures.Add(new Capture(ids[data], fileNeeds.Max(), inspected, elf, key));
        }

        return new LayerRows(treeWriter.Seal($"trees {layer}"), datas.Length)
        {
            Digests = digests,
            Push = push,
            Needs = needs,
            Captures = captures,
            Contents = [.. contents.Values],
        };
    }

    public static string NeedsContext(string layer, IAnalyzer analyzer) => $"needs {layer} {analyzer.Id} {analyzer.Version}";

    public static void ApplyDigests(PayloadReader r, FileData[] datas)
    {
        if (r.Count(minItemBytes: Sha1Bytes + Sha256Bytes) != datas.Length)
        {
            throw new CacheCorruptException("digests do not match the tree's files");
        }

        foreach (var data in datas)
        {
            var sha1 = r.Bytes();
            var sha256 = r.Bytes();
            if (sha1.Length != Sha1Bytes || sha256.Length != Sha256Bytes)
            {
                throw new CacheCorruptException("digest of the wrong length");
            }

            data.Digests = new FileDigests(Convert.ToHexStringLower(sha1), Convert.ToHexStringLower(sha256));
        }
    }

    /// <summary>Raises <paramref name="need"/> (by file data id) to one analyzer's stored needs.</summary>
    public static void MergeNeeds(PayloadReader r, ContentNeed[] need)
    {
        var count = r.Count(minItemBytes: 2);
        for (var i = 0; i < count; i++)
        {
            var id = r.Index(need.Length);
            var n = (ContentNeed)r.Byte();
            if (n is < ContentNeed.Head or > ContentNeed.Whole)
            {
                throw new CacheCorruptException($"need {(int)n}");
            }

            if (n > need[id])
            {
                need[id] = n;
            }
        }
    }

    public static byte[] EncodeCaptures(IReadOnlyList<Capture> captures, string layer)
    {
        var w = new PayloadWriter();
        w.Count(captures.Count);
        foreach (var c in captures)
        {
            w.Count(c.DataId);
            w.Byte((byte)c.Need);
            w.Bool(c.Inspected);
            w.Bool(c.Elf is not null);
            if (c.Elf is { } elf)
            {
                ElfSummaryCodec.Write(w, elf);
            }

            w.Bytes(c.ContentKey);
        }

        return w.Seal($"captures {layer}");
    }

    public static Dictionary<int, Capture> ReadCaptures(PayloadReader r, int dataCount)
    {
        var count = r.Count(minItemBytes: 5 + Sha256Bytes);
        var captures = new Dictionary<int, Capture>(count);
        for (var i = 0; i < count; i++)
        {
            var id = r.Index(dataCount);
            var need = (ContentNeed)r.Byte();
            var inspected = r.Bool();
            var elf = r.Bool() ? ElfSummaryCodec.Read(ref r) : null;
            var key = r.Bytes().ToArray();
            if (need is < ContentNeed.Head or > ContentNeed.Whole || key.Length != Sha256Bytes || (elf is not null && !inspected))
            {
                throw new CacheCorruptException($"capture of file {id}");
            }

            captures[id] = new Capture(id, need, inspected, elf, key);
        }

        return captures;
    }

    /// <summary>Keeps, per file, the capture read for the stronger need (the newer one on a tie).</summary>
    public static List<Capture> Merge(Dictionary<int, Capture> existing, List<Capture> fresh)
    {
        foreach (var c in fresh)
        {
            if (!existing.TryGetValue(c.DataId, out var old) || c.Need >= old.Need)
            {
                existing[c.DataId] = c;
            }
        }

        return [.. existing.Values.OrderBy(c => c.DataId)];
    }

    /// <summary>
    /// Gives each file the content a fresh read for <paramref name="need"/> would have kept: the first bytes of the
    /// stored capture up to the need's limit, and the ELF facts when the need inspects. False when a capture is
    /// missing or was read for less (a miss: the layer is read again).
    /// </summary>
    public static bool ApplyContent(FileData[] datas, ContentNeed[] need, Dictionary<int, Capture> captures, Dictionary<string, byte[]> contents)
    {
        for (var i = 0; i < datas.Length; i++)
        {
            if (need[i] == ContentNeed.None)
            {
                continue;
            }

            if (!captures.TryGetValue(i, out var capture) || capture.Need < need[i] || (need[i] >= ContentNeed.Inspect && !capture.Inspected)
                || !contents.TryGetValue(Convert.ToHexStringLower(capture.ContentKey), out var bytes))
            {
                return false;
            }

            var data = datas[i];
            var wanted = (int)Math.Min(data.SizeBytes, need[i] == ContentNeed.Whole ? ContentLimits.MaxWholeBytes : ContentLimits.HeadBytes);
            var kept = (int)Math.Min(data.SizeBytes, capture.Need == ContentNeed.Whole ? ContentLimits.MaxWholeBytes : ContentLimits.HeadBytes);
            if (bytes.Length != kept)
            {
                throw new CacheCorruptException($"capture of file {i} has {bytes.Length} bytes, {kept} expected");
            }

            data.Content = new CapturedContent(wanted == bytes.Length ? bytes : bytes.AsSpan(0, wanted).ToArray(), isComplete: wanted == data.SizeBytes);
            if (need[i] >= ContentNeed.Inspect)
            {
                data.SetElf(capture.Elf);
            }
        }

        return true;
    }

    public static PushSize ReadPush(PayloadReader r) => new(r.Length(), r.OptionalString(), r.Bool(), r.Length(), r.Length());
}
