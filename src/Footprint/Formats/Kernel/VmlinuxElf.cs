using System.Buffers.Binary;
using System.Text;

namespace Footprint.Formats.Kernel;

/// <summary>
/// The little of a vmlinux ELF the kernel reader needs: its section table (to find .init.data, where INIT_RAM_FS puts
/// the built-in initramfs) and, when the symbol table was kept, the linker symbols __initramfs_start and
/// __initramfs_size. Every table is bounds-checked against the image; a damaged table yields no sections (the caller
/// then scans the whole image) rather than an exception, and no count read from the image sizes an allocation beyond
/// the image itself.
/// </summary>
public sealed class VmlinuxElf
{
    /// <summary>Most sections believed (a vmlinux has about 40; the table's count is not trusted beyond this).</summary>
    public const int MaxSections = 4096;

    /// <summary>Longest section or symbol name read.</summary>
    private const int MaxNameBytes = 128;

    private readonly byte[] _image;

    private VmlinuxElf(byte[] image, bool is64, bool big, IReadOnlyList<VmlinuxSection> sections)
    {
        _image = image;
        Is64 = is64;
        BigEndian = big;
        Sections = sections;
    }

    public bool Is64 { get; }

    public bool BigEndian { get; }

    public IReadOnlyList<VmlinuxSection> Sections { get; }

    /// <summary>Reads the section table of <paramref name="image"/>, an ELF (magic already checked).</summary>
    public static VmlinuxElf Read(byte[] image)
    {
        bool is64 = image.Length > 4 && image[4] == 2;
        bool big = image.Length > 5 && image[5] == 2;
        var empty = new VmlinuxElf(image, is64, big, []);
        int headerBytes = is64 ? 64 : 52;
        if (image.Length < headerBytes)
        {
            return empty;
        }

        var r = new Reader(image, big);
        long shoff = is64 ? (long)Math.Min(r.U64(0x28), long.MaxValue) : r.U32(0x20);
        int shentsize = r.U16(is64 ? 0x3A : 0x2E);
        int shnum = r.U16(is64 ? 0x3C : 0x30);
        int shstrndx = r.U16(is64 ? 0x3E : 0x32);
        int minEntry = is64 ? 64 : 40;
        if (shoff <= 0 || shnum == 0 || shnum > MaxSections || shentsize < minEntry || shoff > image.Length || (long)shnum * shentsize > image.Length - shoff)
        {
            return empty;
        }

        var raw = new List<(uint NameOffset, uint Type, ulong Address, long Offset, long Size, int Link)>(shnum);
        for (int i = 0; i < shnum; i++)
        {
            long e = shoff + ((long)i * shentsize);
            uint name = r.U32(e);
            uint type = r.U32(e + 4);
            ulong addr = is64 ? r.U64(e + 0x10) : r.U32(e + 0x0C);
            ulong off = is64 ? r.U64(e + 0x18) : r.U32(e + 0x10);
            ulong size = is64 ? r.U64(e + 0x20) : r.U32(e + 0x14);
            int link = (int)Math.Min(r.U32(is64 ? e + 0x28 : e + 0x18), int.MaxValue);

            // NOBITS (.bss) occupies no file bytes; anything else must lie inside the image or is dropped.
            bool inFile = type == 8 || (off <= (ulong)image.Length && size <= (ulong)image.Length - off);
            raw.Add(inFile ? (name, type, addr, (long)Math.Min(off, (ulong)image.Length), type == 8 ? 0 : (long)size, link) : (name, 0u, 0, 0, 0, 0));
        }

        if (shstrndx >= raw.Count || raw[shstrndx].Type != 3)
        {
            return empty;
        }

        var names = raw[shstrndx];
        var sections = raw.Select(s => new VmlinuxSection(CString(image, names.Offset, names.Size, s.NameOffset), s.Type, s.Address, s.Offset, s.Size, s.Link)).ToList();
        return new VmlinuxElf(image, is64, big, sections);
    }

    /// <summary>The first section named <paramref name="name"/> with bytes in the file, or null.</summary>
    public VmlinuxSection? Section(string name) => Sections.FirstOrDefault(s => s.Name == name && s.Type != 8 && s.Size > 0);

    /// <summary>
    /// The value of the named symbols in the symbol table (SHT_SYMTAB), when the table was kept (an unstripped vmlinux);
    /// empty for the stripped vmlinux.bin inside a bzImage.
    /// </summary>
    public IReadOnlyDictionary<string, ulong> Symbols(params string[] wanted)
    {
        var found = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var table = Sections.FirstOrDefault(s => s.Type == 2 && s.Size > 0);
        if (table is null || table.Link <= 0 || table.Link >= Sections.Count || Sections[table.Link].Type != 3)
        {
            return found;
        }

        var strings = Sections[table.Link];
        var r = new Reader(_image, BigEndian);
        int entry = Is64 ? 24 : 16;
        for (long e = table.Offset; e + entry <= table.Offset + table.Size && found.Count < wanted.Length; e += entry)
        {
            string name = CString(_image, strings.Offset, strings.Size, r.U32(e));
            if (Array.IndexOf(wanted, name) >= 0)
            {
                found.TryAdd(name, Is64 ? r.U64(e + 8) : r.U32(e + 4));
            }
        }

        return found;
    }

    /// <summary>The file offset of virtual address <paramref name="address"/>, through the section that holds it.</summary>
    public long? FileOffset(ulong address)
    {
        foreach (var s in Sections)
        {
            if (s.Type != 8 && s.Size > 0 && s.Address != 0 && address >= s.Address && address - s.Address < (ulong)s.Size)
            {
                return s.Offset + (long)(address - s.Address);
            }
        }

        return null;
    }

    private static string CString(byte[] image, long tableOffset, long tableSize, uint at)
    {
        if (at >= tableSize)
        {
            return string.Empty;
        }

        var span = image.AsSpan((int)(tableOffset + at), (int)Math.Min(MaxNameBytes, tableSize - at));
        int end = span.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? span : span[..end]);
    }

    /// <summary>Bounds-checked reads; past the end reads as zero (a table cut short then fails its own checks).</summary>
    private readonly struct Reader(byte[] image, bool big)
    {
        public ushort U16(long at) => at >= 0 && at + 2 <= image.Length ? (big ? BinaryPrimitives.ReadUInt16BigEndian(image.AsSpan((int)at)) : BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan((int)at))) : (ushort)0;

        public uint U32(long at) => at >= 0 && at + 4 <= image.Length ? (big ? BinaryPrimitives.ReadUInt32BigEndian(image.AsSpan((int)at)) : BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan((int)at))) : 0;

        public ulong U64(long at) => at >= 0 && at + 8 <= image.Length ? (big ? BinaryPrimitives.ReadUInt64BigEndian(image.AsSpan((int)at)) : BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan((int)at))) : 0;
    }
}
