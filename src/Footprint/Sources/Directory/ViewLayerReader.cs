using Footprint.FileSystem;
using Footprint.Formats;

namespace Footprint.Sources.Directory;

/// <summary>
/// A directory's <see cref="DiskView"/> as a layer stream, for callers that want it loaded like any
/// other layer (an in-memory tree to stack or compare). The measure pipeline walks the view directly.
/// </summary>
internal sealed class ViewLayerReader(IFileSystemView view) : ILayerReader
{
    private readonly IEnumerator<(string Path, FsNode Node)> _entries = view.Enumerate().GetEnumerator();
    private readonly Dictionary<FileData, string> _firstName = new(ReferenceEqualityComparer.Instance);
    private FsNode? _current;

    public IFileContent? LazyContent => _current?.Data?.Content;

    public FileEntry? GetNextEntry()
    {
        if (!_entries.MoveNext())
        {
            _current = null;
            return null;
        }

        var (path, node) = _entries.Current;
        _current = node;
        var kind = node.Kind;
        var link = node.LinkTarget;
        if (node.Data is { LinkCount: > 1 } shared)
        {
            if (_firstName.TryGetValue(shared, out var first))
            {
                kind = FileKind.HardLink;
                link = first;
            }
            else
            {
                _firstName[shared] = path;
            }
        }

        return new FileEntry
        {
            Name = path,
            Kind = kind,
            SizeBytes = kind == FileKind.Regular ? node.SizeBytes : 0,
            DataBytes = kind == FileKind.Regular ? node.Data?.DataBytes : null,
            Mode = node.Mode,
            Uid = node.Uid,
            Gid = node.Gid,
            LinkTarget = link,
            ModificationTime = node.ModificationTime,
            Xattrs = node.Xattrs,
        };
    }

    public Stream OpenData() => _current?.Data?.Content?.Open() ?? Stream.Null;

    public void Finish()
    {
    }

    public void Dispose() => _entries.Dispose();
}
