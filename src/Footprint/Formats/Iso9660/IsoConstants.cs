namespace Footprint.Formats.Iso9660;

/// <summary>Wire-format constants of ECMA-119 (ISO 9660), El Torito and the isohybrid system area.</summary>
internal static class IsoConstants
{
    /// <summary>Logical sector size of CD media; volume descriptors are one sector each and directory records never cross one.</summary>
    public const int SectorBytes = 2048;

    /// <summary>The system area (sectors 0-15) precedes the volume descriptor set (ECMA-119 6.2.1).</summary>
    public const long SystemAreaBytes = 16 * SectorBytes;

    /// <summary>Volume descriptors read before giving up on finding the terminator.</summary>
    public const int MaxVolumeDescriptors = 64;

    /// <summary>Smallest directory record: 33 fixed bytes plus a 1-byte name (ECMA-119 9.1).</summary>
    public const int MinDirectoryRecordBytes = 34;

    /// <summary>Directory nesting accepted (Rock Ridge relocation lifts ECMA-119's limit of 8).</summary>
    public const int MaxDepth = 64;

    /// <summary>Largest directory accepted (a directory of 100 000 long names is about 25 MiB).</summary>
    public const long MaxDirectoryBytes = 64L << 20;

    /// <summary>Entries accepted in one image (a 4.7 GB DVD of empty files holds about 2.3 million).</summary>
    public const int MaxEntries = 1 << 23;

    /// <summary>Extents of one file (multi-extent parts, or interleaved file units).</summary>
    public const int MaxExtentsPerFile = 1 << 16;

    public const byte FlagHidden = 0x01;
    public const byte FlagDirectory = 0x02;
    public const byte FlagAssociated = 0x04;
    public const byte FlagMultiExtent = 0x80;

    public const byte TypeBootRecord = 0;
    public const byte TypePrimary = 1;
    public const byte TypeSupplementary = 2;
    public const byte TypeTerminator = 255;

    /// <summary>El Torito boot catalog bytes read (64 sectors: 4096 entries).</summary>
    public const int MaxBootCatalogBytes = 64 * SectorBytes;

    /// <summary>MBR/GPT sector size of isohybrid images.</summary>
    public const int DiskSectorBytes = 512;

    /// <summary>GPT partition entries accepted.</summary>
    public const int MaxGptEntries = 1024;
}
