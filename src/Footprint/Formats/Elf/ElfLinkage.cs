namespace Footprint.Formats.Elf;

/// <summary>How a program gets its libraries.</summary>
public enum ElfLinkage
{
    /// <summary>Relocatable objects and core dumps: not something that runs.</summary>
    None,

    /// <summary>An executable without PT_INTERP and without PT_DYNAMIC.</summary>
    Static,

    /// <summary>ET_DYN with DF_1_PIE and no PT_INTERP: relocates itself (glibc/musl <c>-static-pie</c>).</summary>
    StaticPie,

    /// <summary>Has PT_INTERP: the named loader maps it and its DT_NEEDED libraries.</summary>
    Dynamic,

    /// <summary>ET_DYN without PT_INTERP and not PIE: a shared library.</summary>
    SharedLibrary,
}
