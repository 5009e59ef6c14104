namespace Footprint.Formats.Boot;

/// <summary>
/// Bounds on bootloader configurations, which come from the artifact: a config over them is refused with a
/// <see cref="FootprintFormatException"/>, never read into an unbounded loop or list.
/// </summary>
public static class BootConfigLimits
{
    /// <summary>Characters of one configuration file. Real ones are a few KiB; Debian's biggest grub.cfg is ~20 KiB.</summary>
    public const int MaxConfigChars = 1 << 20;

    /// <summary>Characters of one line. SYSLINUX reads lines into a 4 KiB-ish buffer; 64 Ki leaves room for long APPENDs.</summary>
    public const int MaxLineChars = 64 << 10;

    /// <summary>
    /// Nesting of SYSLINUX <c>INCLUDE</c>s. SYSLINUX itself has no loop check (an INCLUDE of itself recurses until it
    /// runs out of memory); real media nest two or three deep.
    /// </summary>
    public const int MaxIncludeDepth = 8;

    /// <summary>Files read through INCLUDE in one parse, so a wide fan-out of includes stays bounded too.</summary>
    public const int MaxIncludedFiles = 64;

    /// <summary>Menu entries kept.</summary>
    public const int MaxEntries = 4096;

    /// <summary>Nesting of GRUB blocks (<c>submenu</c>, <c>if</c>, <c>menuentry</c>).</summary>
    public const int MaxGrubDepth = 32;
}
