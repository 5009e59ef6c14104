using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;
using static Footprint.Formats.Elf.ElfConstants;

namespace Footprint.Formats.Elf;

/// <summary>
/// Reads an <see cref="ElfSummary"/> from the bytes of one ELF file held in memory (all of it, or its first
/// <see cref="ElfInspector.MaxInspectBytes"/>).
/// <para>
/// Parsed by hand, not with ELFSharp 2.17.3 or LibObjectFile 2.3.1: both want a seekable stream and materialise
/// section contents as arrays sized from the headers (an allocation a hostile header controls), ELFSharp targets
/// netstandard2.0 without trimming/AOT annotations, and neither reads the GNU symbol-versioning sections
/// (SHT_GNU_verneed / verdef), PT_GNU_* segments by name, sstrip'ed files (no section headers, where the
/// dynamic section must be found through PT_DYNAMIC and DT_STRTAB mapped through PT_LOAD) or Go build info.
/// What is read here is a few fixed-size tables, so a bounds-checked span reader is smaller than the adapter.
/// </para>
/// <para>
/// Every structure is read through <c>Slice</c>, which refuses ranges outside the bytes held; each stage
/// (program headers, sections, dynamic, versions, symbols, notes, Go) fails on its own and the first failure is
/// kept in <see cref="ElfSummary.Error"/> with its offset, so one damaged table does not hide the rest.
/// </para>
/// </summary>
public static class ElfReader
{
    private static readonly byte[] Magic = [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    /// <summary>True when the bytes start with the ELF magic and a known class and data encoding.</summary>
    public static bool IsElf(ReadOnlySpan<byte> head)
        => head.Length >= IdentBytes && head.StartsWith(Magic)
            && head[4] is ClassElf32 or ClassElf64 && head[5] is DataLittle or DataBig;

    /// <summary>
    /// Summarises an ELF file. <paramref name="bytes"/> is the file or its first part; <paramref name="fileSizeBytes"/>
    /// its real size (larger when only a prefix is held). Returns null when the bytes are not ELF at all; never throws
    /// on malformed input.
    /// </summary>
    public static ElfSummary? Read(ReadOnlyMemory<byte> bytes, long fileSizeBytes)
    {
        if (!IsElf(bytes.Span))
        {
            return null;
        }

        var partial = bytes.Length < fileSizeBytes;
        return new Parser(bytes, null, bytes.Length, scanStrings: true).Run(partial);
    }

    /// <summary>
    /// Summarises an ELF file on disk by random access: only the headers and the tables they point to are read (a few
    /// KiB for most files), so the whole-file string scans (<see cref="ElfSummary.BusyBoxVersion"/>,
    /// <see cref="ElfSummary.RustMarker"/>) are left out; <see cref="FindBusyBoxVersion(Stream)"/> does the first on request.
    /// Null when the file is not ELF.
    /// </summary>
    public static ElfSummary? Read(SafeFileHandle file, long lengthBytes)
    {
        Span<byte> ident = stackalloc byte[IdentBytes];
        if (lengthBytes < IdentBytes || RandomAccess.Read(file, ident, 0) < IdentBytes || !IsElf(ident))
        {
            return null;
        }

        var parser = new Parser(ident.ToArray(), file, lengthBytes, scanStrings: false);
        try
        {
            return parser.Run(partial: false);
        }
        finally
        {
            parser.ReturnBuffers();
        }
    }

    private readonly record struct Segment(uint Type, uint Flags, ulong Offset, ulong VirtualAddress, ulong FileSize, ulong Align);

    private readonly record struct Section(uint NameOffset, uint Type, ulong Address, ulong Offset, ulong Size, uint Link, ulong EntrySize, ulong Align)
    {
        public string Name { get; init; } = string.Empty;
    }

    private sealed class Parser
    {
        /// <summary>Largest table read from a file on disk in one piece (a claimed size above it is an error, not an allocation).</summary>
        private const int MaxDiskRegionBytes = 16 << 20;

        private readonly ReadOnlyMemory<byte> _memory;
        private readonly SafeFileHandle? _file;
        private readonly long _length;
        private readonly bool _scanStrings;
        private readonly bool _is64;
        private readonly bool _big;
        private string? _error;

        /// <param name="bytes">The bytes held in memory, or (with <paramref name="file"/>) the first 16.</param>
        /// <param name="file">Read regions from this file instead of <paramref name="bytes"/>.</param>
        /// <param name="length">Bytes available.</param>
        /// <param name="scanStrings">Search the whole file for the BusyBox banner and rustc paths.</param>
        public Parser(ReadOnlyMemory<byte> bytes, SafeFileHandle? file, long length, bool scanStrings)
        {
            _memory = bytes;
            _file = file;
            _length = length;
            _scanStrings = scanStrings;
            _is64 = bytes.Span[4] == ClassElf64;
            _big = bytes.Span[5] == DataBig;
        }

        /// <summary>The whole file when it is held in memory; empty for a file read by regions.</summary>
        private ReadOnlySpan<byte> Bytes => _file is null ? _memory.Span : default;

        public ElfSummary Run(bool partial)
        {
            var headerBytes = _is64 ? Header64Bytes : Header32Bytes;
            if (_length < headerBytes)
            {
                return new ElfSummary
                {
                    Bits = _is64 ? 64 : 32,
                    BigEndian = _big,
                    Type = "?",
                    MachineCode = 0,
                    Machine = "?",
                    Partial = partial,
                    Error = $"at offset 0: ELF header needs {headerBytes} bytes, the file has {_length}",
                };
            }

            var h = Slice(0, (ulong)headerBytes, "ELF header");

            var type = U16(h, 16);
            var machine = U16(h, 18);
            var phoff = _is64 ? U64(h, 32) : U32(h, 28);
            var shoff = _is64 ? U64(h, 40) : U32(h, 32);
            int phentsize = U16(h, _is64 ? 54 : 42), phnum = U16(h, _is64 ? 56 : 44);
            int shentsize = U16(h, _is64 ? 58 : 46), shnum = U16(h, _is64 ? 60 : 48), shstrndx = U16(h, _is64 ? 62 : 50);

            var segments = Stage(() => ReadSegments(phoff, phentsize, phnum), []);
            var sections = Stage(() => ReadSections(shoff, shentsize, shnum, shstrndx), []);

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

            var dyn = Stage(() => ReadDynamic(segments, sections), default(DynamicInfo));
            var needs = Stage(() => ReadVersionNeeds(dyn, segments, sections), []);
            var defs = Stage(() => ReadVersionDefinitions(dyn, segments, sections), []);
            var symbols = Stage(() => ReadDynamicSymbolFacts(sections), (false, Array.Empty<string>()));
            var buildId = Stage(() => ReadBuildId(segments, sections), null);
            var comments = Stage(() => ReadComments(sections), []);
            var goSection = Array.FindIndex(sections, s => s.Name == ".go.buildinfo" && s.Type != ShtNobits);
            var map = MapAddress(segments, sections);
            var go = Stage(() => GoBuildInfoReader.Read(ReadRegion, goSection >= 0 ? (long)sections[goSection].Offset : -1, map.ToOffset, Bytes), null);

            var hasDynamic = segments.Any(s => s.Type == PtDynamic) || sections.Any(s => s.Type == ShtDynamic);
            var pie = type == EtDyn && ((dyn.Flags1 ?? 0) & Df1Pie) != 0;
            var linkage = type switch
            {
                EtExec => interp is not null ? ElfLinkage.Dynamic : ElfLinkage.Static,
                EtDyn when interp is not null => ElfLinkage.Dynamic,
                EtDyn when pie => ElfLinkage.StaticPie,
                EtDyn => ElfLinkage.SharedLibrary,
                _ => ElfLinkage.None,
            };
            if (type == EtExec && interp is null && hasDynamic)
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
                StackProtector = symbols.Item1,
                FortifiedSymbols = symbols.Item2,
                Comments = comments,
                Go = go,
                RustMarker = _scanStrings ? FindRustMarker(Bytes) : null,
                BusyBoxVersion = _scanStrings ? FindBusyBoxVersion(Bytes) : null,
                Partial = partial,
                Error = _error ?? (partial ? $"only the first {_length} bytes were read (limit {ElfInspector.MaxInspectBytes})" : null),
            };
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

        /// <summary>Bytes read at once from disk: a block at each end of the file.</summary>
        private const int DiskBlockBytes = 16 << 10;

        private ReadOnlyMemory<byte>? _head;
        private ReadOnlyMemory<byte>? _tail;
        private readonly List<byte[]> _rented = [];

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

        private Segment[] ReadSegments(ulong phoff, int entsize, int count)
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
            var result = new Segment[count];
            for (var i = 0; i < count; i++)
            {
                var p = table.Slice(i * entsize, entsize);
                result[i] = _is64
                    ? new Segment(U32(p, 0), U32(p, 4), U64(p, 8), U64(p, 16), U64(p, 32), U64(p, 48))
                    : new Segment(U32(p, 0), U32(p, 24), U32(p, 4), U32(p, 8), U32(p, 16), U32(p, 28));
            }

            return result;
        }

        private Section[] ReadSections(ulong shoff, int entsize, int count, int strndx)
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
            var result = new Section[count];
            for (var i = 0; i < count; i++)
            {
                var h = table.Slice(i * entsize, entsize);
                result[i] = _is64
                    ? new Section(U32(h, 0), U32(h, 4), U64(h, 16), U64(h, 24), U64(h, 32), U32(h, 40), U64(h, 56), U64(h, 48))
                    : new Section(U32(h, 0), U32(h, 4), U32(h, 12), U32(h, 16), U32(h, 20), U32(h, 24), U32(h, 36), U32(h, 32));
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

        private sealed class AddressMap(Segment[] segments, Section[] sections)
        {
            /// <summary>The file offset holding a virtual address: through PT_LOAD, or section addresses when there are no segments (REL).</summary>
            public ulong? ToOffset(ulong address)
            {
                foreach (var s in segments)
                {
                    if (s.Type == PtLoad && address >= s.VirtualAddress && address - s.VirtualAddress < s.FileSize)
                    {
                        return s.Offset + (address - s.VirtualAddress);
                    }
                }

                foreach (var s in sections)
                {
                    if (s.Address != 0 && s.Type != ShtNobits && address >= s.Address && address - s.Address < s.Size)
                    {
                        return s.Offset + (address - s.Address);
                    }
                }

                return null;
            }
        }

        private static AddressMap MapAddress(Segment[] segments, Section[] sections) => new(segments, sections);

        private struct DynamicInfo
        {
            public List<string>? Needed;
            public string? Soname, Rpath, Runpath;
            public ulong? Flags, Flags1;
            public bool BindNow, Debug;
            public ulong StrtabOffset, StrtabSize;
            public ReadOnlyMemory<byte> Strings;
            public ulong? Verneed, Verdef;
            public ulong VerneedNum, VerdefNum;
            public bool HasStrtab;
        }

        private DynamicInfo ReadDynamic(Segment[] segments, Section[] sections)
        {
            ulong offset, size;
            var seg = Array.FindIndex(segments, s => s.Type == PtDynamic);
            var sec = Array.FindIndex(sections, s => s.Type == ShtDynamic);
            if (seg >= 0)
            {
                (offset, size) = (segments[seg].Offset, segments[seg].FileSize);
            }
            else if (sec >= 0)
            {
                (offset, size) = (sections[sec].Offset, sections[sec].Size);
            }
            else
            {
                return default;
            }

            var entry = _is64 ? 16 : 8;
            var table = Slice(offset, Math.Min(size, (ulong)entry * MaxDynamicEntries), "dynamic section");
            var raw = new List<(long Tag, ulong Value)>();
            for (var at = 0; at + entry <= table.Length; at += entry)
            {
                var tag = _is64 ? (long)U64(table, at) : (int)U32(table, at);
                if (tag == DtNull)
                {
                    break;
                }

                raw.Add((tag, Word(table, at + (entry / 2))));
            }

            var info = default(DynamicInfo);
            var map = MapAddress(segments, sections);
            foreach (var (tag, value) in raw)
            {
                switch (tag)
                {
                    case DtStrtab:
                        if (map.ToOffset(value) is { } o)
                        {
                            info.StrtabOffset = o;
                            info.HasStrtab = true;
                        }

                        break;
                    case DtStrsz: info.StrtabSize = value; break;
                    case DtFlags: info.Flags = value; break;
                    case DtFlags1: info.Flags1 = value; break;
                    case DtBindNow: info.BindNow = true; break;
                    case DtDebug: info.Debug = true; break;
                    case DtVerneed: info.Verneed = map.ToOffset(value); break;
                    case DtVerneednum: info.VerneedNum = value; break;
                    case DtVerdef: info.Verdef = map.ToOffset(value); break;
                    case DtVerdefnum: info.VerdefNum = value; break;
                }
            }

            if (!info.HasStrtab && sec >= 0 && sections[sec].Link < sections.Length)
            {
                var strtab = sections[(int)sections[sec].Link];
                (info.StrtabOffset, info.StrtabSize, info.HasStrtab) = (strtab.Offset, strtab.Size, true);
            }

            if (!info.HasStrtab)
            {
                throw new ElfFormatException($"at offset {offset}: dynamic section without a string table (DT_STRTAB)");
            }

            var stringBytes = info.StrtabSize != 0 ? info.StrtabSize : Math.Min((ulong)_length - Math.Min(info.StrtabOffset, (ulong)_length), 1 << 20);
            info.Strings = Region(info.StrtabOffset, stringBytes, "dynamic string table");
            info.Needed = [];
            foreach (var (tag, value) in raw)
            {
                switch (tag)
                {
                    case DtNeeded: info.Needed.Add(DynString(info, value)); break;
                    case DtSoname: info.Soname = DynString(info, value); break;
                    case DtRpath: info.Rpath = DynString(info, value); break;
                    case DtRunpath: info.Runpath = DynString(info, value); break;
                }
            }

            return info;
        }

        private static string DynString(DynamicInfo info, ulong index)
        {
            if (index >= (ulong)info.Strings.Length)
            {
                throw new ElfFormatException($"at offset {info.StrtabOffset}: string index {index} is past the dynamic string table ({info.Strings.Length} bytes)");
            }

            return Terminated(info.Strings.Span[(int)index..]);
        }

        /// <summary>DT_VERNEED / DT_VERDEF mapped to a file offset, else the section of that type (relocatable objects have no dynamic tags).</summary>
        private static ulong? VersionTable(ulong? fromDynamic, Section[] sections, uint type)
        {
            var sec = Array.FindIndex(sections, s => s.Type == type);
            return fromDynamic ?? (sec >= 0 ? sections[sec].Offset : null);
        }

        private List<ElfVersionNeed> ReadVersionNeeds(DynamicInfo dyn, Segment[] segments, Section[] sections)
        {
            var result = new List<ElfVersionNeed>();
            var start = VersionTable(dyn.Verneed, sections, ShtGnuVerneed);
            if (start is not { } at || !dyn.HasStrtab)
            {
                return result;
            }

            // Elf32_Verneed and Elf64_Verneed share one layout: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32;
            // Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
            var seen = 0;
            while (true)
            {
                var vn = Slice(at, 16, "version need");
                int cnt = U16(vn, 2);
                var file = DynString(dyn, U32(vn, 4));
                var versions = new List<string>();
                var aux = at + U32(vn, 8);
                for (var i = 0; i < cnt; i++)
                {
                    if (++seen > MaxVersionEntries)
                    {
                        throw new ElfFormatException($"at offset {aux}: more than {MaxVersionEntries} version entries");
                    }

                    var a = Slice(aux, 16, "version need aux");
                    versions.Add(DynString(dyn, U32(a, 8)));
                    var next = U32(a, 12);
                    if (next == 0)
                    {
                        break;
                    }

                    aux += next;
                }

                result.Add(new ElfVersionNeed(file, versions));
                var nextNeed = U32(vn, 12);
                if (nextNeed == 0 || ++seen > MaxVersionEntries)
                {
                    break;
                }

                at += nextNeed;
            }

            return result;
        }

        private List<string> ReadVersionDefinitions(DynamicInfo dyn, Segment[] segments, Section[] sections)
        {
            var result = new List<string>();
            var start = VersionTable(dyn.Verdef, sections, ShtGnuVerdef);
            if (start is not { } at || !dyn.HasStrtab)
            {
                return result;
            }

            // Verdef: vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32, vd_aux u32, vd_next u32;
            // Verdaux: vda_name u32, vda_next u32. The first aux names the version; later ones name its parents.
            for (var seen = 0; seen < MaxVersionEntries; seen++)
            {
                var vd = Slice(at, 20, "version definition");
                if (U16(vd, 6) > 0)
                {
                    var a = Slice(at + U32(vd, 12), 8, "version definition aux");
                    result.Add(DynString(dyn, U32(a, 0)));
                }

                var next = U32(vd, 16);
                if (next == 0)
                {
                    break;
                }

                at += next;
            }

            return result;
        }

        private (bool, string[]) ReadDynamicSymbolFacts(Section[] sections)
        {
            var sec = Array.FindIndex(sections, s => s.Type == ShtDynsym);
            if (sec < 0 || sections[sec].Link >= sections.Length)
            {
                return (false, []);
            }

            var dynsym = sections[sec];
            var strtab = sections[(int)dynsym.Link];
            var entry = _is64 ? 24 : 16;
            var table = Slice(dynsym.Offset, dynsym.Size, ".dynsym");
            var strings = Slice(strtab.Offset, strtab.Size, ".dynstr");
            var stackProtector = false;
            var fortified = new SortedSet<string>(StringComparer.Ordinal);
            for (var at = 0; at + entry <= table.Length; at += entry)
            {
                var name = U32(table, at);
                if (name == 0 || name >= strings.Length)
                {
                    continue;
                }

                var s = strings[(int)name..];
                var end = s.IndexOf((byte)0);
                s = end < 0 ? s : s[..end];
                if (s.SequenceEqual("__stack_chk_fail"u8))
                {
                    stackProtector = true;
                }
                else if (s.StartsWith("__"u8) && s.EndsWith("_chk"u8) && s.Length > 6 && !s.SequenceEqual("__stack_chk_guard"u8))
                {
                    fortified.Add(Encoding.UTF8.GetString(s[..Math.Min(s.Length, MaxStringBytes)]));
                }
            }

            return (stackProtector, [.. fortified]);
        }

        private string? ReadBuildId(Segment[] segments, Section[] sections)
        {
            var regions = sections.Length > 0
                ? sections.Where(s => s.Type == ShtNote).Select(s => (s.Offset, s.Size, s.Align))
                : segments.Where(s => s.Type == PtNote).Select(s => (s.Offset, Size: s.FileSize, s.Align));
            foreach (var (offset, size, align) in regions)
            {
                var notes = Slice(offset, size, "note");
                var pad = align == 8 ? 8 : 4;
                var at = 0;
                while (at + 12 <= notes.Length)
                {
                    var namesz = U32(notes, at);
                    var descsz = U32(notes, at + 4);
                    var type = U32(notes, at + 8);
                    var nameAt = (ulong)at + 12;
                    var descAt = Align(nameAt + namesz, pad);
                    var next = Align(descAt + descsz, pad);
                    if (next > (ulong)notes.Length)
                    {
                        throw new ElfFormatException($"at offset {offset + (ulong)at}: note of {namesz}+{descsz} bytes runs past its section");
                    }

                    if (type == NtGnuBuildId && namesz == 4 && notes.Slice((int)nameAt, 4).SequenceEqual("GNU\0"u8))
                    {
                        return Convert.ToHexStringLower(notes.Slice((int)descAt, (int)descsz));
                    }

                    at = (int)next;
                }
            }

            return null;
        }

        private static ulong Align(ulong value, int to) => (value + (ulong)to - 1) & ~((ulong)to - 1);

        private List<string> ReadComments(Section[] sections)
        {
            var result = new List<string>();
            foreach (var s in sections)
            {
                if (s.Name != ".comment" || s.Type == ShtNobits)
                {
                    continue;
                }

                var bytes = Slice(s.Offset, s.Size, ".comment");
                foreach (var range in bytes.Split((byte)0))
                {
                    var text = bytes[range];
                    if (!text.IsEmpty && result.Count < 256)
                    {
                        var value = Encoding.UTF8.GetString(text[..Math.Min(text.Length, MaxStringBytes)]);
                        if (!result.Contains(value))
                        {
                            result.Add(value);
                        }
                    }
                }
            }

            return result;
        }

        private sealed class ElfFormatException(string message) : Exception(message);
    }

    /// <summary>
    /// What marks a Rust program or library, strongest first: the compiler commit from a <c>/rustc/HASH/</c> source
    /// path that std's panic locations keep in .rodata ("rustc 90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf"); a Debian-style
    /// remapped toolchain path <c>/usr/src/rustc-1.63.0/</c> ("rustc 1.63.0"); else std's <c>RUST_BACKTRACE</c>
    /// variable name ("RUST_BACKTRACE").
    /// </summary>
    internal static string? FindRustMarker(ReadOnlySpan<byte> bytes)
    {
        for (var at = 0; at < bytes.Length;)
        {
            var i = bytes[at..].IndexOf("/rustc/"u8);
            if (i < 0)
            {
                break;
            }

            var start = at + i + 7;
            if (start + 41 <= bytes.Length && bytes[start + 40] == (byte)'/' && IsHex(bytes.Slice(start, 40)))
            {
                return "rustc " + Encoding.ASCII.GetString(bytes.Slice(start, 40));
            }

            at = start;
        }

        var remapped = bytes.IndexOf("/usr/src/rustc-"u8);
        if (remapped >= 0)
        {
            var start = remapped + 15;
            var end = start;
            while (end < bytes.Length && end - start < 32 && bytes[end] is (>= (byte)'0' and <= (byte)'9') or (byte)'.')
            {
                end++;
            }

            if (end > start)
            {
                return "rustc " + Encoding.ASCII.GetString(bytes[start..end]);
            }
        }

        return bytes.IndexOf("RUST_BACKTRACE"u8) >= 0 ? "RUST_BACKTRACE" : null;
    }

    private static bool IsHex(ReadOnlySpan<byte> s)
    {
        foreach (var c in s)
        {
            if (c is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The BusyBox banner version, searching a stream in 1 MiB chunks (for files on disk, read only when asked).</summary>
    public static string? FindBusyBoxVersion(Stream stream)
    {
        const int ChunkBytes = 1 << 20;
        const int OverlapBytes = 128;
        var buffer = ElfBuffers.Rent(ChunkBytes + OverlapBytes);
        try
        {
            var kept = 0;
            while (true)
            {
                var n = stream.ReadAtLeast(buffer.AsSpan(kept, ChunkBytes), ChunkBytes, throwOnEndOfStream: false);
                var window = buffer.AsSpan(0, kept + n);
                if (FindBusyBoxVersion(window) is { } version)
                {
                    return version;
                }

                if (n < ChunkBytes)
                {
                    return null;
                }

                kept = Math.Min(OverlapBytes, window.Length);
                window[^kept..].CopyTo(buffer);
            }
        }
        finally
        {
            ElfBuffers.Return(buffer);
        }
    }

    /// <summary>BusyBox prints its banner "BusyBox v1.36.1 (2024-06-10 07:11:47 UTC)" from one string in .rodata (libbb/messages.c).</summary>
    internal static string? FindBusyBoxVersion(ReadOnlySpan<byte> bytes)
    {
        var at = 0;
        while (at < bytes.Length)
        {
            var i = bytes[at..].IndexOf("BusyBox v"u8);
            if (i < 0)
            {
                return null;
            }

            var start = at + i + 9;
            var end = start;
            while (end < bytes.Length && end - start < 64 && bytes[end] is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'.' or (byte)'-' or (byte)'_' or (byte)'+' or (byte)'~' or (byte)'.')
            {
                end++;
            }

            if (end > start && bytes[start] is >= (byte)'0' and <= (byte)'9' && end < bytes.Length && bytes[end] is (byte)' ' or 0)
            {
                return Encoding.ASCII.GetString(bytes[start..end]);
            }

            at = start;
        }

        return null;
    }
}
