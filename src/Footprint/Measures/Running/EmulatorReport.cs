using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Footprint.Measures.Running;

/// <summary>
/// The emulated machine, which moves the results: QEMU's version, the firmware (SeaBIOS, read from the BIOS image QEMU
/// loads), the machine type and accelerator (TCG: no KVM is used, so results do not depend on the host CPU's
/// virtualisation).
/// </summary>
public sealed partial record EmulatorReport(string Qemu, string Firmware, string Machine, string Accelerator)
{
    private static readonly string[] BiosImages = ["/usr/share/seabios/bios-256k.bin", "/usr/share/qemu/bios-256k.bin"];

    public static EmulatorReport Detect() => new(QemuVersion(), SeaBios(), "pc", "tcg");

    private static string QemuVersion()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(QemuMachine.Binary, "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            if (p is null)
            {
                return "unknown";
            }

            var first = p.StandardOutput.ReadLine() ?? "unknown";
            p.WaitForExit(5000);
            return first.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    private static string SeaBios()
    {
        foreach (var image in BiosImages.Where(File.Exists))
        {
            var text = Encoding.Latin1.GetString(File.ReadAllBytes(image));
            var m = SeaBiosVersion().Match(text);
            if (m.Success)
            {
                return "SeaBIOS " + m.Groups[1].Value;
            }
        }

        return "SeaBIOS (version unknown)";
    }

    [GeneratedRegex(@"\x00((?:rel-)?1\.[0-9]{1,3}\.[0-9]{1,3}[A-Za-z0-9.+~-]{0,64})\x00")]
    private static partial Regex SeaBiosVersion();
}
