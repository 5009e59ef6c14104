namespace Footprint.Sources.LiveMedia;

/// <summary>
/// One piece of a composed system: a layer of the one layered view. <see cref="Path"/> is where it lies in the
/// artifact (a path in an ISO or FAT image, "@0x1234" for a carved firmware part, "" for the artifact itself).
/// </summary>
public sealed record Component
{
    public required int Layer { get; init; }

    public required string Path { get; init; }

    public required ComponentFormat Format { get; init; }

    /// <summary>What the distro calls it (base, extension, module, zdrv, rootcopy, rootfs, initrd...).</summary>
    public required string Role { get; init; }

    /// <summary>Bytes of the component as stored in the artifact (compressed).</summary>
    public required long StoredBytes { get; init; }

    /// <summary>Residency with the distro's default boot options.</summary>
    public required Residency Default { get; init; }

    /// <summary>Residency when everything is copied to RAM (toram / copy2fs / copy2ram / pfix=copy).</summary>
    public required Residency ToRam { get; init; }

    /// <summary>For <see cref="ComponentFormat.ContainerTree"/>: the directory of the container that becomes "/".</summary>
    public string TreeRoot { get; init; } = "";

    /// <summary>For carved parts: offset of the component in the artifact.</summary>
    public long? Offset { get; init; }
}
