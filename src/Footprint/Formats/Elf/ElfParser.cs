using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;
using static Footprint.Formats.Elf.ElfConstants;

namespace Footprint.Formats.Elf;

/// <summary>
/// One pass over one ELF file for <see cref="ElfReader"/>: the ELF header, the program and section headers, and (in
/// ElfParser.Tables.cs) the tables they point to. Every structure is read through <see cref="Slice"/>, which refuses
/// ranges outside the bytes held; each stage fails on its own and the first failure is kept in
/// <see cref="ElfSummary.Error"/>. Separately, <see cref="ElfSummary.Damage"/> records what would stop the kernel or
/// the dynamic loader from mapping the file at all (Linux fs/binfmt_elf.c <c>load_elf_phdrs</c> and
/// <c>load_elf_binary</c>, musl ldso/dynlink.c <c>map_library</c>, glibc elf/dl-load.c <c>open_verify</c>).
/// </summary>
internal sealed partial class ElfParser
{
    /// <summary>Largest table read from a file on disk in one piece (a claimed size above it is an error, not an allocation).</summary>
    private const int MaxDiskRegionBytes = 16 << 20;

    /// <summary>Bytes read at once from disk: a block at each end of the file.</summary>
    private const int DiskBlockBytes = 16 << 10;

    /// <summary>The kernel refuses a program header table larger than this (fs/binfmt_elf.c load_elf_phdrs: "size > 65536").</summary>
    private const ulong MaxProgramHeaderTableBytes = 65536;

    /// <summary>The kernel's bounds on PT_INTERP's p_filesz (load_elf_binary: "p_filesz > PATH_MAX || p_filesz &lt; 2").</summary>
    private const ulong MinInterpreterBytes = 2, MaxInterpreterBytes = 4096;

    private readonly ReadOnlyMemory<byte> _memory;
    private readonly SafeFileHandle? _file;
    private readonly long _length;
    private readonly long _fileSize;
    private readonly bool _scanStrings;
    private readonly bool _is64;
    private readonly bool _big;
    private readonly List<byte[]> _rented = [];
    private ReadOnlyMemory<byte>? _head;
    private ReadOnlyMemory<byte>? _tail;
    private string? _error;

    /// <param name="bytes">The bytes held in memory, or (with <paramref name="file"/>) the identification (at least 6 bytes, class and encoding checked by <see cref="CheckIdent"/>).</param>
    /// <param name="file">Read regions from this file instead of <paramref name="bytes"/>.</param>
    /// <param name="length">Bytes available: held in memory, or the file's length.</param>
    /// <param name="fileSize">The file's real size (larger than <paramref name="length"/> when only a prefix is held).</param>
    /// <param name="scanStrings">Search the whole file for the BusyBox banner and rustc paths.</param>
    public ElfParser(ReadOnlyMemory<byte> bytes, SafeFileHandle? file, long length, long fileSize, bool scanStrings)
    {
        _memory = bytes;
        _file = file;
        _length = length;
        _fileSize = Math.Max(fileSize, length);
        _scanStrings = scanStrings;
        _is64 = bytes.Span[EiClass] == ClassElf64;
        _big = bytes.Span[EiData] == DataBig;
    }

    /// <summary>The whole file when it is held in memory; empty for a file read by regions.</summary>
    private ReadOnlySpan<byte> Bytes => _file is null ? _memory.Span : default;

    /// <summary>
    /// The damaged summary of a file that starts with the ELF magic but whose identification the kernel refuses
    /// (too short to hold EI_CLASS and EI_DATA, or either of them neither 1 nor 2); null when it is sound.
    /// </summary>
    public static ElfSummary? CheckIdent(ReadOnlySpan<byte> ident, long fileSize, bool partial)
    {
        string? damage = null;
        if (ident.Length <= EiData)
        {
            damage = $"at offset 0: the file has {fileSize} bytes, too few for the ELF identification (e_ident, {IdentBytes} bytes)";
        }
        else if (ident[EiClass] is not (ClassElf32 or ClassElf64))
        {
            damage = $"at offset {EiClass}: EI_CLASS 0x{ident[EiClass]:x2} is neither 1 (ELFCLASS32) nor 2 (ELFCLASS64)";
        }
        else if (ident[EiData] is not (DataLittle or DataBig))
        {
            damage = $"at offset {EiData}: EI_DATA 0x{ident[EiData]:x2} is neither 1 (little-endian) nor 2 (big-endian)";
        }

        return damage is null ? null : Damaged(0, false, damage, partial);
    }

    private static ElfSummary Damaged(int bits, bool big, string damage, bool partial) => new()
    {
        Bits = bits,
        BigEndian = big,
        Type = "?",
        MachineCode = 0,
        Machine = "?",
        Linkage = ElfLinkage.None,
        Partial = partial,
        Error = damage,
        Damage = damage,
    };

    public ElfSummary Run(bool partial)
    {
        var headerBytes = _is64 ? Header64Bytes : Header32Bytes;
        if (_length < headerBytes)
        {
            return Damaged(_is64 ? 64 : 32, _big, $"at offset 0: the file has {_fileSize} bytes, too few for the {headerBytes}-byte ELF{(_is64 ? 64 : 32)} header", partial);
        }

        var h = Slice(0, (ulong)headerBytes, "ELF header");

        var type = U16(h, 16);
        var machine = U16(h, 18);
        var phoff = _is64 ? U64(h, 32) : U32(h, 28);
        var shoff = _is64 ? U64(h, 40) : U32(h, 32);
        int phentsize = U16(h, _is64 ? 54 : 42), phnum = U16(h, _is64 ? 56 : 44);
        int shentsize = U16(h, _is64 ? 58 : 46), shnum = U16(h, _is64 ? 60 : 48), shstrndx = U16(h, _is64 ? 62 : 50);

        // The program headers of a program or shared object are judged before they are read: a table the kernel
        // would refuse is not parsed at all (e_phnum 65535 allocates nothing).
        var damage = TypeDamage(type) ?? (type is EtExec or EtDyn ? ProgramHeaderDamage(phoff, phentsize, phnum) : null);
        var segments = damage is null ? Stage(() => ReadSegments(phoff, phentsize, phnum), []) : [];
        var sections = Stage(() => ReadSections(shoff, shentsize, shnum, shstrndx), []);
        damage ??= Stage(() => SegmentDamage(segments, sections, phoff) ?? SectionTableDamage(shoff, shentsize, shnum), null);

        string? interp = null;
        uint? stack = null;
        var relro = false;
        foreach (var s in segments)
        {
            switch (s.Type)
            {
                case PtInterp:
                    interp ??= Stage(() => CString(s.Offset, s.FileSize, "PT_INTERP"), null);
                    break;
                case PtGnuStack:
                    stack = s.Flags;
                    break;
                case PtGnuRelro:
                    relro = true;
                    break;
            }
        }

        var dyn = Stage(() => ReadDynamic(segments, sections), default(ElfDynamicInfo));
        var needs = Stage(() => ReadVersionNeeds(dyn, segments, sections), []);
        var defs = Stage(() => ReadVersionDefinitions(dyn, segments, sections), []);
        var symbols = Stage(() => ReadDynamicSymbolFacts(sections, dyn), null) ?? ElfSymbolFacts.None(_error ?? "the dynamic symbols could not be read");
        var buildId = Stage(() => ReadBuildId(segments, sections), null);
        var comments = Stage(() => ReadComments(sections), []);
        var goSection = Array.FindIndex(sections, s => s.Name == ".go.buildinfo" && s.Type != ShtNobits);
        var map = new ElfAddressMap(segments, sections);
        var go = Stage(() => GoBuildInfoReader.Read(ReadRegion, goSection >= 0 ? (long)sections[goSection].Offset : -1, map.ToOffset, Bytes), null);

        var hasDynamic = segments.Any(s => s.Type == PtDynamic) || sections.Any(s => s.Type == ShtDynamic);
        var pie = type == EtDyn && ((dyn.Flags1 ?? 0) & Df1Pie) != 0;
        var linkage = type switch
        {
            // A damaged file is no kind of program: without its program headers "no PT_INTERP" would read as static.
            _ when damage is not null => ElfLinkage.None,
            EtExec => interp is not null ? ElfLinkage.Dynamic : ElfLinkage.Static,
            EtDyn when interp is not null => ElfLinkage.Dynamic,
            EtDyn when pie => ElfLinkage.StaticPie,
            EtDyn => ElfLinkage.SharedLibrary,
            _ => ElfLinkage.None,
        };
        if (damage is null && type == EtExec && interp is null && hasDynamic)
        {
            linkage = ElfLinkage.Static; // a static executable with a (vestigial) dynamic section: still needs no loader
        }

        return new ElfSummary
        {
            Bits = _is64 ? 64 : 32,
            BigEndian = _big,
            Type = TypeName(type),
            MachineCode = machine,
            Machine = MachineName(machine, _is64, _big),
            Linkage = linkage,
            Interpreter = interp,
            Needed = dyn.Needed ?? [],
            Soname = dyn.Soname,
            Rpath = dyn.Rpath,
            Runpath = dyn.Runpath,
            Flags = dyn.Flags,
            Flags1 = dyn.Flags1,
            BindNow = dyn.BindNow || ((dyn.Flags ?? 0) & DfBindNow) != 0 || ((dyn.Flags1 ?? 0) & Df1Now) != 0,
            Pie = type == EtDyn && (pie || interp is not null),
            HasBindNowTag = dyn.BindNow,
            HasDebugTag = dyn.Debug,
            Relro = relro,
            GnuStackFlags = stack,
            VersionNeeds = needs,
            VersionDefinitions = defs,
            HasSectionHeaders = sections.Length > 0,
            HasSymbolTable = sections.Any(s => s.Type == ShtSymtab),
            BuildId = buildId,
            StackProtector = symbols.StackProtector,
            FortifiedSymbols = symbols.Fortified,
            SpawnImports = symbols.SpawnImports,
            ImportsDlopen = symbols.ImportsDlopen,
            LibraryStrings = _scanStrings && symbols.ImportsDlopen && !partial ? ElfLibraryStrings.Find(Bytes) : null,
            ImportsUnreadable = symbols.Unreadable,
            Comments = comments,
            Go = go,
            RustMarker = _scanStrings ? ElfReader.FindRustMarker(Bytes) : null,
            BusyBoxVersion = _scanStrings ? ElfReader.FindBusyBoxVersion(Bytes) : null,
            Partial = partial,
            Damage = damage,
            Error = damage ?? _error ?? (partial ? $"only the first {_length} bytes were read (limit {ElfInspector.MaxInspectBytes})" : null),
        };
    }

    /// <summary>e_type 0 (ET_NONE) or an unassigned value below the OS- and processor-specific range (0xfe00): nothing runs or links it.</summary>
    private static string? TypeDamage(ushort type)
        => type is EtRel or EtExec or EtDyn or EtCore || type >= 0xfe00 ? null : $"at offset 16: e_type 0x{type:x} is none of REL, EXEC, DYN or CORE";

    /// <summary>What the kernel checks before it reads the program headers of an executable or shared object.</summary>
    private string? ProgramHeaderDamage(ulong phoff, int entsize, int count)
    {
        var bits = _is64 ? 64 : 32;
        var expected = _is64 ? 56 : 32;
        var at = _is64 ? 54 : 42;
        if (count == 0)
        {
            return $"at offset {at + 2}: e_phnum is 0, and an executable or shared object (e_type EXEC or DYN) needs program headers";
        }

        if (entsize != expected)
        {
            return $"at offset {at}: e_phentsize {entsize} is not {expected}, the size of an ELF{bits} program header";
        }

        var bytes = (ulong)count * (ulong)expected;
        if (bytes > MaxProgramHeaderTableBytes)
        {
            return $"at offset {at + 2}: e_phnum {count} program headers of {expected} bytes make {bytes} bytes, more than the {MaxProgramHeaderTableBytes} the kernel reads";
        }

        if (phoff == 0 || phoff > (ulong)_fileSize || bytes > (ulong)_fileSize - phoff)
        {
            return $"at offset {(_is64 ? 32 : 28)}: e_phoff 0x{phoff:x}: the program header table ({count} entries of {expected} bytes) "
                + (phoff == 0 ? "would overlap the ELF header" : $"runs past the end of the {_fileSize}-byte file");
        }

        return null;
    }

    /// <summary>
    /// A segment the kernel or the loader maps from the file (PT_LOAD, PT_INTERP, PT_DYNAMIC) that is not inside it:
    /// mapping succeeds, and the first touch of the missing bytes kills the process with SIGBUS. PT_INTERP must also
    /// be a NUL-terminated path of 2 to 4096 bytes. A separate debug file (objcopy --only-keep-debug: .text is
    /// SHT_NOBITS) keeps the program headers of the file it was split from, so its segments are not judged.
    /// </summary>
    private string? SegmentDamage(ElfSegment[] segments, ElfSection[] sections, ulong phoff)
    {
        if (sections.Any(s => s.Name == ".text" && s.Type == ShtNobits))
        {
            return null;
        }

        var size = (ulong)_fileSize;
        for (var i = 0; i < segments.Length; i++)
        {
            var s = segments[i];
            var at = phoff + ((ulong)i * (_is64 ? 56UL : 32UL));
            var name = s.Type switch { PtLoad => "PT_LOAD", PtInterp => "PT_INTERP", PtDynamic => "PT_DYNAMIC", _ => null };
            if (name is null)
            {
                continue;
            }

            if (s.Offset > size || s.FileSize > size - s.Offset)
            {
                return $"at offset {at}: program header {i}, {name} at p_offset 0x{s.Offset:x} ({s.FileSize} bytes), runs past the end of the {_fileSize}-byte file";
            }

            if (s.Type == PtInterp)
            {
                if (s.FileSize is < MinInterpreterBytes or > MaxInterpreterBytes)
                {
                    return $"at offset {at}: program header {i}, PT_INTERP, has {s.FileSize} bytes; the kernel takes an interpreter path of {MinInterpreterBytes} to {MaxInterpreterBytes}";
                }

                var last = s.Offset + s.FileSize - 1;
                if (last < (ulong)_length && Slice(last, 1, "PT_INTERP")[0] != 0)
                {
                    return $"at offset {at}: program header {i}, PT_INTERP at p_offset 0x{s.Offset:x} ({s.FileSize} bytes), is not NUL-terminated";
                }
            }
        }

        return null;
    }

    /// <summary>A section header table that runs past the end of the file: the file was cut, or its header overwritten.</summary>
    private string? SectionTableDamage(ulong shoff, int entsize, int count)
    {
        var bytes = (ulong)count * (ulong)entsize;
        if (shoff == 0 || bytes == 0 || (shoff <= (ulong)_fileSize && bytes <= (ulong)_fileSize - shoff))
        {
            return null;
        }

        return $"at offset {(_is64 ? 40 : 32)}: e_shoff 0x{shoff:x}: the section header table ({count} entries of {entsize} bytes) runs past the end of the {_fileSize}-byte file";
    }

    private delegate T StageFunc<out T>();

    private T Stage<T>(StageFunc<T> f, T fallback)
    {
        try
        {
            return f();
        }
        catch (ElfFormatException e)
        {
            _error ??= e.Message;
            return fallback;
        }
    }

    private ReadOnlySpan<byte> Slice(ulong offset, ulong length, string what) => Region(offset, length, what).Span;

    /// <summary>A range of the file: a view of the bytes held, or read from disk (bounded by <see cref="MaxDiskRegionBytes"/>).</summary>
    private ReadOnlyMemory<byte> Region(ulong offset, ulong length, string what)
    {
        if (offset > (ulong)_length || length > (ulong)_length - offset)
        {
            throw new ElfFormatException($"at offset {offset}: {what} ({length} bytes) lies outside the {_length} bytes read");
        }

        if (_file is null)
        {
            return _memory.Slice((int)offset, (int)length);
        }

        if (length > MaxDiskRegionBytes)
        {
            throw new ElfFormatException($"at offset {offset}: {what} claims {length} bytes (more than {MaxDiskRegionBytes} are not read)");
        }

        // Most tables sit in the first pages (program headers, dynamic strings and symbols, versions, notes) or the
        // last ones (.comment, the section-name table, the section headers): one read of each block serves them.
        var end = offset + length;
        _head ??= ReadBlock(0, (int)Math.Min(_length, DiskBlockBytes), what);
        if (end <= (ulong)_head.Value.Length)
        {
            return _head.Value.Slice((int)offset, (int)length);
        }

        var tailStart = (ulong)Math.Max(0, _length - DiskBlockBytes);
        if (offset >= tailStart)
        {
            _tail ??= ReadBlock(tailStart, (int)((ulong)_length - tailStart), what);
            return _tail.Value.Slice((int)(offset - tailStart), (int)length);
        }

        return ReadBlock(offset, (int)length, what);
    }

    /// <summary>Reads from the file into a pooled array (returned by <see cref="ReturnBuffers"/> once the summary is built).</summary>
    private ReadOnlyMemory<byte> ReadBlock(ulong offset, int length, string what)
    {
        var bytes = ElfBuffers.Rent(Math.Max(length, 1));
        _rented.Add(bytes);
        var done = 0;
        while (done < length)
        {
            var n = RandomAccess.Read(_file!, bytes.AsSpan(done, length - done), (long)offset + done);
            if (n <= 0)
            {
                throw new ElfFormatException($"at offset {offset + (ulong)done}: the file ended while reading {what}");
            }

            done += n;
        }

        return bytes.AsMemory(0, length);
    }

    /// <summary>The summary holds strings and lists only, so the blocks go back to the pool when it is built.</summary>
    public void ReturnBuffers()
    {
        foreach (var b in _rented)
        {
            ElfBuffers.Return(b);
        }

        _rented.Clear();
    }

    /// <summary>For the Go reader: a range, or empty when it is outside the file.</summary>
    private ReadOnlySpan<byte> ReadRegion(ulong offset, ulong length)
        => offset <= (ulong)_length && length <= (ulong)_length - offset && length <= MaxDiskRegionBytes ? Region(offset, length, "Go build info").Span : default;

    private ushort U16(ReadOnlySpan<byte> s, int at) => _big ? BinaryPrimitives.ReadUInt16BigEndian(s[at..]) : BinaryPrimitives.ReadUInt16LittleEndian(s[at..]);

    private uint U32(ReadOnlySpan<byte> s, int at) => _big ? BinaryPrimitives.ReadUInt32BigEndian(s[at..]) : BinaryPrimitives.ReadUInt32LittleEndian(s[at..]);

    private ulong U64(ReadOnlySpan<byte> s, int at) => _big ? BinaryPrimitives.ReadUInt64BigEndian(s[at..]) : BinaryPrimitives.ReadUInt64LittleEndian(s[at..]);

    private ulong Word(ReadOnlySpan<byte> s, int at) => _is64 ? U64(s, at) : U32(s, at);

    private ElfSegment[] ReadSegments(ulong phoff, int entsize, int count)
    {
        if (count == 0 || phoff == 0)
        {
            return [];
        }

        var min = _is64 ? 56 : 32;
        if (entsize < min || count > MaxProgramHeaders)
        {
            throw new ElfFormatException($"at offset {phoff}: program header table of {count} entries of {entsize} bytes is not valid");
        }

        var table = Slice(phoff, (ulong)count * (ulong)entsize, "program header table");
        var result = new ElfSegment[count];
        for (var i = 0; i < count; i++)
        {
            var p = table.Slice(i * entsize, entsize);
            result[i] = _is64
                ? new ElfSegment(U32(p, 0), U32(p, 4), U64(p, 8), U64(p, 16), U64(p, 32), U64(p, 48))
                : new ElfSegment(U32(p, 0), U32(p, 24), U32(p, 4), U32(p, 8), U32(p, 16), U32(p, 28));
        }

        return result;
    }

    private ElfSection[] ReadSections(ulong shoff, int entsize, int count, int strndx)
    {
        if (shoff == 0)
        {
            return [];
        }

        var min = _is64 ? 64 : 40;
        if (entsize < min)
        {
            throw new ElfFormatException($"at offset {shoff}: section header size {entsize} is below {min}");
        }

        var first = Slice(shoff, (ulong)entsize, "section header 0");
        if (count == 0)
        {
            var real = _is64 ? U64(first, 32) : U32(first, 20);
            if (real > MaxSections)
            {
                throw new ElfFormatException($"at offset {shoff}: {real} sections");
            }

            count = (int)real;
        }

        if (strndx == ShnXindex)
        {
            strndx = (int)U32(first, _is64 ? 40 : 24);
        }

        var table = Slice(shoff, (ulong)count * (ulong)entsize, "section header table");
        var result = new ElfSection[count];
        for (var i = 0; i < count; i++)
        {
            var h = table.Slice(i * entsize, entsize);
            result[i] = _is64
                ? new ElfSection(U32(h, 0), U32(h, 4), U64(h, 16), U64(h, 24), U64(h, 32), U32(h, 40), U64(h, 56), U64(h, 48))
                : new ElfSection(U32(h, 0), U32(h, 4), U32(h, 12), U32(h, 16), U32(h, 20), U32(h, 24), U32(h, 36), U32(h, 32));
        }

        if (strndx > 0 && strndx < count && result[strndx].Type != ShtNobits)
        {
            var names = Slice(result[strndx].Offset, result[strndx].Size, "section name table");
            for (var i = 0; i < count; i++)
            {
                if (result[i].NameOffset < names.Length)
                {
                    result[i] = result[i] with { Name = Terminated(names[(int)result[i].NameOffset..]) };
                }
            }
        }

        return result;
    }

    private string CString(ulong offset, ulong max, string what)
    {
        var available = (ulong)_length - Math.Min(offset, (ulong)_length);
        return Terminated(Slice(offset, Math.Min(Math.Min(max, available), MaxStringBytes), what));
    }

    /// <summary>The NUL-terminated string at the start of <paramref name="s"/> (all of it when there is no NUL), at most <see cref="MaxStringBytes"/>.</summary>
    private static string Terminated(ReadOnlySpan<byte> s)
    {
        var end = s.IndexOf((byte)0);
        return Encoding.UTF8.GetString(s[..Math.Min(end < 0 ? s.Length : end, MaxStringBytes)]);
    }
}
