namespace Footprint.Sources.LiveMedia;

/// <summary>
/// The composition rules of the live distros, as data: which files of the medium become which layers, in which
/// order, and what each costs in RAM by default and with the distro's copy-to-RAM option. Each rule names its
/// source; docs/live.md explains them. The first rule that matches the medium wins; <see cref="Generic"/> is last.
/// </summary>
public static class DistroRules
{
    private static readonly (string Id, Func<ContainerListing, BootEntry?, Composition?> Match)[] Rules =
    [
        ("tinycore", TinyCore),
        ("puppy", Puppy),
        ("slax", Slax),
        ("porteus", Porteus),
        ("antix", Antix),
        ("slitaz", SliTaz),
    ];

    public static Composition Compose(ContainerListing files)
    {
        var boot = FindBoot(files);
        foreach (var (_, match) in Rules)
        {
            if (match(files, boot) is { } c)
            {
                return c;
            }
        }

        return Generic(files, boot);
    }

    public static BootEntry? FindBoot(ContainerListing files)
    {
        foreach (var candidate in BootConfig.Candidates)
        {
            if (files.Find(candidate) is { } path && files.ReadText(path) is { } text && BootConfig.Parse(path, text) is { } entry)
            {
                return entry with { Kernel = entry.Kernel is { } k ? files.Find(k) ?? k : null, Initrds = entry.Initrds.Select(i => files.Find(i) ?? i).ToList() };
            }
        }

        return null;
    }

    /// <summary>
    /// Tiny Core ("Into the Core", chapters on boot codes and extensions; tc-config and tce-setup): the kernel unpacks
    /// core.gz (or corepure64.gz) into RAM; then every extension named in cde/onboot.lst is loaded from cde/optional,
    /// each after the extensions its NAME.tcz.dep lists. Extensions are loop-mounted from the medium unless the
    /// copy2fs boot code (or copy2fs.flg) copies their files into RAM.
    /// </summary>
    private static Composition? TinyCore(ContainerListing files, BootEntry? boot)
    {
        var core = boot?.Initrds.FirstOrDefault(i => Name(i) is "core.gz" or "corepure64.gz" or "tinycore.gz" or "rootfs.gz" && files.Find(i) is not null)
            ?? new[] { "boot/core.gz", "boot/corepure64.gz", "boot/tinycore.gz" }.Select(files.Find).FirstOrDefault(p => p is not null);
        if (core is null || !(files.HasDirectory("cde") || Name(core) is "core.gz" or "corepure64.gz" or "tinycore.gz"))
        {
            return null;
        }

        var components = new List<Component>();
        foreach (var initrd in boot?.Initrds.Where(i => files.Find(i) is not null).Select(i => files.Find(i)!) ?? [core])
        {
            components.Add(Initramfs(files, initrd, Name(initrd) == Name(core) ? "core" : "initrd"));
        }

        if (components.Count == 0)
        {
            components.Add(Initramfs(files, core, "core"));
        }

        var loaded = new HashSet<string>(StringComparer.Ordinal);
        void Load(string name, int depth)
        {
            name = name.Trim();
            if (name.Length == 0 || depth > 32 || !loaded.Add(name))
            {
                return;
            }

            var dep = files.ReadText($"cde/optional/{name}.dep");
            foreach (var d in (dep ?? "").Split('\n'))
            {
                Load(d, depth + 1);
            }

            if (files.Find($"cde/optional/{name}") is { } tcz)
            {
                components.Add(Squashfs(files, tcz, "extension", Residency.OnMedia, Residency.ExpandedInRam));
            }
        }

        foreach (var line in (files.ReadText("cde/onboot.lst") ?? "").Split('\n'))
        {
            Load(line, 0);
        }

        return new Composition
        {
            Rule = "tinycore",
            Description = "core.gz unpacked into RAM; cde/onboot.lst extensions (after their .dep) loop-mounted from the medium, copied into RAM with copy2fs",
            Source = "Tiny Core Linux, \"Into the Core\" (boot codes: cde, copy2fs) and the tce-setup/tce-load scripts",
            Components = Number(components),
            Boot = boot,
            Kernel = Kernel(files, boot),
            NotLoaded = files.In("cde/optional", ".tcz").Where(p => !components.Any(c => c.Path == p)).ToList(),
        };
    }

    /// <summary>
    /// Puppy (woof-CE initrd-progs/0initrd/README.txt, "Overview of how it works"): the stack, bottom to top, is
    /// bdrv, zdrv, fdrv, puppy, ydrv, adrv, under a tmpfs read-write layer. The .sfs files are copied into RAM
    /// (pfix=copy; the default when RAM exceeds 1 GiB) or mounted from the medium (pfix=nocopy). initrd.gz is the
    /// boot environment, not part of the stack.
    /// </summary>
    private static Composition? Puppy(ContainerListing files, BootEntry? boot)
    {
        var sfs = files.Files.Keys.Where(p => p.EndsWith(".sfs", StringComparison.OrdinalIgnoreCase) && p.Count(c => c == '/') <= 1).ToList();
        string? Pick(string prefix) => sfs.Where(p => Name(p).StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).FirstOrDefault();
        var main = Pick("puppy_");
        if (main is null)
        {
            return null;
        }

        var components = new List<Component>();
        foreach (var (prefix, role) in new[] { ("bdrv_", "bdrv"), ("zdrv_", "zdrv"), ("fdrv_", "fdrv"), ("puppy_", "puppy"), ("ydrv_", "ydrv"), ("adrv_", "adrv") })
        {
            if (Pick(prefix) is { } p)
            {
                components.Add(Squashfs(files, p, role, Residency.OnMedia, Residency.CompressedInRam));
            }
        }

        return new Composition
        {
            Rule = "puppy",
            Description = "bdrv, zdrv, fdrv, puppy, ydrv, adrv .sfs stacked bottom to top; mounted from the medium (pfix=nocopy) or copied into RAM (pfix=copy, the default above 1 GiB of RAM)",
            Source = "woof-CE initrd-progs/0initrd/README.txt (init: layered file system, pfix)",
            Components = Number(components),
            Boot = boot,
            Kernel = Kernel(files, boot),
            NotLoaded = sfs.Where(p => !components.Any(c => c.Path == p)).ToList(),
        };
    }

    /// <summary>
    /// Slax (Slax handbook and the Linux Live Kit scripts): every slax/*.sb bundle in name order, then slax/modules/*.sb,
    /// then slax/rootcopy copied on top; bundles are mounted from the medium unless the toram boot parameter copies
    /// them into RAM first.
    /// </summary>
    private static Composition? Slax(ContainerListing files, BootEntry? boot)
        => Modules(files, boot, "slax", "slax", ".sb", ["slax", "slax/modules"], "slax/rootcopy",
            "slax/*.sb then slax/modules/*.sb in name order, then slax/rootcopy; mounted from the medium, copied into RAM with toram",
            "Slax handbook (boot parameters: toram) and Linux Live Kit (livekitlib: bundles sorted by name, rootcopy)");

    /// <summary>
    /// Porteus (Porteus FAQ and linuxrc): porteus/base/*.xzm then porteus/modules/*.xzm in alphanumeric order
    /// (porteus/optional only with load=), then porteus/rootcopy; mounted from the medium unless copy2ram.
    /// </summary>
    private static Composition? Porteus(ContainerListing files, BootEntry? boot)
    {
        var c = Modules(files, boot, "porteus", "porteus", ".xzm", ["porteus/base", "porteus/modules"], "porteus/rootcopy",
            "porteus/base/*.xzm then porteus/modules/*.xzm in alphanumeric order, then porteus/rootcopy; optional/ only with load=; mounted from the medium, copied into RAM with copy2ram",
            "Porteus FAQ and linuxrc (cheatcodes copy2ram, load=, rootcopy)");
        return c is null ? null : c with { NotLoaded = files.In("porteus/optional", ".xzm") };
    }

    private static Composition? Modules(ContainerListing files, BootEntry? boot, string rule, string top, string suffix, string[] dirs, string rootcopy, string description, string source)
    {
        var modules = dirs.SelectMany(d => files.In(d, suffix)).ToList();
        if (modules.Count == 0 || !files.HasDirectory(top))
        {
            return null;
        }

        var components = modules.Select(m => Squashfs(files, m, "module", Residency.OnMedia, Residency.CompressedInRam)).ToList();
        if (files.HasDirectory(rootcopy))
        {
            components.Add(new Component
            {
                Layer = 0, Path = rootcopy, Format = ComponentFormat.ContainerTree, Role = "rootcopy", TreeRoot = rootcopy,
                StoredBytes = files.Files.Where(f => f.Key.StartsWith(rootcopy + "/", StringComparison.Ordinal)).Sum(f => f.Value),
                Default = Residency.ExpandedInRam, ToRam = Residency.ExpandedInRam,
            });
        }

        return new Composition { Rule = rule, Description = description, Source = source, Components = Number(components), Boot = boot, Kernel = Kernel(files, boot) };
    }

    /// <summary>
    /// antiX and DSL (antiX live boot: the initrd's init finds antiX/linuxfs and mounts it read-only under a tmpfs;
    /// the toram boot option copies linuxfs into RAM first).
    /// </summary>
    private static Composition? Antix(ContainerListing files, BootEntry? boot)
    {
        if (files.Find("antiX/linuxfs") is not { } linuxfs)
        {
            return null;
        }

        return new Composition
        {
            Rule = "antix",
            Description = "antiX/linuxfs squashfs mounted from the medium under a RAM layer; copied into RAM with toram",
            Source = "antiX live system (iso-template-antix; boot options toram, from=)",
            Components = Number([Squashfs(files, linuxfs, "linuxfs", Residency.OnMedia, Residency.CompressedInRam)]),
            Boot = boot,
            Kernel = Kernel(files, boot),
        };
    }

    /// <summary>
    /// SliTaz (SliTaz handbook, "flavors"): the whole system is one or more cascaded initramfs images the kernel
    /// unpacks into RAM, in the order the bootloader lists them (rootfs4.gz is the base when none is listed).
    /// </summary>
    private static Composition? SliTaz(ContainerListing files, BootEntry? boot)
    {
        var listed = boot?.Initrds.Where(i => Name(i).StartsWith("rootfs", StringComparison.OrdinalIgnoreCase) && files.Find(i) is not null).Select(i => files.Find(i)!).ToList() ?? [];
        var all = files.In("boot", ".gz").Where(p => Name(p).StartsWith("rootfs", StringComparison.OrdinalIgnoreCase)).ToList();
        if (all.Count == 0 || files.Find("boot/bzImage") is null && !all.Any(p => Name(p) != "rootfs.gz"))
        {
            return null;
        }

        var order = listed.Count > 0 ? listed : all.OrderByDescending(p => p, StringComparer.Ordinal).ToList();
        return new Composition
        {
            Rule = "slitaz",
            Description = "cascaded rootfs*.gz initramfs images unpacked into RAM in bootloader order (later ones override)",
            Source = "SliTaz handbook (flavors, cascaded rootfs.gz) and its isolinux configuration",
            Components = Number(order.Select(p => Initramfs(files, p, "rootfs")).ToList()),
            Boot = boot,
            Kernel = Kernel(files, boot),
        };
    }

    /// <summary>
    /// Any other medium: a known live root (Debian live, casper, LiveOS, archiso) mounted from the medium, the
    /// initramfs being only the boot environment; else the initramfs images of the default boot entry are the system;
    /// else the medium's own files.
    /// </summary>
    private static Composition Generic(ContainerListing files, BootEntry? boot)
    {
        var roots = new[] { "live/filesystem.squashfs", "casper/filesystem.squashfs", "LiveOS/squashfs.img", "arch/x86_64/airootfs.sfs" }.Select(files.Find).OfType<string>().ToList();
        if (roots.Count > 0)
        {
            return new Composition
            {
                Rule = "live",
                Description = "a live root squashfs mounted from the medium (copied into RAM with toram); the initramfs only boots it",
                Source = "Debian live-boot, casper, dracut dmsquash-live, archiso (toram / copytoram options)",
                Components = Number(roots.Select(r => Squashfs(files, r, "root", Residency.OnMedia, Residency.CompressedInRam)).ToList()),
                Boot = boot,
                Kernel = Kernel(files, boot),
            };
        }

        var initrds = boot?.Initrds.Where(i => files.Find(i) is not null).Select(i => files.Find(i)!).ToList() ?? [];
        if (initrds.Count > 0)
        {
            return new Composition
            {
                Rule = "initramfs",
                Description = "the default boot entry's initramfs images, unpacked into RAM in order, are the running system",
                Source = "the medium's bootloader configuration; Linux Documentation/driver-api/early-userspace/buffer-format.rst",
                Components = Number(initrds.Select(p => Initramfs(files, p, "initrd")).ToList()),
                Boot = boot,
                Kernel = Kernel(files, boot),
            };
        }

        return new Composition
        {
            Rule = "media",
            Description = "no live root or initramfs found: the medium's own files",
            Source = "(none)",
            Components = [new Component { Layer = 0, Path = "", Format = ComponentFormat.ContainerTree, Role = "media", StoredBytes = files.Files.Values.Sum(), Default = Residency.OnMedia, ToRam = Residency.OnMedia }],
            Boot = boot,
            Kernel = Kernel(files, boot),
        };
    }

    private static Component Initramfs(ContainerListing files, string path, string role) => new()
    {
        Layer = 0, Path = path, Format = ComponentFormat.Initramfs, Role = role, StoredBytes = files.Size(path),
        Default = Residency.ExpandedInRam, ToRam = Residency.ExpandedInRam,
    };

    private static Component Squashfs(ContainerListing files, string path, string role, Residency byDefault, Residency toRam) => new()
    {
        Layer = 0, Path = path, Format = ComponentFormat.Squashfs, Role = role, StoredBytes = files.Size(path), Default = byDefault, ToRam = toRam,
    };

    private static IReadOnlyList<Component> Number(IReadOnlyList<Component> components)
        => components.Select((c, i) => c with { Layer = i }).ToList();

    private static string? Kernel(ContainerListing files, BootEntry? boot)
    {
        if (boot?.Kernel is { } k && files.Find(k) is { } found)
        {
            return found;
        }

        return new[] { "boot/vmlinuz", "boot/vmlinuz64", "boot/bzImage", "antiX/vmlinuz", "slax/boot/vmlinuz", "boot/syslinux/vmlinuz", "vmlinuz", "bzImage", "live/vmlinuz", "casper/vmlinuz" }
            .Select(files.Find).FirstOrDefault(p => p is not null);
    }

    private static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];
}
