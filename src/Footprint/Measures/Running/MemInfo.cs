namespace Footprint.Measures.Running;

/// <summary>
/// The guest's /proc/meminfo fields Footprint reports, in KiB as the kernel prints them (fs/proc/meminfo.c), and the
/// -m QEMU gave the guest. <see cref="MemAvailableKiB"/> exists from Linux 3.14; <see cref="UsedKiB"/> is
/// MemTotal - MemAvailable and is null without it (no estimate is made up).
/// </summary>
public sealed record MemInfo
{
    /// <summary>-m given to QEMU, in MiB: RAM the machine had, of which MemTotal is what the kernel did not reserve.</summary>
    public required int MachineMiB { get; init; }

    public required long MemTotalKiB { get; init; }

    public required long MemFreeKiB { get; init; }

    public long? MemAvailableKiB { get; init; }

    public long? BuffersKiB { get; init; }

    public long? CachedKiB { get; init; }

    public long? ShmemKiB { get; init; }

    public long? SReclaimableKiB { get; init; }

    public long? UsedKiB => MemAvailableKiB is { } a ? MemTotalKiB - a : null;

    /// <summary>Says what is missing or what Footprint had to do to read the figures, or null.</summary>
    public string? Note
    {
        get => MemAvailableKiB is null ? "MemAvailable is absent (a kernel older than 3.14): used is not computed" + (_note is null ? "" : "; " + _note) : _note;
        init => _note = value;
    }

    private readonly string? _note;
}
