namespace Footprint.Sources.LiveMedia;

/// <summary>
/// Reads the default boot entry of the bootloader configurations live media carry: SYSLINUX/ISOLINUX/EXTLINUX
/// (<c>DEFAULT</c>, <c>LABEL</c>, <c>KERNEL</c>/<c>LINUX</c>, <c>INITRD</c>, <c>APPEND initrd=a,b</c>; see the SYSLINUX
/// wiki "Config") and GRUB 2 (<c>set default</c>, first <c>menuentry</c>, <c>linux</c>, <c>initrd a b</c>). Paths are
/// returned normalized (no leading "/"), relative ones resolved against the config's directory as SYSLINUX does.
/// The kernel loads the initrds in the order given, later files overriding earlier ones.
/// </summary>
public static class BootConfig
{
    /// <summary>Configurations looked for, in order.</summary>
    public static readonly string[] Candidates =
    [
        "boot/isolinux/isolinux.cfg", "isolinux/isolinux.cfg", "isolinux.cfg", "boot/syslinux/syslinux.cfg", "syslinux/syslinux.cfg",
        "syslinux.cfg", "extlinux.conf", "boot/extlinux/extlinux.conf", "boot/grub/grub.cfg", "EFI/BOOT/grub.cfg", "grub/grub.cfg",
    ];

    public static BootEntry? Parse(string configPath, string text)
        => configPath.EndsWith("grub.cfg", StringComparison.OrdinalIgnoreCase) ? ParseGrub(configPath, text) : ParseSyslinux(configPath, text);

    private static BootEntry? ParseSyslinux(string configPath, string text)
    {
        var dir = Dir(configPath);
        string? defaultLabel = null;
        var entries = new List<(string? Label, string? Kernel, List<string> Initrds, string? Append)>();
        (string? Label, string? Kernel, List<string> Initrds, string? Append)? current = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var space = line.IndexOfAny([' ', '\t']);
            var key = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var value = space < 0 ? "" : line[(space + 1)..].Trim();
            switch (key)
            {
                case "DEFAULT":
                    defaultLabel = value.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
                    break;
                case "LABEL":
                    if (current is { } done)
                    {
                        entries.Add(done);
                    }

                    current = (value, null, [], null);
                    break;
                case "KERNEL" or "LINUX":
                    current = (current?.Label, value.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(), current?.Initrds ?? [], current?.Append);
                    break;
                case "INITRD":
                    current = (current?.Label, current?.Kernel, current?.Initrds ?? [], current?.Append);
                    current.Value.Initrds.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "APPEND":
                    current = (current?.Label, current?.Kernel, current?.Initrds ?? [], value);
                    foreach (var arg in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (arg.StartsWith("initrd=", StringComparison.OrdinalIgnoreCase))
                        {
                            current.Value.Initrds.AddRange(arg[7..].Split(',', StringSplitOptions.RemoveEmptyEntries));
                        }
                    }

                    break;
            }
        }

        if (current is { } last)
        {
            entries.Add(last);
        }

        var chosen = entries.FirstOrDefault(e => e.Kernel is not null && defaultLabel is not null && string.Equals(e.Label, defaultLabel, StringComparison.OrdinalIgnoreCase));
        if (chosen.Kernel is null)
        {
            chosen = entries.FirstOrDefault(e => e.Kernel is not null && !IsChainLoader(e.Kernel));
        }

        return chosen.Kernel is null ? null : new BootEntry(configPath, chosen.Label, Resolve(dir, chosen.Kernel), chosen.Initrds.Select(i => Resolve(dir, i)).Distinct().ToList(), chosen.Append);
    }

    private static bool IsChainLoader(string kernel)
        => kernel.EndsWith(".c32", StringComparison.OrdinalIgnoreCase) || kernel.EndsWith(".com", StringComparison.OrdinalIgnoreCase) || kernel.EndsWith(".0", StringComparison.Ordinal);

    private static BootEntry? ParseGrub(string configPath, string text)
    {
        string? label = null;
        string? kernel = null;
        string? append = null;
        var initrds = new List<string>();
        var inEntry = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("menuentry", StringComparison.Ordinal))
            {
                if (kernel is not null)
                {
                    break;
                }

                inEntry = true;
                var q = line.IndexOfAny(['\'', '"']);
                var e = q < 0 ? -1 : line.IndexOf(line[q], q + 1);
                label = q >= 0 && e > q ? line[(q + 1)..e] : null;
                continue;
            }

            if (!inEntry)
            {
                continue;
            }

            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && parts[0] is "linux" or "linux16" or "linuxefi")
            {
                kernel = parts[1];
                append = string.Join(' ', parts.Skip(2));
            }
            else if (parts.Length >= 2 && parts[0] is "initrd" or "initrd16" or "initrdefi")
            {
                initrds.AddRange(parts.Skip(1));
            }
            else if (line == "}" && kernel is not null)
            {
                break;
            }
        }

        return kernel is null ? null : new BootEntry(configPath, label, Resolve("", kernel), initrds.Select(i => Resolve("", i)).ToList(), append);
    }

    private static string Dir(string path) => path.LastIndexOf('/') is var s and > 0 ? path[..s] : "";

    private static string Resolve(string dir, string path)
    {
        var p = path.Replace('\\', '/');
        var combined = p.StartsWith('/') || dir.Length == 0 ? p : dir + "/" + p;
        return FileSystem.ImagePath.Normalize(combined) ?? p.TrimStart('/');
    }
}
