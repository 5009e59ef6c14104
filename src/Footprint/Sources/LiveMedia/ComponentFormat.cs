namespace Footprint.Sources.LiveMedia;

/// <summary>How a component is read.</summary>
public enum ComponentFormat
{
    /// <summary>Concatenated, separately compressed cpio archives, as the kernel unpacks them.</summary>
    Initramfs,
    Squashfs,

    /// <summary>A (possibly compressed) tar archive.</summary>
    Tar,

    /// <summary>The files of the container itself under a directory (Slax and Porteus rootcopy, a plain ISO's tree).</summary>
    ContainerTree,
}
