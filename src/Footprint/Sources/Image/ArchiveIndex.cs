using System.Formats.Tar;
using Footprint.Formats;
using Microsoft.Win32.SafeHandles;

namespace Footprint.Sources.Image;

/// <summary>
/// The members of an uncompressed outer tar (docker save, OCI archive), found by one pass over the
/// headers. Member data is skipped by seeking, then read in place by position through one shared file handle
/// (<see cref="HandleStream"/>): the image is never extracted, and a spool file can be unlinked while it is read.
/// </summary>
internal sealed class ArchiveIndex : IDisposable
{
    /// <summary>More members than any image archive has; stops a hostile archive from growing the index forever.</summary>
    public const int MaxMembers = 1_000_000;

    /// <summary>Extended (PAX, GNU long name) headers of an image archive are a few hundred bytes.</summary>
    public const long MaxExtendedHeaderBytes = 1 << 20;

    private const int MaxExtendedHeaders = 8;

    private readonly Dictionary<string, (long Offset, long Length)> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);

    private readonly SafeFileHandle _handle;
    private readonly bool _ownsHandle;

    private ArchiveIndex(SafeFileHandle handle, bool ownsHandle, string path)
    {
        _handle = handle;
        _ownsHandle = ownsHandle;
        ArchivePath = path;
    }

    /// <summary>How the archive is named in messages (its path, or the compressed file a spool was made from).</summary>
    public string ArchivePath { get; }

    public IEnumerable<string> Names => _members.Keys.Concat(_links.Keys);

    public static ArchiveIndex Read(string path)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            return Read(handle, ownsHandle: true, path);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Indexes the archive open as <paramref name="handle"/>; <paramref name="path"/> names it in messages.</summary>
    public static ArchiveIndex Read(SafeFileHandle handle, bool ownsHandle, string path)
    {
        var index = new ArchiveIndex(handle, ownsHandle, path);
        using var file = new HandleStream(handle, 0, RandomAccess.GetLength(handle));
        using var reader = new TarReader(file, leaveOpen: true);
        long headerOffset = 0;
        try
        {
            while (true)
            {
                GuardHeaders(index._handle, path, headerOffset);
                if (reader.GetNextEntry() is not { } entry)
                {
                    break;
                }

                if (index._members.Count + index._links.Count >= MaxMembers)
                {
                    throw new FootprintFormatException(path, file.Position, $"more than {MaxMembers} members: not an image archive");
                }

                // A name that climbs out ("../x") can never be a member an image manifest names; it is left out
                // of the index (a rootfs tarball read as such reports it as a path-traversal warning).
                var name = FileSystem.ImagePath.Normalize(entry.Name);
                if (name is null)
                {
                    headerOffset = entry.DataOffset + ((entry.Length + 511) & ~511L);
                    continue;
                }

                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile)
                {
                    // On a seekable stream TarReader leaves the position past the data; DataOffset says where it starts.
                    if (entry.DataOffset < 0 || entry.DataOffset + entry.Length > file.Length)
                    {
                        throw new FootprintFormatException(path, entry.DataOffset, $"member '{entry.Name}' claims {entry.Length} bytes but the archive ends first (truncated)");
                    }

                    index._members[name] = (entry.DataOffset, entry.Length);
                }
                else if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink && entry.LinkName.Length > 0)
                {
                    // docker save (older) links identical layer.tar files; resolve relative to the member's directory.
                    var target = entry.EntryType == TarEntryType.SymbolicLink
                        ? FileSystem.ImagePath.Normalize(FileSystem.ImagePath.Combine(FileSystem.ImagePath.Parent(name), entry.LinkName))
                        : FileSystem.ImagePath.Normalize(entry.LinkName);
                    if (target is not null)
                    {
                        index._links[name] = target;
                    }
                }

                headerOffset = entry.DataOffset + ((entry.Length + 511) & ~511L);
            }
        }
        catch (Exception e) when (Formats.Tar.TarArchiveReader.IsFormatError(e))
        {
            throw new FootprintFormatException(path, headerOffset, "not a readable tar archive: " + e.Message, e);
        }

        return index;
    }

    /// <summary>
    /// The BCL reader neither verifies checksums nor bounds extended headers (it allocates what a PAX size
    /// field claims). Before each entry, walk its header chain at <paramref name="offset"/> ourselves: every
    /// header block must carry a valid checksum and no extended header may exceed <see cref="MaxExtendedHeaderBytes"/>.
    /// </summary>
    private static void GuardHeaders(SafeFileHandle handle, string path, long offset)
    {
        Span<byte> block = stackalloc byte[Formats.Tar.TarHeaderBlock.BlockSizeBytes];
        for (var chain = 0; chain < MaxExtendedHeaders; chain++)
        {
            if (RandomAccess.Read(handle, block, offset) < block.Length || Formats.Tar.TarHeaderBlock.IsZeroBlock(block))
            {
                return;
            }

            if (!Formats.Tar.TarHeaderBlock.ChecksumMatches(block, out var stored))
            {
                throw new FootprintFormatException(path, offset, $"tar header checksum mismatch (stored {stored})");
            }

            var type = block[Formats.Tar.TarHeaderBlock.TypeFlagOffset];
            if (!Formats.Tar.TarHeaderBlock.IsMetadataType(type))
            {
                return;
            }

            if (!Formats.Tar.TarHeaderBlock.TryParseNumeric(block.Slice(Formats.Tar.TarHeaderBlock.SizeOffset, Formats.Tar.TarHeaderBlock.SizeLengthBytes), out var size)
                || size < 0 || size > MaxExtendedHeaderBytes)
            {
                throw new FootprintFormatException(path, offset, $"extended header claims {size} bytes (limit {MaxExtendedHeaderBytes})");
            }

            offset += Formats.Tar.TarHeaderBlock.BlockSizeBytes + size + Formats.Tar.TarHeaderBlock.PaddingBytes(size);
        }

        throw new FootprintFormatException(path, offset, $"more than {MaxExtendedHeaders} extended headers in a row");
    }

    public bool Contains(string name) => Lookup(name) is not null;

    public long? LengthOf(string name) => Lookup(name)?.Length;

    public Stream Open(string name)
    {
        var m = Lookup(name) ?? throw new FileNotFoundException($"{ArchivePath}: no member '{name}'");
        return new HandleStream(_handle, m.Offset, m.Length);
    }

    public byte[] ReadAll(string name, long maxBytes)
    {
        var len = LengthOf(name) ?? throw new FileNotFoundException($"{ArchivePath}: no member '{name}'");
        if (len > maxBytes)
        {
            throw new FootprintFormatException(ArchivePath, null, $"member '{name}' is {len} bytes, more than the {maxBytes} allowed for metadata");
        }

        using var s = Open(name);
        var buffer = new byte[len];
        s.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>The archive file's stamp (from the handle every member is read through) and the member's place in it.</summary>
    public FileSystem.FileStamp? Stamp(string name)
        => Lookup(name) is { } m ? FileSystem.FileStamp.Of(_handle, ArchivePath, m.Offset, m.Length) : null;

    private (long Offset, long Length)? Lookup(string name)
    {
        var n = FileSystem.ImagePath.Normalize(name);
        for (var hops = 0; n is not null && hops < 8; hops++)
        {
            if (_members.TryGetValue(n, out var m))
            {
                return m;
            }

            if (!_links.TryGetValue(n, out n))
            {
                return null;
            }
        }

        return null;
    }

    public void Dispose()
    {
        if (_ownsHandle)
        {
            _handle.Dispose();
        }
    }
}
