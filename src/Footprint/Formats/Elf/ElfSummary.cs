namespace Footprint.Formats.Elf;

/// <summary>
/// Immutable facts about one ELF file, computed once from its bytes while they stream past (or on first ask
/// for a file on disk). Kept on <see cref="FileSystem.FileData"/>, so hard links share it and whiteouts drop it.
/// Fields a damaged or over-size file could not supply are empty; <see cref="Error"/> says why.
/// </summary>
public sealed record ElfSummary
{
    /// <summary>32 or 64 (e_ident[EI_CLASS]).</summary>
    public required int Bits { get; init; }

    public required bool BigEndian { get; init; }

    /// <summary>e_type as readelf names it: REL, EXEC, DYN, CORE (or "0x..." for others).</summary>
    public required string Type { get; init; }

    /// <summary>e_machine.</summary>
    public required int MachineCode { get; init; }

    /// <summary>Common name: x86, x86_64, arm, aarch64, mips, mipsel, mips64el, riscv64, ppc64le...</summary>
    public required string Machine { get; init; }

    public ElfLinkage Linkage { get; init; }

    /// <summary>PT_INTERP: the program interpreter (dynamic loader) path.</summary>
    public string? Interpreter { get; init; }

    public IReadOnlyList<string> Needed { get; init; } = [];

    public string? Soname { get; init; }

    public string? Rpath { get; init; }

    public string? Runpath { get; init; }

    /// <summary>DT_FLAGS, when present.</summary>
    public ulong? Flags { get; init; }

    /// <summary>DT_FLAGS_1, when present.</summary>
    public ulong? Flags1 { get; init; }

    /// <summary>Immediate binding: DT_BIND_NOW, DF_BIND_NOW or DF_1_NOW.</summary>
    public bool BindNow { get; init; }

    /// <summary>A position-independent executable: ET_DYN with DF_1_PIE, or ET_DYN with an interpreter.</summary>
    public bool Pie { get; init; }

    /// <summary>The DT_BIND_NOW tag itself (not the DF_BIND_NOW / DF_1_NOW flag bits, which <see cref="BindNow"/> also counts).</summary>
    public bool HasBindNowTag { get; init; }

    /// <summary>A DT_DEBUG tag: linkers emit it for executables (PIE included) and not for shared libraries.</summary>
    public bool HasDebugTag { get; init; }

    /// <summary>PT_GNU_RELRO present.</summary>
    public bool Relro { get; init; }

    /// <summary>PT_GNU_STACK p_flags (PF_R=4, PF_W=2, PF_X=1), null when there is no PT_GNU_STACK.</summary>
    public uint? GnuStackFlags { get; init; }

    public IReadOnlyList<ElfVersionNeed> VersionNeeds { get; init; } = [];

    /// <summary>Names of the version definitions (DT_VERDEF), the first being the file's own (BASE) name.</summary>
    public IReadOnlyList<string> VersionDefinitions { get; init; } = [];

    /// <summary>Has a .symtab section (false: stripped).</summary>
    public bool HasSymbolTable { get; init; }

    /// <summary>Has section headers at all (false for sstrip'ed binaries, common on OpenWrt).</summary>
    public bool HasSectionHeaders { get; init; }

    /// <summary>NT_GNU_BUILD_ID, lower-case hex.</summary>
    public string? BuildId { get; init; }

    /// <summary><c>__stack_chk_fail</c> is in .dynsym (imported or defined).</summary>
    public bool StackProtector { get; init; }

    /// <summary>Fortified functions (<c>__*_chk</c>) in .dynsym, sorted.</summary>
    public IReadOnlyList<string> FortifiedSymbols { get; init; } = [];

    /// <summary>
    /// Imported (undefined) dynamic symbols that start another program: execve and the exec family, system, popen,
    /// posix_spawn. Read from .dynsym, or for a file without section headers through DT_SYMTAB.
    /// </summary>
    public IReadOnlyList<string> SpawnImports { get; init; } = [];

    /// <summary>dlopen or dlmopen is an imported dynamic symbol.</summary>
    public bool ImportsDlopen { get; init; }

    /// <summary>
    /// For a dlopen importer whose bytes were all read (a layer stream): the strings that can name a library
    /// (<see cref="ElfLibraryStrings"/>). Null when not scanned: not a dlopen importer, or read from disk by random access.
    /// </summary>
    public IReadOnlyList<string>? LibraryStrings { get; init; }

    /// <summary>Why the dynamic symbols (and so <see cref="SpawnImports"/> and <see cref="ImportsDlopen"/>) could not be read; null when they were.</summary>
    public string? ImportsUnreadable { get; init; }

    /// <summary>The NUL-separated strings of .comment (compilers and toolchains, e.g. "GCC: (Buildroot 2018.08) 7.3.0").</summary>
    public IReadOnlyList<string> Comments { get; init; } = [];

    /// <summary>Go build information (section .go.buildinfo), when this is a Go program.</summary>
    public GoBuildInfo? Go { get; init; }

    /// <summary>
    /// Set for a Rust program or library: "rustc COMMIT" (a <c>/rustc/COMMIT/</c> path in .rodata), "rustc VERSION"
    /// (a remapped <c>/usr/src/rustc-VERSION/</c> path, as Debian builds) or "RUST_BACKTRACE" (std's variable name).
    /// Found by a whole-file scan, so only for files read from a layer stream.
    /// </summary>
    public string? RustMarker { get; init; }

    /// <summary>The version in a "BusyBox v1.36.1 (...)" banner, when the file is BusyBox.</summary>
    public string? BusyBoxVersion { get; init; }

    /// <summary>True when the file was larger than <see cref="ElfInspector.MaxInspectBytes"/> and only its start was read.</summary>
    public bool Partial { get; init; }

    /// <summary>
    /// Why the kernel or the dynamic loader would refuse to map this file, naming the field or segment and the byte
    /// offset ("at offset 32: e_phoff 0x40: the program header table (10 entries of 56 bytes) runs past the end of the
    /// 64-byte file"); null for a loadable file. A damaged file's <see cref="Linkage"/> is <see cref="ElfLinkage.None"/>:
    /// it is no kind of program. Also copied to <see cref="Error"/>.
    /// </summary>
    public string? Damage { get; init; }

    /// <summary>The first problem met, naming the byte offset; null when the file read cleanly.</summary>
    public string? Error { get; init; }
}
