namespace Footprint.Formats.Boot;

/// <summary>
/// Reads SYSLINUX, ISOLINUX and EXTLINUX configurations (the SYSLINUX wiki "Config" page; syslinux 6.03
/// <c>com32/elflink/ldlinux/readconfig.c</c>): keywords are case-insensitive, <c>LABEL</c> starts an entry,
/// <c>KERNEL</c>/<c>LINUX</c> name its kernel, <c>INITRD</c> and <c>APPEND initrd=</c> its initrds (comma lists, loaded in
/// order), <c>APPEND</c> its command line (a global <c>APPEND</c> before any <c>LABEL</c> applies to labels without
/// their own; <c>APPEND -</c> means none). <c>INCLUDE</c> and <c>MENU INCLUDE</c> splice another file in, resolved
/// against the top configuration's directory; a missing one is skipped, as SYSLINUX does, and nesting is bounded
/// (<see cref="BootConfigLimits.MaxIncludeDepth"/>) because SYSLINUX has no loop check. The default entry is the
/// <c>DEFAULT</c> label; else the <c>MENU DEFAULT</c> one; else, when <c>DEFAULT</c> names no label, it is itself a
/// command line (kernel and arguments); else the first entry.
/// </summary>
public static class SyslinuxConfig
{
    /// <summary>Kernel-keyword file names SYSLINUX runs as modules, boot sectors or PXE images, not Linux kernels.</summary>
    private static readonly string[] NonLinuxSuffixes = [".c32", ".com", ".cbt", ".0", ".bin", ".bss", ".bs", ".img"];

    /// <param name="configPath">The file's path on the medium (relative to the root): includes resolve against its directory.</param>
    /// <param name="text">Its text.</param>
    /// <param name="readInclude">Reads an included file by its resolved path, or null when it does not exist.</param>
    /// <exception cref="FootprintFormatException">A file, line or entry count over <see cref="BootConfigLimits"/>, or includes nested too deep.</exception>
    public static BootMenu Parse(string configPath, string text, Func<string, string?>? readInclude = null)
    {
        var state = new State(BootPaths.Directory(configPath), readInclude);
        state.Read(configPath, text, 0);
        return state.Finish(configPath);
    }

    /// <summary>Whether SYSLINUX would boot <paramref name="file"/> as a Linux kernel (not a .c32 module, boot sector...).</summary>
    public static bool IsLinuxKernel(string file)
        => file.Length > 0 && !NonLinuxSuffixes.Any(s => file.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    private sealed class Entry
    {
        public required string Label { get; init; }

        public string? Kernel { get; set; }

        /// <summary>LINUX forces a Linux kernel; KERNEL guesses from the file name; COM32, BOOT... never are.</summary>
        public bool? Linux { get; set; }

        public string? Initrd { get; set; }

        public string? Append { get; set; }

        public bool MenuDefault { get; set; }
    }

    private sealed class State(string dir, Func<string, string?>? readInclude)
    {
        private readonly List<Entry> _entries = [];
        private string? _default;
        private string? _globalAppend;
        private int _included;

        public void Read(string file, string text, int depth)
        {
            if (text.Length > BootConfigLimits.MaxConfigChars)
            {
                throw new FootprintFormatException(file, BootConfigLimits.MaxConfigChars, $"configuration over {BootConfigLimits.MaxConfigChars} characters");
            }

            var offset = 0;
            while (offset <= text.Length)
            {
                var end = text.IndexOf('\n', offset);
                if (end < 0)
                {
                    end = text.Length;
                }

                if (end - offset > BootConfigLimits.MaxLineChars)
                {
                    throw new FootprintFormatException(file, offset, $"line over {BootConfigLimits.MaxLineChars} characters");
                }

                Line(file, offset, text.AsSpan(offset, end - offset).Trim().ToString(), depth);
                offset = end + 1;
            }
        }

        private void Line(string file, int offset, string line, int depth)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                return;
            }

            var (key, value) = Split(line);
            if (key == "MENU")
            {
                // MENU DEFAULT marks the current label; MENU INCLUDE is INCLUDE; the other MENU lines only style the menu.
                (key, value) = Split(value);
                if (key == "DEFAULT")
                {
                    if (Current is { } e)
                    {
                        e.MenuDefault = true;
                    }

                    return;
                }

                if (key != "INCLUDE")
                {
                    return;
                }
            }

            switch (key)
            {
                case "INCLUDE":
                    Include(file, offset, FirstWord(value), depth);
                    break;
                case "DEFAULT":
                    _default = value;
                    break;
                case "LABEL":
                    if (_entries.Count >= BootConfigLimits.MaxEntries)
                    {
                        throw new FootprintFormatException(file, offset, $"more than {BootConfigLimits.MaxEntries} LABELs");
                    }

                    _entries.Add(new Entry { Label = value });
                    break;
                case "KERNEL" or "LINUX":
                    SetKernel(value, key == "LINUX" ? true : null);
                    break;
                case "BOOT" or "BSS" or "PXE" or "FDIMAGE" or "COMBOOT" or "COM32" or "CONFIG" or "LOCALBOOT":
                    SetKernel(value, false);
                    break;
                case "INITRD":
                    if (Current is { } withInitrd)
                    {
                        withInitrd.Initrd = value;
                    }

                    break;
                case "APPEND":
                    if (Current is { } withAppend)
                    {
                        withAppend.Append = value;
                    }
                    else
                    {
                        _globalAppend = value;
                    }

                    break;
            }
        }

        private Entry? Current => _entries.Count > 0 ? _entries[^1] : null;

        private void SetKernel(string value, bool? linux)
        {
            if (Current is { } e)
            {
                e.Kernel = FirstWord(value);
                e.Linux = linux;
            }
        }

        private void Include(string file, int offset, string name, int depth)
        {
            if (name.Length == 0 || readInclude is null)
            {
                return;
            }

            if (depth + 1 > BootConfigLimits.MaxIncludeDepth)
            {
                throw new FootprintFormatException(file, offset, $"INCLUDE {name}: includes nested deeper than {BootConfigLimits.MaxIncludeDepth} (a loop?)");
            }

            if (++_included > BootConfigLimits.MaxIncludedFiles)
            {
                throw new FootprintFormatException(file, offset, $"INCLUDE {name}: more than {BootConfigLimits.MaxIncludedFiles} included files");
            }

            var path = BootPaths.Resolve(dir, name);
            if (readInclude(path) is { } text)
            {
                Read(path, text, depth + 1);
            }
        }

        public BootMenu Finish(string configPath)
        {
            var linux = _entries.Where(e => IsLinux(e)).ToList();
            var entries = linux.Select(ToEntry).ToList();
            var label = _default is { } d ? FirstWord(d) : null;
            Entry? chosen = null;
            string reason;
            if (label is not null && (_entries.FirstOrDefault(e => e.Label == label) ?? _entries.FirstOrDefault(e => string.Equals(e.Label, label, StringComparison.OrdinalIgnoreCase))) is { } byLabel)
            {
                chosen = byLabel;
                reason = $"DEFAULT {label}";
            }
            else if (_entries.FirstOrDefault(e => e.MenuDefault) is { } marked)
            {
                chosen = marked;
                reason = $"MENU DEFAULT on LABEL {marked.Label}";
            }
            else if (label is not null && IsLinuxKernel(label))
            {
                // DEFAULT naming no label is a command line of its own: "DEFAULT vmlinuz initrd=core.gz quiet".
                var rest = _default![label.Length..].Trim();
                var synthetic = new Entry { Label = label, Kernel = label, Linux = true, Append = rest };
                var entry = ToEntry(synthetic);
                return new BootMenu(configPath, "syslinux", entries, entry, "DEFAULT is a command line (it names no LABEL)");
            }
            else if (_entries.Count > 0)
            {
                chosen = _entries[0];
                reason = label is null ? "the first LABEL (no DEFAULT)" : $"the first LABEL (DEFAULT {label} names a module, not a LABEL)";
            }
            else
            {
                return new BootMenu(configPath, "syslinux", entries, null, "no LABEL and no DEFAULT command line");
            }

            if (!IsLinux(chosen))
            {
                return new BootMenu(configPath, "syslinux", entries, null, $"{reason}: LABEL {chosen.Label} boots {chosen.Kernel ?? "nothing"}, not a Linux kernel");
            }

            return new BootMenu(configPath, "syslinux", entries, ToEntry(chosen), reason);
        }

        private static bool IsLinux(Entry e) => e.Kernel is { Length: > 0 } k && (e.Linux ?? IsLinuxKernel(k));

        private BootMenuEntry ToEntry(Entry e)
        {
            var append = e.Append ?? _globalAppend ?? "";
            if (append == "-")
            {
                append = "";
            }

            // SYSLINUX turns INITRD into " initrd=..." appended to the command line and loads the last initrd= it finds
            // (ldlinux execute.c / find_argument), so INITRD wins over an initrd= in APPEND, and a later initrd= over an
            // earlier one.
            string? list = e.Initrd;
            if (list is null)
            {
                foreach (var arg in append.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
                {
                    if (arg.StartsWith("initrd=", StringComparison.OrdinalIgnoreCase))
                    {
                        list = arg[7..];
                    }
                }
            }

            var initrds = (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(i => BootPaths.Resolve(dir, i)).Where(i => i.Length > 0).ToList();
            return new BootMenuEntry(e.Label, BootPaths.Resolve(dir, e.Kernel!), initrds, append);
        }
    }

    private static (string Key, string Value) Split(string line)
    {
        var space = line.IndexOfAny([' ', '\t']);
        return space < 0 ? (line.ToUpperInvariant(), "") : (line[..space].ToUpperInvariant(), line[(space + 1)..].Trim());
    }

    private static string FirstWord(string value)
    {
        var space = value.IndexOfAny([' ', '\t']);
        return space < 0 ? value : value[..space];
    }
}
