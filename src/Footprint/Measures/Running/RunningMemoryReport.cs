namespace Footprint.Measures.Running;

/// <summary>
/// Running memory of a booted artifact (docs/boot.md): the plan, the emulator, how the reference boot ended, the idle
/// memory the guest reported (never QEMU's host RSS), time to prompt, and the minimum RAM when searched.
/// </summary>
public sealed record RunningMemoryReport
{
    public required BootPlanReport Plan { get; init; }

    public required EmulatorReport Emulator { get; init; }

    /// <summary>How the reference boot ended ("booted", "panic", "oom", ... see docs/boot.md).</summary>
    public required string Outcome { get; init; }

    public bool Booted => Outcome == "booted";

    /// <summary>The version the console's "Linux version" banner gave, else the bzImage header's.</summary>
    public string? KernelVersion { get; init; }

    public TimeToPrompt? TimeToPrompt { get; init; }

    /// <summary>/proc/meminfo of the guest at its prompt after settling, at the reference size.</summary>
    public MemInfo? Idle { get; init; }

    public string? ProbeError { get; init; }

    public MinimumRam? MinimumRam { get; init; }

    /// <summary>Profiles that answered the guest on the way to its shell.</summary>
    public IReadOnlyList<string> Answers { get; init; } = [];

    /// <summary>For a failed reference boot: the console line that decided its class (escaped).</summary>
    public string? FailureLine { get; init; }

    /// <summary>The reference boot's last console lines (escaped).</summary>
    public required IReadOnlyList<string> LastConsoleLines { get; init; }

    /// <summary>Boots run in all.</summary>
    public required int Boots { get; init; }
}
