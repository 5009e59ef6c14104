namespace Footprint.Formats.Boot;

/// <summary>
/// One entry of a bootloader menu: what it loads. <see cref="Kernel"/> and <see cref="Initrds"/> are paths on the medium,
/// normalized (no leading "/", no "." or ".."), the initrds in load order (the kernel unpacks them in that order, later
/// files overriding earlier ones). <see cref="Append"/> is the kernel command line exactly as the configuration gives it
/// (a SYSLINUX <c>initrd=</c> argument stays in it, as SYSLINUX passes it on). Equality compares the initrd lists by
/// their elements.
/// </summary>
public sealed record BootMenuEntry(string? Label, string Kernel, IReadOnlyList<string> Initrds, string Append)
{
    public bool Equals(BootMenuEntry? other)
        => other is not null && Label == other.Label && Kernel == other.Kernel && Append == other.Append && Initrds.SequenceEqual(other.Initrds);

    public override int GetHashCode() => HashCode.Combine(Label, Kernel, Append, Initrds.Count);
}
