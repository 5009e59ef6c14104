using System.Text;
using Footprint.Formats.Boot;

namespace Footprint.Fuzz;

/// <summary>
/// Bootloader configurations: the input's UTF-8 text split at NUL bytes into files; the first is parsed as a SYSLINUX
/// configuration (an INCLUDE of any name reads one of the files, picked by the name, so loops and fan-outs are
/// reachable) and as a GRUB one. Only <see cref="Footprint.Formats.FootprintFormatException"/> may escape; every path
/// returned is normalized (no leading "/", no empty, "." or ".." component), and a GRUB default is one of its entries.
/// </summary>
internal static class BootConfigTarget
{
    internal static void Fuzz(byte[] input)
    {
        var files = Encoding.UTF8.GetString(input).Split('\0');
        var syslinux = SyslinuxConfig.Parse("boot/isolinux/isolinux.cfg", files[0], name => files[(int)((uint)name.GetHashCode(StringComparison.Ordinal) % (uint)files.Length)]);
        Check(syslinux);
        var grub = GrubConfig.Parse("boot/grub/grub.cfg", files[0]);
        Check(grub);
        if (grub.Default is { } d && !grub.Entries.Contains(d))
        {
            throw new InvalidOperationException("the GRUB default is not one of its entries");
        }
    }

    private static void Check(BootMenu menu)
    {
        foreach (var entry in menu.Entries.Append(menu.Default).OfType<BootMenuEntry>())
        {
            foreach (var path in entry.Initrds.Append(entry.Kernel))
            {
                if (path.StartsWith('/') || path.Split('/').Any(p => p is "." or ".." || (p.Length == 0 && path.Length > 0)))
                {
                    throw new InvalidOperationException($"path '{path}' is not normalized");
                }
            }
        }
    }
}
