using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Footprint.Measures.Running;

/// <summary>
/// One running QEMU guest: qemu-system-x86_64 with no default devices, no network, the seccomp sandbox, the console on
/// stdio (serial route) or the VGA text screen read over QMP, and a QMP socket in a private temporary directory.
/// Console bytes are read on a thread into <see cref="Log"/>. <see cref="Dispose"/> kills QEMU and waits for it, so
/// every exit path (success, failure, exception) leaves no process behind.
/// </summary>
public sealed class QemuMachine : IDisposable
{
    /// <summary>The emulator used; "qemu-system-x86_64" from PATH unless the environment names another.</summary>
    public static string Binary => Environment.GetEnvironmentVariable("FOOTPRINT_QEMU") is { Length: > 0 } q ? q : "qemu-system-x86_64";

    private const int VgaColumns = 80;
    private const int VgaRows = 25;
    private const int MaxStderrChars = 16 << 10;
    private const int KeyHoldMilliseconds = 10;

    private static readonly ConcurrentDictionary<int, byte> Running = new();

    private readonly Process _process;
    private readonly string _dir;
    private readonly Thread _reader;
    private readonly StringBuilder _stderr = new();
    private readonly ConsoleRoute _route;
    private QmpClient? _qmp;
    private bool _disposed;

    private QemuMachine(Process process, string dir, ConsoleRoute route, ConsoleLog log)
    {
        _process = process;
        _dir = dir;
        _route = route;
        Log = log;
        _reader = new Thread(ReadConsole) { IsBackground = true, Name = "qemu-console" };
    }

    /// <summary>Process ids of QEMUs started and not yet reaped: tests assert it ends empty.</summary>
    public static IReadOnlyCollection<int> RunningProcessIds => Running.Keys.ToList();

    public ConsoleLog Log { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>QEMU's own messages (bounded), for a failure report.</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>The arguments QEMU gets for <paramref name="plan"/> at <paramref name="memoryMiB"/>, with the QMP socket in <paramref name="dir"/>.</summary>
    public static IReadOnlyList<string> Arguments(BootPlan plan, int memoryMiB, string dir)
    {
        var args = new List<string>
        {
            "-nodefaults", "-no-user-config", "-nic", "none",
            "-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny",
            "-machine", "pc", "-m", memoryMiB.ToString(CultureInfo.InvariantCulture), "-no-reboot", "-display", "none",
            "-chardev", "stdio,id=con,signal=off", "-serial", "chardev:con",
            "-qmp", $"unix:{Path.Combine(dir, "qmp")},server=on,wait=off",
            "-kernel", plan.KernelFile,
        };
        if (plan.InitrdFile is { } initrd)
        {
            args.AddRange(["-initrd", initrd]);
        }

        args.AddRange(["-append", plan.CommandLine]);
        if (plan.Route == ConsoleRoute.VgaText)
        {
            args.AddRange(["-vga", "std"]);
        }

        if (plan.Drive is { } drive)
        {
            args.AddRange(["-drive", drive]);
        }

        return args;
    }

    public static QemuMachine Start(BootPlan plan, int memoryMiB, Stopwatch clock)
    {
        var dir = Directory.CreateTempSubdirectory("footprint-qemu-").FullName;
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in Arguments(plan, memoryMiB, dir))
        {
            info.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new IOException($"cannot start {Binary}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Directory.Delete(dir, true);
            throw new IOException($"cannot start {Binary}: {e.Message} (install qemu-system-x86)", e);
        }

        Running[process.Id] = 0;
        var machine = new QemuMachine(process, dir, plan.Route, new ConsoleLog(clock));
        process.ErrorDataReceived += (_, e) =>
        {
            lock (machine._stderr)
            {
                if (e.Data is { } line && machine._stderr.Length < MaxStderrChars)
                {
                    machine._stderr.AppendLine(line);
                }
            }
        };
        process.BeginErrorReadLine();
        machine._reader.Start();
        return machine;
    }

    /// <summary>CPU seconds QEMU has used (utime + stime from /proc/PID/stat): it stops growing when the guest idles.</summary>
    public double CpuSeconds()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After the command name: state is field 3, utime 14, stime 15 (proc(5)), so indexes 11 and 12 here.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / (double)ClockTicksPerSecond;
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return double.NaN;
        }
    }

    /// <summary>USER_HZ, which is 100 on every Linux architecture QEMU hosts run.</summary>
    private const int ClockTicksPerSecond = 100;

    /// <summary>Types <paramref name="text"/> on the console.</summary>
    public void Type(string text)
    {
        if (_route == ConsoleRoute.Serial)
        {
            _process.StandardInput.Write(text);
            _process.StandardInput.Flush();
            return;
        }

        var qmp = Qmp();
        foreach (var c in text)
        {
            if (KeyCodes.For(c) is not { } keys)
            {
                continue;
            }

            var array = new JsonArray(keys.Select(k => (JsonNode)new JsonObject { ["type"] = "qcode", ["data"] = k }).ToArray());
            // QEMU queues each key for its hold time (default 100 ms) before the next: 10 ms keeps a 200-character probe
            // to a few seconds while the guest's keyboard driver still sees every press and release.
            qmp.Execute("send-key", new JsonObject { ["keys"] = array, ["hold-time"] = KeyHoldMilliseconds });
        }
    }

    /// <summary>The VGA text screen (80x25 at 0xB8000, kept there by the kernel's no-scroll), one line per row.</summary>
    public string ReadScreen()
    {
        var file = Path.Combine(_dir, "screen");
        _ = Qmp().Human($"pmemsave 0xb8000 {VgaColumns * VgaRows * 2} \"{file}\"");
        var bytes = File.ReadAllBytes(file);
        var text = new StringBuilder();
        for (var row = 0; row < VgaRows; row++)
        {
            var line = new byte[VgaColumns];
            for (var col = 0; col < VgaColumns && (row * VgaColumns + col) * 2 < bytes.Length; col++)
            {
                line[col] = bytes[(row * VgaColumns + col) * 2];
            }

            // Rows stay full width: an answer wrapped across rows joins back exactly when the newlines are removed.
            text.Append(ConsoleText.Clean(line).PadRight(VgaColumns)).Append('\n');
        }

        return text.ToString().TrimEnd('\n');
    }

    /// <summary>
    /// QEMU makes its QMP socket before the guest starts; on a loaded 2-core machine starting QEMU can take seconds, so
    /// the wait is a minute, cut short when QEMU exits.
    /// </summary>
    private QmpClient Qmp() => _qmp ??= QmpClient.Connect(Path.Combine(_dir, "qmp"), DateTime.UtcNow.AddSeconds(60), () => _process.HasExited);

    private void ReadConsole()
    {
        var buffer = new byte[8192];
        try
        {
            var stream = _process.StandardOutput.BaseStream;
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (_route == ConsoleRoute.Serial)
                {
                    Log.Append(buffer.AsSpan(0, n));
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // QEMU was killed: the console ends here.
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _qmp?.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        Running.TryRemove(_process.Id, out _);
        _reader.Join(2000);
        _process.Dispose();
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
            // A socket QEMU still held; the temp directory is cleaned by the system.
        }
    }
}
