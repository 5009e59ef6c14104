namespace Footprint.Sources;

/// <summary>
/// The kind of an opened artifact, from a closed set: code decides by <see cref="Family"/> or by identity, never by
/// comparing names; <see cref="Name"/> is only what reports print (the JSON `kind`).
/// </summary>
public sealed class SourceKind
{
    public static readonly SourceKind DockerArchive = new("docker-archive", SourceFamily.Image);
    public static readonly SourceKind OciLayout = new("oci-layout", SourceFamily.Image);
    public static readonly SourceKind OciArchive = new("oci-archive", SourceFamily.Image);
    public static readonly SourceKind SkopeoDir = new("skopeo-dir", SourceFamily.Image);

    /// <summary>An image read from a registry by reference (alpine:3.20, docker://host:5000/team/app:1).</summary>
    public static readonly SourceKind Registry = new("registry", SourceFamily.Image);
    public static readonly SourceKind RootfsTar = new("rootfs-tar", SourceFamily.RootfsArchive);
    public static readonly SourceKind Directory = new("directory", SourceFamily.Directory);
    public static readonly SourceKind Host = new("host", SourceFamily.Directory);
    public static readonly SourceKind Iso = new("iso", SourceFamily.Medium);
    public static readonly SourceKind FatImage = new("fat-image", SourceFamily.Medium);
    public static readonly SourceKind Squashfs = new("squashfs", SourceFamily.Medium);
    public static readonly SourceKind Initramfs = new("initramfs", SourceFamily.Medium);
    public static readonly SourceKind Firmware = new("firmware", SourceFamily.Medium);

    /// <summary>A kernel image (bzImage or vmlinux); its layer, when it has one, is the built-in initramfs (docs/kernel.md).</summary>
    public static readonly SourceKind Kernel = new("kernel", SourceFamily.Medium);

    private static readonly SourceKind[] All = [DockerArchive, OciLayout, OciArchive, SkopeoDir, Registry, RootfsTar, Directory, Host, Iso, FatImage, Squashfs, Initramfs, Firmware, Kernel];

    private SourceKind(string name, SourceFamily family)
    {
        Name = name;
        Family = family;
    }

    public string Name { get; }

    public SourceFamily Family { get; }

    /// <summary>The kind with this name, for openers that choose it while reading; an unknown name is a programming error.</summary>
    public static SourceKind Named(string name)
        => Array.Find(All, k => k.Name == name) ?? throw new ArgumentException($"no source kind is named '{name}'", nameof(name));

    public override string ToString() => Name;
}
