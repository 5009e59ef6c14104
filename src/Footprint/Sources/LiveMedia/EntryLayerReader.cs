using Footprint.FileSystem;
using Footprint.Formats;

namespace Footprint.Sources.LiveMedia;

/// <summary>
/// Any <see cref="IEntryReader"/> (cpio, squashfs, ISO 9660, FAT, tar) as a layer. It can re-root a subtree
/// (only names under <c>root</c>, with that prefix removed) and counts what passes for the RAM-resident measure.
/// </summary>
internal sealed class EntryLayerReader : ILayerReader
{
    public const long PageBytes = 4096;

    private readonly IEntryReader _reader;
    private readonly IDisposable[] _owned;
    private readonly string _root;
    private readonly ComponentStats _stats;
    private readonly Action? _onFinish;

    public EntryLayerReader(IEntryReader reader, ComponentStats stats, string root = "", Action? onFinish = null, params IDisposable[] owned)
    {
        _reader = reader;
        _owned = owned;
        _root = root.Trim('/');
        _stats = stats;
        _onFinish = onFinish;
    }

    public IFileContent? LazyContent => null;

    public FileEntry? GetNextEntry()
    {
        while (_reader.GetNextEntry() is { } entry)
        {
            var mapped = Map(entry);
            if (mapped is null)
            {
                continue;
            }

            _stats.Entries++;
            if (mapped.Kind == FileKind.Regular)
            {
                _stats.Files++;
                _stats.ApparentBytes += mapped.SizeBytes;
                _stats.PageBytes += (mapped.SizeBytes + PageBytes - 1) / PageBytes * PageBytes;
            }

            return mapped;
        }

        return null;
    }

    private FileEntry? Map(FileEntry entry)
    {
        if (_root.Length == 0)
        {
            return entry;
        }

        var name = Rebase(entry.Name);
        if (name is null)
        {
            return null;
        }

        var link = entry.Kind == FileKind.HardLink && entry.LinkTarget is { } target ? Rebase(target) : entry.LinkTarget;
        return entry with { Name = name, LinkTarget = link };
    }

    /// <summary>The name relative to the root, or null when it is outside (or the root itself).</summary>
    private string? Rebase(string name)
    {
        var n = ImagePath.Normalize(name);
        if (n is null || n.Length <= _root.Length || !n.StartsWith(_root, StringComparison.Ordinal) || n[_root.Length] != '/')
        {
            return null;
        }

        return n[(_root.Length + 1)..];
    }

    public Stream OpenData() => _reader.OpenData();

    public void Finish() => _onFinish?.Invoke();

    public void Dispose()
    {
        _reader.Dispose();
        foreach (var o in _owned)
        {
            o.Dispose();
        }
    }
}
