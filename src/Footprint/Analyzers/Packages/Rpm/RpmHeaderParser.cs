using System.Buffers.Binary;
using System.Text;
using Footprint.Formats;

namespace Footprint.Analyzers.Packages.Rpm;

/// <summary>
/// Parses one rpm "header structure" as an rpmdb stores it, into an <see cref="RpmHeader"/>.
/// </summary>
/// <remarks>
/// Layout (rpm's <c>lib/header.c</c>, <c>docs/manual/format.md</c> "Header" and <c>docs/manual/hregions.md</c>, and the RPM file format
/// documentation, "Header Structure"), all integers big-endian:
/// <code>
///   [optional 8 bytes: magic 8E AD E8 01, 4 reserved bytes]  (present in .rpm files, absent in rpmdb blobs)
///   int32 il                 number of index entries
///   int32 dl                 length of the data store in bytes
///   il x 16 bytes            index entries: int32 tag, int32 type, int32 offset, int32 count
///   dl bytes                 data store; an entry's offset is relative to its start
/// </code>
/// Types: 0 NULL, 1 CHAR, 2 INT8, 3 INT16, 4 INT32, 5 INT64, 6 STRING, 7 BIN, 8 STRING_ARRAY, 9 I18NSTRING.
/// STRING, STRING_ARRAY and I18NSTRING are NUL-terminated; <c>count</c> is the number of strings
/// (1 for STRING). Every offset and count is checked against <c>dl</c> and the blob's real length
/// before anything is read, so a lying header cannot make us allocate more than the blob holds.
/// </remarks>
public static class RpmHeaderParser
{
    // Tags (rpm's lib/rpmtag.h).
    internal const int TagName = 1000;
    internal const int TagVersion = 1001;
    internal const int TagRelease = 1002;
    internal const int TagEpoch = 1003;
    internal const int TagSize = 1009;
    internal const int TagLicense = 1014;
    internal const int TagArch = 1022;
    internal const int TagOldFileNames = 1027;
    internal const int TagSourceRpm = 1044;
    internal const int TagProvideName = 1047;
    internal const int TagRequireName = 1049;
    internal const int TagDirIndexes = 1116;
    internal const int TagBaseNames = 1117;
    internal const int TagDirNames = 1118;
    internal const int TagLongSize = 5009;

    // Types (rpm's lib/rpmtag.h, rpmTagType_e).
    private const int TypeInt8 = 2;
    private const int TypeInt16 = 3;
    private const int TypeInt32 = 4;
    private const int TypeInt64 = 5;
    private const int TypeString = 6;
    private const int TypeBin = 7;
    private const int TypeStringArray = 8;
    private const int TypeI18nString = 9;
    private const int TypeMax = 9;

    /// <summary>Lead magic of a header in an .rpm file: 8E AD E8, version 01, then 4 reserved bytes.</summary>
    private static ReadOnlySpan<byte> HeaderMagic => [0x8E, 0xAD, 0xE8, 0x01];

    private const int MagicPrefixBytes = 8;
    private const int PreambleBytes = 8;
    private const int IndexEntryBytes = 16;

    /// <summary>
    /// Parses <paramref name="blob"/>. Errors throw <see cref="FootprintFormatException"/> naming
    /// <paramref name="source"/> and the offset <paramref name="blobOffset"/> + position in the blob.
    /// </summary>
    /// <param name="blob">The header structure, with or without the 8-byte magic prefix.</param>
    /// <param name="source">The database file, for messages.</param>
    /// <param name="blobOffset">Where the blob starts in <paramref name="source"/> (0 when unknown).</param>
    public static RpmHeader Parse(ReadOnlySpan<byte> blob, string source, long blobOffset = 0)
    {
        var start = 0;
        if (blob.Length >= MagicPrefixBytes && blob[..4].SequenceEqual(HeaderMagic))
        {
            start = MagicPrefixBytes;
        }

        if (blob.Length - start < PreambleBytes)
        {
            throw new FootprintFormatException(source, blobOffset + start, $"rpm header of {blob.Length} bytes is shorter than its 8-byte preamble");
        }

        long il = BinaryPrimitives.ReadUInt32BigEndian(blob[start..]);
        long dl = BinaryPrimitives.ReadUInt32BigEndian(blob[(start + 4)..]);
        var indexStart = start + PreambleBytes;
        var available = blob.Length - indexStart;
        if (il == 0 || il * IndexEntryBytes > available || dl > available - (il * IndexEntryBytes))
        {
            throw new FootprintFormatException(
                source, blobOffset + start, $"rpm header claims {il} index entries and {dl} data bytes, but only {available} bytes follow the preamble");
        }

        var dataStart = indexStart + (int)(il * IndexEntryBytes);
        var data = blob.Slice(dataStart, (int)dl);
        long dataOffset = blobOffset + dataStart;

        // Index every entry (validating all of them, as rpm's headerVerifyInfo does); keep the tags we read.
        var wanted = new Dictionary<int, Entry>();
        for (var i = 0; i < il; i++)
        {
            var at = indexStart + (i * IndexEntryBytes);
            var e = blob.Slice(at, IndexEntryBytes);
            var entry = new Entry(
                BinaryPrimitives.ReadInt32BigEndian(e),
                BinaryPrimitives.ReadInt32BigEndian(e[4..]),
                BinaryPrimitives.ReadInt32BigEndian(e[8..]),
                BinaryPrimitives.ReadInt32BigEndian(e[12..]),
                blobOffset + at);
            if (entry.Type is < 0 or > TypeMax)
            {
                throw new FootprintFormatException(source, entry.EntryOffset, $"rpm header tag {entry.Tag} has unknown type {entry.Type}");
            }

            if (entry.Offset < 0 || entry.Offset > dl || entry.Count < 0)
            {
                throw new FootprintFormatException(
                    source, entry.EntryOffset, $"rpm header tag {entry.Tag}: offset {entry.Offset} / count {entry.Count} outside the {dl}-byte data store");
            }

            var width = FixedWidth(entry.Type);
            if (width > 0 && (long)entry.Count * width > dl - entry.Offset)
            {
                throw new FootprintFormatException(
                    source, entry.EntryOffset, $"rpm header tag {entry.Tag}: count {entry.Count} x {width} bytes at data offset {entry.Offset} overrun the {dl}-byte data store");
            }

            // Strings take at least their NUL byte each; a STRING holds exactly one (lib/header.c dataLength() rejects
            // RPM_STRING_TYPE with count != 1).
            if (width == 0 && entry.Type != 0 && (entry.Count > dl - entry.Offset || (entry.Type == TypeString && entry.Count != 1)))
            {
                throw new FootprintFormatException(
                    source, entry.EntryOffset, $"rpm header tag {entry.Tag}: count {entry.Count} strings of type {entry.Type} cannot fit at data offset {entry.Offset} of the {dl}-byte data store");
            }

            if (IsWanted(entry.Tag))
            {
                wanted.TryAdd(entry.Tag, entry);
            }
        }

        var reader = new Reader(data, wanted, source, dataOffset);
        var name = reader.String(TagName)
            ?? throw new FootprintFormatException(source, blobOffset + start, "rpm header has no NAME (1000) tag");
        var sizeBytes = reader.Int64(TagLongSize) ?? reader.UInt32(TagSize);
        var epoch = reader.UInt32(TagEpoch);

        return new RpmHeader(
            name,
            epoch is { } ep ? (int)Math.Min(ep, int.MaxValue) : null,
            reader.String(TagVersion),
            reader.String(TagRelease),
            reader.String(TagArch),
            sizeBytes,
            reader.String(TagLicense),
            reader.String(TagSourceRpm),
            Files(reader, source, blobOffset + start))
        {
            Provides = reader.Strings(TagProvideName) ?? [],
            Requires = reader.Strings(TagRequireName) ?? [],
        };
    }

    private static List<string> Files(Reader reader, string source, long headerOffset)
    {
        var baseNames = reader.Strings(TagBaseNames);
        if (baseNames is null)
        {
            return reader.Strings(TagOldFileNames) ?? [];
        }

        var dirNames = reader.Strings(TagDirNames) ?? [];
        var dirIndexes = reader.Int32s(TagDirIndexes) ?? [];
        if (dirIndexes.Length != baseNames.Count)
        {
            throw new FootprintFormatException(
                source, headerOffset, $"rpm header has {baseNames.Count} BASENAMES but {dirIndexes.Length} DIRINDEXES");
        }

        var files = new List<string>(baseNames.Count);
        for (var i = 0; i < baseNames.Count; i++)
        {
            var d = dirIndexes[i];
            if (d < 0 || d >= dirNames.Count)
            {
                throw new FootprintFormatException(
                    source, headerOffset, $"rpm header file {i} ({baseNames[i]}) has DIRINDEX {d}, but there are {dirNames.Count} DIRNAMES");
            }

            files.Add(dirNames[d] + baseNames[i]);
        }

        return files;
    }

    private static bool IsWanted(int tag) => tag is TagName or TagVersion or TagRelease or TagEpoch or TagSize or TagLicense or TagArch
        or TagOldFileNames or TagSourceRpm or TagDirIndexes or TagBaseNames or TagDirNames or TagLongSize or TagProvideName or TagRequireName;

    /// <summary>Bytes per element for fixed-width types; 0 for strings (variable) and 1 for CHAR/INT8/BIN.</summary>
    private static int FixedWidth(int type) => type switch
    {
        TypeInt16 => 2,
        TypeInt32 => 4,
        TypeInt64 => 8,
        TypeString or TypeStringArray or TypeI18nString or 0 => 0,
        _ => 1,
    };

    private readonly record struct Entry(int Tag, int Type, int Offset, int Count, long EntryOffset);

    /// <summary>Typed reads of already-validated entries of one header's data store.</summary>
    private readonly ref struct Reader(ReadOnlySpan<byte> data, Dictionary<int, Entry> entries, string source, long dataOffset)
    {
        private readonly ReadOnlySpan<byte> data = data;

        public string? String(int tag)
        {
            if (!entries.TryGetValue(tag, out var e) || e.Count == 0)
            {
                return null;
            }

            if (e.Type is not (TypeString or TypeStringArray or TypeI18nString))
            {
                throw Bad(e, $"type {e.Type} where a string was expected");
            }

            // STRING, or the first of STRING_ARRAY / I18NSTRING (the "C" locale's value).
            return NextString(e, e.Offset, out _);
        }

        public List<string>? Strings(int tag)
        {
            if (!entries.TryGetValue(tag, out var e))
            {
                return null;
            }

            if (e.Type is not (TypeStringArray or TypeString or TypeI18nString))
            {
                throw Bad(e, $"type {e.Type} where a string array was expected");
            }

            // Each string takes at least its NUL byte, so a count beyond the remaining bytes is a lie.
            if (e.Count > data.Length - e.Offset)
            {
                throw Bad(e, $"{e.Count} strings cannot fit in {data.Length - e.Offset} bytes");
            }

            var list = new List<string>(e.Count);
            var at = e.Offset;
            for (var i = 0; i < e.Count; i++)
            {
                list.Add(NextString(e, at, out at));
            }

            return list;
        }

        public long? UInt32(int tag)
        {
            if (!entries.TryGetValue(tag, out var e) || e.Count == 0)
            {
                return null;
            }

            return e.Type == TypeInt32
                ? BinaryPrimitives.ReadUInt32BigEndian(data[e.Offset..])
                : throw Bad(e, $"type {e.Type} where INT32 was expected");
        }

        public long? Int64(int tag)
        {
            if (!entries.TryGetValue(tag, out var e) || e.Count == 0)
            {
                return null;
            }

            return e.Type == TypeInt64
                ? BinaryPrimitives.ReadInt64BigEndian(data[e.Offset..])
                : throw Bad(e, $"type {e.Type} where INT64 was expected");
        }

        public int[]? Int32s(int tag)
        {
            if (!entries.TryGetValue(tag, out var e))
            {
                return null;
            }

            if (e.Type != TypeInt32)
            {
                throw Bad(e, $"type {e.Type} where INT32 was expected");
            }

            // Count x 4 was checked against the data store while indexing.
            var values = new int[e.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadInt32BigEndian(data[(e.Offset + (i * 4))..]);
            }

            return values;
        }

        private string NextString(Entry e, int at, out int next)
        {
            var nul = at < data.Length ? data[at..].IndexOf((byte)0) : -1;
            if (nul < 0)
            {
                throw new FootprintFormatException(source, dataOffset + at, $"rpm header tag {e.Tag}: string is not NUL-terminated inside the data store");
            }

            next = at + nul + 1;
            return Encoding.UTF8.GetString(data.Slice(at, nul));
        }

        private FootprintFormatException Bad(Entry e, string what) =>
            new(source, e.EntryOffset, $"rpm header tag {e.Tag}: {what}");
    }
}
