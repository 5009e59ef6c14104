namespace Footprint.Formats.Elf;

/// <summary>
/// Wire constants of the ELF format (System V gABI "Object Files" chapter, and the GNU extensions documented in the
/// Linux Standard Base Core spec: symbol versioning, PT_GNU_*, NT_GNU_BUILD_ID). Offsets are from the start of
/// the structure they belong to.
/// </summary>
internal static class ElfConstants
{
    public const int IdentBytes = 16;

    /// <summary>e_ident[EI_CLASS] and e_ident[EI_DATA]: the two bytes after the magic.</summary>
    public const int EiClass = 4, EiData = 5;
    public const int Header32Bytes = 52;
    public const int Header64Bytes = 64;

    public const byte ClassElf32 = 1;
    public const byte ClassElf64 = 2;
    public const byte DataLittle = 1;
    public const byte DataBig = 2;

    public const ushort EtRel = 1;
    public const ushort EtExec = 2;
    public const ushort EtDyn = 3;
    public const ushort EtCore = 4;

    public const uint PtLoad = 1;
    public const uint PtDynamic = 2;
    public const uint PtInterp = 3;
    public const uint PtNote = 4;
    public const uint PtGnuStack = 0x6474e551;
    public const uint PtGnuRelro = 0x6474e552;

    public const uint ShtSymtab = 2;
    public const uint ShtDynamic = 6;
    public const uint ShtNote = 7;
    public const uint ShtNobits = 8;
    public const uint ShtDynsym = 11;
    public const uint ShtGnuVerdef = 0x6ffffffd;
    public const uint ShtGnuVerneed = 0x6ffffffe;

    /// <summary>e_shnum == 0 with sections: the real count is sh_size of section 0; e_shstrndx == SHN_XINDEX: it is sh_link of section 0.</summary>
    public const ushort ShnXindex = 0xffff;

    public const long DtNull = 0;
    public const long DtNeeded = 1;
    public const long DtHash = 4;
    public const long DtStrtab = 5;
    public const long DtSymtab = 6;
    public const long DtStrsz = 10;
    public const long DtSoname = 14;
    public const long DtRpath = 15;
    public const long DtBindNow = 24;

    /// <summary>DT_DEBUG: reserved for the debugger (r_debug); linkers give it to executables, not to libraries.</summary>
    public const long DtDebug = 21;
    public const long DtRunpath = 29;
    public const long DtFlags = 30;
    public const long DtVerdef = 0x6ffffffc;
    public const long DtVerdefnum = 0x6ffffffd;
    public const long DtVerneed = 0x6ffffffe;
    public const long DtVerneednum = 0x6fffffff;
    public const long DtFlags1 = 0x6ffffffb;
    public const long DtGnuHash = 0x6ffffef5;

    public const ulong DfBindNow = 0x8;
    public const ulong Df1Now = 0x1;
    public const ulong Df1Pie = 0x08000000;

    public const uint NtGnuBuildId = 3;

    /// <summary>Verdef vd_flags: the definition naming the file itself.</summary>
    public const ushort VerFlgBase = 1;

    /// <summary>Bounds on what a hostile file can make the reader loop over.</summary>
    public const int MaxProgramHeaders = 4096;
    public const int MaxSections = 65536;
    public const int MaxDynamicEntries = 65536;
    public const int MaxVersionEntries = 65536;
    public const int MaxStringBytes = 4096;

    public static string TypeName(ushort type) => type switch
    {
        EtRel => "REL",
        EtExec => "EXEC",
        EtDyn => "DYN",
        EtCore => "CORE",
        _ => $"0x{type:x}",
    };

    /// <summary>e_machine values from the gABI registry; names as distributions and Go/OCI tooling commonly use them.</summary>
    public static string MachineName(int machine, bool is64, bool bigEndian) => machine switch
    {
        2 => is64 ? "sparc64" : "sparc",
        3 => "x86",
        8 => (is64 ? "mips64" : "mips") + (bigEndian ? string.Empty : "el"),
        20 => "ppc",
        21 => bigEndian ? "ppc64" : "ppc64le",
        22 => is64 ? "s390x" : "s390",
        40 => bigEndian ? "armeb" : "arm",
        43 => "sparc64",
        62 => "x86_64",
        183 => "aarch64",
        243 => is64 ? "riscv64" : "riscv32",
        258 => "loongarch64",
        _ => $"elf-machine-{machine}",
    };
}
