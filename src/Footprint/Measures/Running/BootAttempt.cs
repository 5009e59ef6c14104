namespace Footprint.Measures.Running;

/// <summary>One boot: at what -m, how it ended, when, and what the console last said.</summary>
public sealed record BootAttempt
{
    public required int MemoryMiB { get; init; }

    public required BootOutcome Outcome { get; init; }

    /// <summary>Wall seconds until the outcome was decided (the prompt's arrival for a boot that booted).</summary>
    public required double Seconds { get; init; }

    /// <summary>Seconds from QEMU's start to the last console output before the prompt settled; null when not booted.</summary>
    public double? PromptSeconds { get; init; }

    /// <summary>The last console lines, cleaned and escaped (<see cref="ConsoleText"/>).</summary>
    public required IReadOnlyList<string> LastLines { get; init; }

    /// <summary>The console line that decided a failure (the first one matching a failure pattern), or null.</summary>
    public string? FailureLine { get; init; }

    /// <summary>The "Linux version" banner's version, when the console showed it.</summary>
    public string? KernelVersion { get; init; }

    /// <summary>Profiles that answered a question on the way (busybox-askfirst, floppinux, root-login).</summary>
    public IReadOnlyList<string> Answers { get; init; } = [];

    /// <summary>The idle memory, when the probe ran and answered.</summary>
    public MemInfo? Memory { get; init; }

    /// <summary>Why the probe gave nothing, when it was asked for and did not answer.</summary>
    public string? ProbeError { get; init; }

    public string? QemuStderr { get; init; }
}
