namespace Footprint.Sources.LiveMedia;

/// <summary>Bytes one component put into its layer, counted as its entries stream past.</summary>
public sealed class ComponentStats
{
    public long Files { get; set; }

    public long Entries { get; set; }

    /// <summary>Sum of regular-file sizes, hard links once.</summary>
    public long ApparentBytes { get; set; }

    /// <summary>Regular files rounded up to 4 KiB pages each: what tmpfs/ramfs holds for them.</summary>
    public long PageBytes { get; set; }

    /// <summary>squashfs: data bytes not stored again because identical files share their blocks.</summary>
    public long? DuplicateBytesSaved { get; set; }

    /// <summary>The format's own description of how it is compressed (gzip, xz, squashfs-xz...).</summary>
    public string? Compression { get; set; }
}
