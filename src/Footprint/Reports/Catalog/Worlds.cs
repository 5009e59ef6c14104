using Footprint.Sources;

namespace Footprint.Reports.Catalog;

/// <summary>
/// Which of the seed's three worlds a system belongs to (docs/choose.md, "Worlds"): container (images, rootfs
/// tarballs: shrinking what runs in production), revival (live media run on old hardware), embedded (firmware for
/// routers and devices). Decided from the artifact's kind and its identity, in this order, first match wins:
/// given with --world; a firmware image; an embedded identity (OpenWrt, LEDE, Buildroot, Yocto/Poky, or OpenWrt's
/// init procd); a revival identity (Tiny Core, Puppy, SliTaz, Slax, Porteus, antiX, DSL, FLOPPINUX); a live medium
/// (ISO, FAT image, squashfs, initramfs); otherwise container (an image, a rootfs tarball, a directory).
/// </summary>
public static class Worlds
{
    public const string Container = "container";

    public const string Revival = "revival";

    public const string Embedded = "embedded";

    public static readonly IReadOnlyList<string> All = [Container, Revival, Embedded];

    /// <summary>os-release IDs of embedded builds (Buildroot writes ID=buildroot, Yocto's reference distro ID=poky).</summary>
    private static readonly string[] EmbeddedIds = ["openwrt", "lede", "buildroot", "poky", "yocto"];

    /// <summary>IDs of the desktop-revival distributions the seed names (and the layouts the tests build).</summary>
    private static readonly string[] RevivalIds = ["tinycore", "tinycorelinux", "puppy", "puppylinux", "slitaz", "slax", "porteus", "antix", "dsl", "damnsmalllinux", "floppinux"];

    /// <summary>The world and why; <paramref name="given"/> (--world) wins when present.</summary>
    public static (string World, string Reason) Decide(string kind, string? osId, string? osName, string? init, string? given)
    {
        if (given is not null)
        {
            return (given, "given with --world");
        }

        var family = SourceKind.Named(kind);
        if (family == SourceKind.Firmware)
        {
            return (Embedded, "a firmware image");
        }

        var id = Normalize(osId) ?? Normalize(osName);
        if (id is not null && EmbeddedIds.Any(e => id.StartsWith(e, StringComparison.Ordinal)))
        {
            return (Embedded, $"an embedded build ({osId ?? osName})");
        }

        if (init == "procd")
        {
            return (Embedded, "OpenWrt's init (procd)");
        }

        if (id is not null && RevivalIds.Any(r => id.StartsWith(r, StringComparison.Ordinal)))
        {
            return (Revival, $"a desktop-revival distribution ({osId ?? osName})");
        }

        if (family.Family == SourceFamily.Medium)
        {
            return (Revival, $"a live medium ({kind})");
        }

        return (Container, $"an image or root filesystem ({kind}) with no embedded or revival identity");
    }

    /// <summary>Lower case without spaces, dashes or underscores ("Tiny Core Linux" and "tinycore" meet).</summary>
    private static string? Normalize(string? value)
        => string.IsNullOrWhiteSpace(value) ? null : new string(value.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
}
