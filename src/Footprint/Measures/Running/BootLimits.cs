namespace Footprint.Measures.Running;

/// <summary>Time limits of one boot. Every boot ends by <see cref="TimeoutSeconds"/> at the latest, whatever the guest does.</summary>
public sealed record BootLimits
{
    /// <summary>Wall-clock limit of the boot up to its prompt.</summary>
    public double TimeoutSeconds { get; init; } = 60;

    /// <summary>A console that has not changed for this long while the guest's CPU idles is a stalled boot.</summary>
    public double NoProgressSeconds { get; init; } = 12;

    /// <summary>Quiet time after a prompt before it counts (kernel messages still arriving would follow it).</summary>
    public double PromptQuietSeconds { get; init; } = 0.6;

    /// <summary>Least time the guest settles at its prompt before the memory probe is typed.</summary>
    public double SettleSeconds { get; init; } = 2;

    /// <summary>Most time the probe has to answer.</summary>
    public double ProbeSeconds { get; init; } = 30;

    /// <summary>
    /// QEMU's CPU use (seconds per second) under which the guest counts as idle: a halted TCG guest uses ~0.01, a busy
    /// one on a host loaded ten times over its cores still gets ~0.1.
    /// </summary>
    public double IdleCpuRate { get; init; } = 0.05;
}
