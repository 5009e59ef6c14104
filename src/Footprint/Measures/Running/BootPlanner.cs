using Footprint.Formats;
using Footprint.Formats.Boot;
using Footprint.Formats.Compression;
using Footprint.Formats.Cpio;
using Footprint.Formats.Fat;
using Footprint.Formats.Iso9660;
using Footprint.Formats.Tar;

namespace Footprint.Measures.Running;

/// <summary>
/// Turns an artifact into a <see cref="BootPlan"/>. Media (ISO 9660, FAT disks and floppies) boot the kernel, initrds and
/// command line of their own default boot entry (SYSLINUX/ISOLINUX/EXTLINUX or GRUB, <see cref="BootConfigs"/>), read
/// out of the image without extracting it, with the medium attached read-only (live initrds look for their squashfs on
/// it). An initramfs is booted as the initrd of a stated kernel; a rootfs tarball is first written as a newc initramfs.
/// Footprint adds only <c>console=ttyS0,115200 panic=-1</c> (serial route; only <c>panic=-1</c> when the command line
/// already puts the console on ttyS0); a kernel without the 8250 serial driver, or an init whose only logins run on
/// virtual terminals (its /etc/inittab in the initrd, <see cref="InitTab"/>), is read on the VGA text screen instead,
/// with <c>panic=-1 no-scroll</c> added (no-scroll keeps the screen at 0xB8000). <see cref="BootRequest.Console"/>
/// forces either route; the plan says what decided.
/// </summary>
public static class BootPlanner
{
    /// <summary>Added to the command line on the serial route.</summary>
    public const string SerialArguments = "console=ttyS0,115200 panic=-1";

    /// <summary>Added on the serial route when the artifact's command line already names ttyS0 as its console.</summary>
    public const string SerialPanicOnly = "panic=-1";

    /// <summary>Added on the VGA route: panic=-1 so a panic ends the boot, no-scroll so the screen stays where it is read.</summary>
    public const string VgaArguments = "panic=-1 no-scroll";

    /// <summary>Sizes of the PC floppy formats QEMU's floppy controller knows (360K to 2.88M); other images are IDE disks.</summary>
    private static readonly long[] FloppyBytes = [368_640, 737_280, 1_228_800, 1_474_560, 2_949_120];

    private const int HeadBytes = 0x8800;

    /// <exception cref="FootprintFormatException">Not a bootable artifact, no usable boot entry, or files the entry names missing.</exception>
    public static BootPlan Plan(BootRequest request)
    {
        var path = request.Artifact;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file", path);
        }

        foreach (var extra in request.ExtraInitrds.Append(request.Kernel).OfType<string>())
        {
            if (!File.Exists(extra))
            {
                throw new FileNotFoundException($"{extra}: no such file", extra);
            }
        }

        var head = new byte[HeadBytes];
        int got;
        using (var f = File.OpenRead(path))
        {
            got = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        var span = head.AsSpan(0, got);
        var temp = Directory.CreateTempSubdirectory("footprint-boot-").FullName;
        try
        {
            if (IsoReader.HasMagic(span))
            {
                return PlanMedium(request, temp, "iso", $"file={DriveName(path)},format=raw,if=ide,media=cdrom,readonly=on");
            }

            if (KernelFacts.IsBzImage(span))
            {
                return PlanKernel(request with { Kernel = path }, temp, [], "kernel", []);
            }

            if (IsInitramfs(path, span))
            {
                var notes = new List<string>();
                switch (HasInit(path, out var unreadable))
                {
                    case false:
                        notes.Add("the initramfs has no /init: the kernel tries /sbin/init, /etc/init, /bin/init and /bin/sh");
                        break;
                    case null:
                        notes.Add($"the initramfs could not be read whole ({unreadable}): booted as it is, the kernel says what it makes of it");
                        break;
                }

                return PlanKernel(request, temp, [path], "initramfs", notes);
            }

            if (IsTar(path, span))
            {
                var cpio = Path.Combine(temp, "rootfs.cpio");
                var notes = new List<string> { "the rootfs tarball was written as a newc initramfs (Footprint's own writer) and booted from RAM" };
                if (!TarToCpio(path, cpio))
                {
                    notes.Add("the rootfs has no /init: the kernel tries /sbin/init, /etc/init, /bin/init and /bin/sh");
                }

                return PlanKernel(request, temp, [cpio], "rootfs", notes);
            }

            if (FatReader.HasMagic(span))
            {
                var size = new FileInfo(path).Length;
                var drive = FloppyBytes.Contains(size)
                    ? $"file={DriveName(path)},format=raw,if=floppy,readonly=on"
                    : $"file={DriveName(path)},format=raw,if=ide,snapshot=on";
                return PlanMedium(request, temp, "fat", drive);
            }

            throw new FootprintFormatException(path, null, "not a bootable artifact (expected an ISO 9660 or FAT image, an initramfs, a rootfs tarball or a bzImage)");
        }
        catch
        {
            Directory.Delete(temp, true);
            throw;
        }
    }

    /// <summary>QEMU's -drive option splits on commas: a comma in a file name is doubled.</summary>
    private static string DriveName(string path) => Path.GetFullPath(path).Replace(",", ",,", StringComparison.Ordinal);

    private static BootPlan PlanKernel(BootRequest request, string temp, IReadOnlyList<string> ownInitrds, string what, List<string> notes)
    {
        if (request.Kernel is not { } kernel)
        {
            throw new FootprintFormatException(request.Artifact, null, $"the {what} has no kernel of its own: give one with --kernel FILE");
        }

        var initrds = ownInitrds.Concat(request.ExtraInitrds).ToList();
        var initrd = initrds.Count switch
        {
            0 => null,
            1 => initrds[0],
            _ => Concatenate(temp, initrds.Select(i => (Func<Stream>)(() => File.OpenRead(i)))),
        };
        var facts = KernelFacts.Read(kernel);
        return Build(request, temp, facts, new PlanParts(
            what == "kernel" ? "kernel" : "stated-kernel", kernel, initrd, "", null, kernel, initrds, null, notes));
    }

    private static BootPlan PlanMedium(BootRequest request, string temp, string format, string drive)
    {
        var path = request.Artifact;
        using var stream = File.OpenRead(path);
        using var medium = MediumFiles.Open(stream, path, format);
        var tried = new List<string>();
        foreach (var candidate in BootConfigs.Candidates)
        {
            if (medium.ReadText(candidate) is not { } text)
            {
                continue;
            }

            var menu = BootConfigs.Parse(candidate, text, medium.ReadText);
            if (menu.Default is not { } entry)
            {
                tried.Add($"{candidate}: {menu.DefaultReason}");
                continue;
            }

            var notes = new List<string>();
            string kernel;
            if (request.Kernel is { } stated)
            {
                kernel = stated;
                notes.Add($"kernel {entry.Kernel} of the medium replaced by {stated}");
            }
            else
            {
                kernel = Path.Combine(temp, "kernel");
                using var k = medium.Open(entry.Kernel) ?? throw new FootprintFormatException(path, null, $"{candidate} boots {entry.Kernel}, which the medium does not hold");
                using var o = File.Create(kernel);
                k.CopyTo(o);
            }

            foreach (var i in entry.Initrds)
            {
                if (!medium.Exists(i))
                {
                    throw new FootprintFormatException(path, null, $"{candidate} loads initrd {i}, which the medium does not hold");
                }
            }

            var parts = entry.Initrds.Select(i => (Func<Stream>)(() => medium.Open(i)!)).Concat(request.ExtraInitrds.Select(e => (Func<Stream>)(() => File.OpenRead(e)))).ToList();
            var initrd = parts.Count == 0 ? null : Concatenate(temp, parts);
            var facts = KernelFacts.Read(kernel);
            var config = $"{candidate}, entry {entry.Label ?? "(unnamed)"} ({menu.DefaultReason})";
            return Build(request, temp, facts, new PlanParts(
                "medium-kernel", kernel, initrd, entry.Append, drive, request.Kernel ?? entry.Kernel, entry.Initrds.Concat(request.ExtraInitrds).ToList(), config, notes));
        }

        throw new FootprintFormatException(path, null, tried.Count == 0
            ? $"no bootloader configuration found (looked for {string.Join(", ", BootConfigs.Candidates)})"
            : "no configuration boots a Linux kernel by default: " + string.Join("; ", tried));
    }

    private sealed record PlanParts(string Name, string Kernel, string? Initrd, string OwnAppend, string? Drive, string KernelSource, IReadOnlyList<string> InitrdSources, string? Config, List<string> Notes);

    private static BootPlan Build(BootRequest request, string temp, KernelFacts facts, PlanParts p)
    {
        var own = (request.Append ?? p.OwnAppend).Trim();
        var notes = p.Notes;
        var (route, chosenBy, reason) = ChooseConsole(request.Console, facts, own, p.Initrd);
        if (chosenBy != ConsoleChosenBy.Kernel || route == ConsoleRoute.VgaText)
        {
            notes.Add(reason);
        }

        var added = route == ConsoleRoute.Serial ? SerialArguments : VgaArguments;
        if (route == ConsoleRoute.Serial && own.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(a => a.StartsWith("console=ttyS0", StringComparison.Ordinal)))
        {
            // Some inits open the last console= as a device path: Aboriginal's oneit tries "/dev/ttyS0,115200" and
            // reboots. A command line already on ttyS0 keeps its own console argument.
            added = SerialPanicOnly;
            notes.Add("the command line already puts the console on ttyS0: console= is not added");
        }
        return new BootPlan(temp)
        {
            Name = p.Name,
            Route = route,
            KernelFile = p.Kernel,
            InitrdFile = p.Initrd,
            OwnCommandLine = own,
            Added = added,
            CommandLine = own.Length == 0 ? added : own + " " + added,
            Drive = p.Drive,
            KernelSource = p.KernelSource,
            InitrdSources = p.InitrdSources,
            Config = p.Config,
            Notes = notes,
            ConsoleChosenBy = chosenBy,
            ConsoleReason = reason,
            KernelVersion = facts.Version,
            KernelInitSizeBytes = facts.InitSizeBytes,
        };
    }

    /// <summary>
    /// The console route and why: as asked (<see cref="ConsoleChoice.Serial"/>, <see cref="ConsoleChoice.Vga"/>); else
    /// the VGA screen for a kernel without the 8250 driver; else the VGA screen when the initrd's /etc/inittab runs
    /// every login on a virtual terminal (and the command line neither names a console nor replaces init: then the
    /// artifact chose for itself); else the serial console.
    /// </summary>
    private static (ConsoleRoute Route, ConsoleChosenBy ChosenBy, string Reason) ChooseConsole(ConsoleChoice choice, KernelFacts facts, string own, string? initrd)
    {
        switch (choice)
        {
            case ConsoleChoice.Serial:
                return (ConsoleRoute.Serial, ConsoleChosenBy.Option, facts.HasSerial8250 == false
                    ? "forced: the serial console was asked for, although the kernel has no 8250 serial driver (expect no console output)"
                    : "forced: the serial console was asked for");
            case ConsoleChoice.Vga:
                return (ConsoleRoute.VgaText, ConsoleChosenBy.Option, "forced: the VGA text screen was asked for; it is read over QMP");
        }

        if (facts.HasSerial8250 == false)
        {
            return (ConsoleRoute.VgaText, ConsoleChosenBy.Kernel, "the kernel has no 8250 serial driver: the console is read on the VGA text screen over QMP");
        }

        if (facts.HasSerial8250 is null)
        {
            return (ConsoleRoute.Serial, ConsoleChosenBy.Default, "whether the kernel has a serial driver could not be read from its payload: booting on the serial console");
        }

        var words = own.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (initrd is not null
            && !words.Any(w => w.StartsWith("console=", StringComparison.Ordinal) || w.StartsWith("init=", StringComparison.Ordinal) || w.StartsWith("rdinit=", StringComparison.Ordinal))
            && InitTab.Read(initrd) is { } inittab
            && InitTab.OnlyVirtualTerminalLogins(inittab) is { } login)
        {
            return (ConsoleRoute.VgaText, ConsoleChosenBy.Inittab,
                $"the initrd's /etc/inittab runs its only logins on virtual terminals ({login}): on the serial console the kernel's messages would show but never a shell, so the console is read on the VGA text screen over QMP");
        }

        return (ConsoleRoute.Serial, ConsoleChosenBy.Kernel, "the kernel has the 8250 serial driver: the console is ttyS0");
    }

    /// <summary>
    /// Writes the initrds one after another into one file, each padded to 4 bytes as bootloaders place them; the kernel
    /// unpacks every archive it finds in the buffer (init/initramfs.c skips the zero padding between them).
    /// </summary>
    private static string Concatenate(string temp, IEnumerable<Func<Stream>> parts)
    {
        var file = Path.Combine(temp, "initrd");
        using var output = File.Create(file);
        foreach (var open in parts)
        {
            using var part = open();
            part.CopyTo(output);
            while (output.Position % 4 != 0)
            {
                output.WriteByte(0);
            }
        }

        return file;
    }

    private static bool IsInitramfs(string path, ReadOnlySpan<byte> head)
    {
        if (CpioReader.HasMagic(head))
        {
            return true;
        }

        return DecompressedHead(path, head) is { } d && CpioReader.HasMagic(d);
    }

    private static bool IsTar(string path, ReadOnlySpan<byte> head)
    {
        static bool Ustar(ReadOnlySpan<byte> h) => h.Length >= 263 && h.Slice(257, 5).SequenceEqual("ustar"u8);
        return Ustar(head) || (DecompressedHead(path, head) is { } d && Ustar(d));
    }

    private static byte[]? DecompressedHead(string path, ReadOnlySpan<byte> head)
    {
        if (Decompression.Detect(head) == CompressionKind.None)
        {
            return null;
        }

        try
        {
            using var file = File.OpenRead(path);
            using var data = Decompression.Open(file, path, DecompressionLimits.Default, out _);
            var buffer = new byte[512];
            var n = data.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return buffer[..n];
        }
        catch (FootprintFormatException)
        {
            return null;
        }
    }

    /// <summary>Whether the initramfs has an /init; null when it cannot be read to the end (a damaged archive is still booted).</summary>
    private static bool? HasInit(string path, out string? error)
    {
        error = null;
        try
        {
            using var file = File.OpenRead(path);
            using var reader = new InitramfsReader(file, path, DecompressionLimits.Default);
            while (reader.GetNextEntry() is { } e)
            {
                if (e.Name.TrimStart('.', '/') == "init" && e.Kind is FileKind.Regular or FileKind.Symlink or FileKind.HardLink)
                {
                    return true;
                }
            }

            return false;
        }
        catch (FootprintFormatException e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>Writes the tarball's entries as a newc cpio; returns whether it has an /init.</summary>
    private static bool TarToCpio(string path, string cpio)
    {
        using var file = File.OpenRead(path);
        using var data = Decompression.Open(file, path, DecompressionLimits.Default, out _);
        using var tar = new TarArchiveReader(data, path);
        using var output = File.Create(cpio);
        using var writer = new NewcWriter(output);
        var hasInit = false;
        while (tar.GetNextEntry() is { } e)
        {
            var name = e.Name.TrimStart('.', '/').TrimEnd('/');
            if (name.Length == 0)
            {
                continue;
            }

            hasInit |= name == "init" && e.Kind is FileKind.Regular or FileKind.Symlink or FileKind.HardLink;
            switch (e.Kind)
            {
                case FileKind.Directory:
                    writer.Directory(name, e.Mode);
                    break;
                case FileKind.Symlink:
                    writer.Symlink(name, e.LinkTarget ?? "");
                    break;
                case FileKind.Regular:
                    writer.File(name, e.Mode, tar.OpenData(), e.SizeBytes);
                    break;
                case FileKind.HardLink:
                    // A hard link becomes a symlink to its target: same content for a boot, no shared inode needed.
                    writer.Symlink(name, "/" + (e.LinkTarget ?? "").TrimStart('.', '/'));
                    break;
                case FileKind.CharDevice:
                    writer.CharDevice(name, e.Mode, e.DeviceMajor, e.DeviceMinor);
                    break;
            }
        }

        writer.Finish();
        return hasInit;
    }
}
