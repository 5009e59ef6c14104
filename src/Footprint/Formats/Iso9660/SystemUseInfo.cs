namespace Footprint.Formats.Iso9660;

/// <summary>What a directory record's System Use Sharing Protocol entries (SUSP, IEEE P1281) and Rock Ridge entries
/// (RRIP, IEEE P1282) say, collected over the record's system use area and its continuation areas.</summary>
internal sealed class SystemUseInfo
{
    /// <summary>An SP entry ("SUSP in use", check bytes BE EF); only meaningful in the root's "." record.</summary>
    public bool HasSp { get; set; }

    /// <summary>SP's LEN_SKP: bytes to skip at the start of every other system use area.</summary>
    public int SkipBytes { get; set; }

    /// <summary>An ER entry naming RRIP ("RRIP_1991A", "IEEE_P1282", "IEEE_1282").</summary>
    public bool HasRripExtension { get; set; }

    /// <summary>Any RRIP entry (PX, PN, SL, NM, CL, PL, RE, TF, RR, SF).</summary>
    public bool HasRripEntries { get; set; }

    public string? Name { get; set; }

    /// <summary>NM with the CURRENT or PARENT flag: this record stands for "." or "..".</summary>
    public bool NameIsDotOrDotDot { get; set; }

    /// <summary>PX file mode (st_mode, type bits included).</summary>
    public uint? Mode { get; set; }

    public uint Links { get; set; }

    public uint Uid { get; set; }

    public uint Gid { get; set; }

    /// <summary>PX file serial number (RRIP 1.12, 44-byte PX only).</summary>
    public uint? Inode { get; set; }

    public uint? DeviceHigh { get; set; }

    public uint DeviceLow { get; set; }

    public string? SymlinkTarget { get; set; }

    public DateTimeOffset? ModificationTime { get; set; }

    /// <summary>CL: this placeholder file stands for the directory relocated to this block.</summary>
    public uint? ChildLocation { get; set; }

    /// <summary>RE: this directory was relocated here (e.g. into rr_moved) and is shown at its CL placeholder instead.</summary>
    public bool Relocated { get; set; }
}
