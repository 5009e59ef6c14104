using System.Formats.Tar;

namespace Footprint.Formats.Tar;

// TEMPORARY stand-in; replaced by the checksum- and sparse-aware reader from branch tar-reader.
public sealed class TarArchiveReader : IDisposable
{
    private readonly TarReader _reader;
    private readonly string _source;
    private TarEntry? _current;

    public TarArchiveReader(Stream stream, string sourceName, bool leaveOpen = false)
    {
        _reader = new TarReader(stream, leaveOpen);
        _source = sourceName;
    }

    public long Position => 0;

    public FileEntry? GetNextEntry()
    {
        while (true)
        {
            try
            {
                _current = _reader.GetNextEntry();
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ArgumentException)
            {
                throw new FootprintFormatException(_source, null, e.Message, e);
            }

            if (_current is null)
            {
                return null;
            }

            var kind = _current.EntryType switch
            {
                TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => FileKind.Regular,
                TarEntryType.Directory => FileKind.Directory,
                TarEntryType.SymbolicLink => FileKind.Symlink,
                TarEntryType.HardLink => FileKind.HardLink,
                TarEntryType.CharacterDevice => FileKind.CharDevice,
                TarEntryType.BlockDevice => FileKind.BlockDevice,
                TarEntryType.Fifo => FileKind.Fifo,
                _ => (FileKind?)null,
            };
            if (kind is null)
            {
                continue;
            }

            return new FileEntry
            {
                Name = _current.Name,
                Kind = kind.Value,
                SizeBytes = kind == FileKind.Regular ? _current.Length : 0,
                Mode = (int)_current.Mode,
                Uid = _current.Uid,
                Gid = _current.Gid,
                LinkTarget = string.IsNullOrEmpty(_current.LinkName) ? null : _current.LinkName,
                ModificationTime = _current.ModificationTime,
            };
        }
    }

    public Stream OpenData() => _current?.DataStream ?? Stream.Null;

    public void Dispose() => _reader.Dispose();
}
