using Footprint.Reports;
using Spectre.Console;

namespace Footprint.Cli.Rendering;

/// <summary>The measure table's rows for a kernel image (docs/kernel.md) and a root filesystem's module trees.</summary>
internal static class KernelRows
{
    public static void Add(Table summary, ArtifactReport a, Func<long, string> bytes)
    {
        if (a.Kernel is { } k)
        {
            var agree = k.VersionsAgree switch { true => "setup string and banner agree", false => "setup string and banner DIFFER", null => "from the banner" };
            summary.AddRow("Kernel", TerminalText.Cell(k.Release ?? "unknown"), TerminalText.Cell($"{k.Format}, {k.Architecture}, {agree}"));
            summary.AddRow("  compressed", bytes(k.FileBytes), TerminalText.Cell($"file; {k.Compressor} payload {bytes(k.PayloadBytes)} at 0x{k.PayloadOffset:x}"));
            summary.AddRow("  decompressed", bytes(k.DecompressedBytes), k.InitSizeBytes is { } init ? $"vmlinux; init_size {bytes(init)}" : "vmlinux");
            if (k.Config is { } c)
            {
                var consoles = c.SerialConsole ? string.Join(",", c.SerialConsoles) : "none";
                summary.AddRow("  config (IKCONFIG)", c.Symbols.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " symbols",
                    TerminalText.Cell($"serial console {consoles}; squashfs {c.Squashfs}; overlayfs {c.Overlayfs}; devtmpfs {c.Devtmpfs}; initrd {c.Initrd} ({string.Join(",", c.InitrdCompressors)})"));
            }
            else
            {
                summary.AddRow("  config (IKCONFIG)", "absent", "the kernel does not carry its configuration");
            }

            summary.AddRow("  built-in initramfs", k.Initramfs is { } i ? bytes(i.StoredBytes) : "none",
                TerminalText.Cell(k.Initramfs is { } ir ? $"{ir.Compression}, {ir.LocatedBy}{(ir.DefaultStub ? "; only the default /dev, /dev/console, /root" : "; measured below as the layer")}" : "no initramfs found"));
        }

        if (a.KernelModules is { } modules)
        {
            foreach (var t in modules.Trees)
            {
                summary.AddRow("Kernel modules", bytes(t.ApparentBytes), TerminalText.Cell($"{t.Path}: {Plural.Of(t.Files, "file")}, {Plural.Of(t.Modules, "module")}"));
            }
        }
    }
}
