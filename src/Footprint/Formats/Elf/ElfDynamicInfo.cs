namespace Footprint.Formats.Elf;

/// <summary>What the dynamic section says, with its string table (a view of the bytes held or read).</summary>
internal struct ElfDynamicInfo
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

    /// <summary>File offsets of DT_SYMTAB, DT_HASH and DT_GNU_HASH: how a file without section headers is read for its symbols.</summary>
    public ulong? Symtab, Hash, GnuHash;
}
