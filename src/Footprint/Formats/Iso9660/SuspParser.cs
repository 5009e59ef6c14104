using System.Buffers.Binary;
using System.Text;

namespace Footprint.Formats.Iso9660;

/// <summary>
/// Parses SUSP (IEEE P1281 "System Use Sharing Protocol" 1.12) entries and the Rock Ridge entries they carry (IEEE
/// P1282 "Rock Ridge Interchange Protocol" 1.12). Each entry is "SIG(2) LEN(1) VER(1) data"; CE continues the area
/// elsewhere (bounded here: <see cref="MaxContinuationAreas"/> areas, <see cref="MaxContinuationBytes"/> bytes, no area
/// twice); ST ends it. NM and SL accumulate over several entries when their CONTINUE flag is set.
/// </summary>
internal sealed class SuspParser
{
    /// <summary>Continuation areas followed per directory record.</summary>
    public const int MaxContinuationAreas = 32;

    /// <summary>Bytes of continuation areas read per directory record (libisofs writes at most a few KiB).</summary>
    public const int MaxContinuationBytes = 64 << 10;

    /// <summary>Longest Rock Ridge name accepted (Linux allows 255 bytes; some writers go to 1023).</summary>
    public const int MaxNameBytes = 1024;

    /// <summary>Longest symlink target accepted (PATH_MAX).</summary>
    public const int MaxSymlinkBytes = 4096;

    private static readonly string[] RripIds = ["RRIP_1991A", "IEEE_P1282", "IEEE_1282"];

    private readonly IsoImage _image;

    public SuspParser(IsoImage image)
    {
        _image = image;
    }

    /// <param name="area">The record's system use area (after the SP skip bytes).</param>
    /// <param name="areaOffset">Its byte offset in the image, for errors.</param>
    public SystemUseInfo Parse(ReadOnlySpan<byte> area, long areaOffset)
    {
        var info = new SystemUseInfo();
        var state = new State();
        var seen = new HashSet<long>();
        int areas = 0;
        long ceBytes = 0;
        (long Offset, long Length)? next = ParseArea(area, areaOffset, info, state);
        while (next is { } ce && !state.Stopped)
        {
            if (++areas > MaxContinuationAreas)
            {
                throw _image.Error(areaOffset, $"more than {MaxContinuationAreas} SUSP continuation areas (CE) for one record");
            }

            if (!seen.Add(ce.Offset))
            {
                throw _image.Error(ce.Offset, "SUSP continuation area (CE) chain loops");
            }

            ceBytes += ce.Length;
            if (ce.Length > MaxContinuationBytes || ceBytes > MaxContinuationBytes)
            {
                throw _image.Error(ce.Offset, $"SUSP continuation areas (CE) exceed {MaxContinuationBytes} bytes for one record");
            }

            byte[] buffer = _image.ReadExactly(ce.Offset, (int)ce.Length, "SUSP continuation area (CE)");
            next = ParseArea(buffer, ce.Offset, info, state);
        }

        if (state.Name is not null)
        {
            info.Name = Decode(state.Name);
        }

        if (state.Link is not null)
        {
            info.SymlinkTarget = state.LinkText();
        }

        return info;
    }

    private (long Offset, long Length)? ParseArea(ReadOnlySpan<byte> area, long areaOffset, SystemUseInfo info, State state)
    {
        (long, long)? continuation = null;
        int pos = 0;
        while (pos + 4 <= area.Length)
        {
            int len = area[pos + 2];
            if (len < 4 || pos + len > area.Length)
            {
                break; // padding, or a damaged entry: the kernel and libisofs stop here too
            }

            ReadOnlySpan<byte> e = area.Slice(pos, len);
            long at = areaOffset + pos;
            switch ((char)e[0], (char)e[1])
            {
                case ('S', 'T'):
                    state.Stopped = true;
                    return null;
                case ('C', 'E') when len >= 28:
                    {
                        long block = BinaryPrimitives.ReadUInt32LittleEndian(e[4..]);
                        long offset = BinaryPrimitives.ReadUInt32LittleEndian(e[12..]);
                        long length = BinaryPrimitives.ReadUInt32LittleEndian(e[20..]);
                        continuation = ((block * _image.BlockSize) + offset, length);
                        break;
                    }

                case ('S', 'P') when len >= 7:
                    if (e[4] == 0xBE && e[5] == 0xEF)
                    {
                        info.HasSp = true;
                        info.SkipBytes = e[6];
                    }

                    break;
                case ('E', 'R') when len >= 8:
                    {
                        int idLength = e[4];
                        if (8 + idLength <= len)
                        {
                            string id = Encoding.ASCII.GetString(e.Slice(8, idLength));
                            info.HasRripExtension |= Array.IndexOf(RripIds, id) >= 0;
                        }

                        break;
                    }

                case ('P', 'X') when len >= 36:
                    info.HasRripEntries = true;
                    info.Mode = BinaryPrimitives.ReadUInt32LittleEndian(e[4..]);
                    info.Links = BinaryPrimitives.ReadUInt32LittleEndian(e[12..]);
                    info.Uid = BinaryPrimitives.ReadUInt32LittleEndian(e[20..]);
                    info.Gid = BinaryPrimitives.ReadUInt32LittleEndian(e[28..]);
                    info.Inode = len >= 44 ? BinaryPrimitives.ReadUInt32LittleEndian(e[36..]) : null;
                    break;
                case ('P', 'N') when len >= 20:
                    info.HasRripEntries = true;
                    info.DeviceHigh = BinaryPrimitives.ReadUInt32LittleEndian(e[4..]);
                    info.DeviceLow = BinaryPrimitives.ReadUInt32LittleEndian(e[12..]);
                    break;
                case ('S', 'L') when len >= 5:
                    info.HasRripEntries = true;
                    ReadSymlink(area[(pos + 5)..], len - 5, at, state);
                    break;
                case ('N', 'M') when len >= 5:
                    info.HasRripEntries = true;
                    if ((e[4] & 0x06) != 0)
                    {
                        info.NameIsDotOrDotDot = true; // CURRENT (2) or PARENT (4)
                    }
                    else
                    {
                        state.Name ??= [];
                        if (state.Name.Count + len - 5 > MaxNameBytes)
                        {
                            throw _image.Error(at, $"Rock Ridge name (NM) longer than {MaxNameBytes} bytes");
                        }

                        state.Name.AddRange(e[5..]);
                    }

                    break;
                case ('C', 'L') when len >= 12:
                    info.HasRripEntries = true;
                    info.ChildLocation = BinaryPrimitives.ReadUInt32LittleEndian(e[4..]);
                    break;
                case ('R', 'E'):
                    info.HasRripEntries = true;
                    info.Relocated = true;
                    break;
                case ('T', 'F') when len >= 5:
                    info.HasRripEntries = true;
                    info.ModificationTime = ReadModifyTime(e) ?? info.ModificationTime;
                    break;
                case ('P', 'L'):
                case ('R', 'R'):
                case ('S', 'F'):
                    info.HasRripEntries = true;
                    break;
            }

            pos += len;
        }

        return continuation;
    }

    /// <summary>TF: flags, then one timestamp per set bit (CREATION=1, MODIFY=2, ACCESS=4, ATTRIBUTES=8, BACKUP, EXPIRATION,
    /// EFFECTIVE), 7 bytes each, or 17 with LONG_FORM (0x80).</summary>
    private static DateTimeOffset? ReadModifyTime(ReadOnlySpan<byte> e)
    {
        byte flags = e[4];
        if ((flags & 0x02) == 0)
        {
            return null;
        }

        bool longForm = (flags & 0x80) != 0;
        int size = longForm ? 17 : 7;
        int start = 5 + ((flags & 0x01) != 0 ? size : 0);
        if (start + size > e.Length)
        {
            return null;
        }

        return longForm ? IsoTime.ReadLong(e.Slice(start, size)) : IsoTime.ReadShort(e.Slice(start, size));
    }

    /// <summary>SL component records: flags (CONTINUE=1, CURRENT=2, PARENT=4, ROOT=8), length, bytes.</summary>
    /// <remarks>
    /// genisoimage 1.1.11 miscounts the length of an SL entry that follows a continued component, so its last component
    /// overruns the entry (a 40-component target shows it). libisofs, isoinfo and Linux read that component from the
    /// bytes after the entry and end the entry there; so do we, as long as it stays inside the system use area.
    /// </remarks>
    private void ReadSymlink(ReadOnlySpan<byte> rest, int entryBytes, long at, State state)
    {
        state.Link ??= [];
        int pos = 0;
        while (pos + 2 <= entryBytes)
        {
            byte flags = rest[pos];
            int len = rest[pos + 1];
            if (pos + 2 + len > rest.Length)
            {
                throw _image.Error(at, "Rock Ridge symlink component (SL) overruns its system use area");
            }

            string text = (flags & 0x08) != 0 ? string.Empty
                : (flags & 0x02) != 0 ? "."
                : (flags & 0x04) != 0 ? ".."
                : Decode(rest.Slice(pos + 2, len));
            if (state.AppendToLast && state.Link.Count > 0)
            {
                state.Link[^1].Append(text);
            }
            else
            {
                state.Link.Add(new StringBuilder(text));
            }

            state.LinkBytes += text.Length + 1;
            if (state.LinkBytes > MaxSymlinkBytes)
            {
                throw _image.Error(at, $"Rock Ridge symlink target (SL) longer than {MaxSymlinkBytes} bytes");
            }

            state.AppendToLast = (flags & 0x01) != 0;
            pos += 2 + len;
        }
    }

    private static string Decode(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    private static string Decode(List<byte> bytes) => Encoding.UTF8.GetString(bytes.ToArray());

    private sealed class State
    {
        public List<byte>? Name { get; set; }

        public List<StringBuilder>? Link { get; set; }

        public bool AppendToLast { get; set; }

        public int LinkBytes { get; set; }

        public bool Stopped { get; set; }

        /// <summary>Components joined by "/"; a leading ROOT component is the empty string, so "/bin/sh" comes out right.</summary>
        public string LinkText()
        {
            if (Link is null || Link.Count == 0)
            {
                return string.Empty;
            }

            return Link.Count == 1 && Link[0].Length == 0 ? "/" : string.Join('/', Link);
        }
    }
}
