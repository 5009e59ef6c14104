namespace Footprint.Formats.Boot;

/// <summary>Where media keep their bootloader configuration, and which parser reads each.</summary>
public static class BootConfigs
{
    /// <summary>Configurations looked for, in order: the BIOS loaders first (what SeaBIOS boots), GRUB last.</summary>
    public static readonly string[] Candidates =
    [
        "boot/isolinux/isolinux.cfg", "isolinux/isolinux.cfg", "isolinux.cfg", "boot/syslinux/syslinux.cfg", "syslinux/syslinux.cfg",
        "syslinux.cfg", "extlinux.conf", "boot/extlinux/extlinux.conf", "extlinux/extlinux.conf", "boot/grub/grub.cfg", "grub/grub.cfg",
        "EFI/BOOT/grub.cfg", "boot/grub2/grub.cfg",
    ];

    /// <summary>Parses <paramref name="text"/> with the parser its file name calls for.</summary>
    public static BootMenu Parse(string configPath, string text, Func<string, string?>? readInclude = null)
        => configPath.EndsWith("grub.cfg", StringComparison.OrdinalIgnoreCase) ? GrubConfig.Parse(configPath, text) : SyslinuxConfig.Parse(configPath, text, readInclude);
}
