namespace Footprint.Measures.Running;

/// <summary>How one boot ended. Only <see cref="Booted"/> is a success; the rest say why not.</summary>
public enum BootOutcome
{
    /// <summary>A shell prompt or login prompt was reached on the console.</summary>
    Booted,

    /// <summary>"Kernel panic - not syncing" with no more specific cause on the console.</summary>
    Panic,

    /// <summary>The OOM killer ran, or the kernel ran out of memory while booting.</summary>
    Oom,

    /// <summary>The initramfs could not be unpacked ("Initramfs unpacking failed", "junk in compressed archive"...).</summary>
    InitramfsError,

    /// <summary>"No working init found": the initramfs has no runnable init.</summary>
    NoInit,

    /// <summary>An emergency or rescue shell: a prompt, but not the system booted.</summary>
    RescueShell,

    /// <summary>The guest asked for a password: booted to a login nobody can pass.</summary>
    LoginRequired,

    /// <summary>Nothing ever appeared on the console (a kernel without the console driver, or one that never started).</summary>
    NoConsoleOutput,

    /// <summary>The console stopped changing and the guest's CPU went idle without reaching a prompt.</summary>
    Stalled,

    /// <summary>The wall-clock limit passed without a prompt or a failure.</summary>
    Timeout,

    /// <summary>The guest powered off or rebooted (with -no-reboot QEMU exits) without reaching a prompt.</summary>
    Exited,

    /// <summary>QEMU refused to start or failed (message on its stderr).</summary>
    QemuError,
}
