namespace Footprint.Measures.Running;

/// <summary>
/// How an artifact is booted: the kernel and (concatenated) initrd files QEMU loads, the command line, the medium
/// attached read-only, the console route, and in words where each came from and exactly what Footprint added to the
/// command line. Owns its temporary files: <see cref="Dispose"/> deletes them.
/// </summary>
public sealed class BootPlan : IDisposable
{
    private readonly string? _tempDir;

    public BootPlan(string? tempDir) => _tempDir = tempDir;

    /// <summary>Short name of the plan: "medium-kernel" (kernel and initrds from the medium's own boot configuration), "kernel-initramfs", "stated-kernel".</summary>
    public required string Name { get; init; }

    public required ConsoleRoute Route { get; init; }

    /// <summary>What decided <see cref="Route"/>.</summary>
    public ConsoleChosenBy ConsoleChosenBy { get; init; }

    /// <summary>Why <see cref="Route"/>, in words (for the inittab case: the entry that decided it).</summary>
    public string ConsoleReason { get; init; } = "";

    /// <summary>Host file QEMU loads as the kernel.</summary>
    public required string KernelFile { get; init; }

    /// <summary>Host file QEMU loads as the initrd (several initrds concatenated in load order), or null.</summary>
    public string? InitrdFile { get; init; }

    /// <summary>The whole command line the kernel gets.</summary>
    public required string CommandLine { get; init; }

    /// <summary>The command line the artifact itself gives (its boot configuration), or "" when it has none.</summary>
    public required string OwnCommandLine { get; init; }

    /// <summary>Exactly what Footprint appended to <see cref="OwnCommandLine"/>.</summary>
    public required string Added { get; init; }

    /// <summary>QEMU's -drive value for the medium (read-only or snapshot), or null when nothing is attached.</summary>
    public string? Drive { get; init; }

    /// <summary>Where the kernel came from: a path on the medium, or the stated host file.</summary>
    public required string KernelSource { get; init; }

    /// <summary>Where the initrds came from, in load order.</summary>
    public required IReadOnlyList<string> InitrdSources { get; init; }

    /// <summary>The boot configuration read and why its entry was chosen, or null.</summary>
    public string? Config { get; init; }

    /// <summary>Facts noticed while planning ("the initramfs has no /init: the kernel falls back to /sbin/init").</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Bytes of the artifact's initramfs content unpacked in RAM (tmpfs pages), when known: the bisection's floor.</summary>
    public long? RamResidentBytes { get; init; }

    /// <summary>The kernel's bzImage init_size (memory it needs from its load address), when known.</summary>
    public long? KernelInitSizeBytes { get; init; }

    public string? KernelVersion { get; init; }

    public void Dispose()
    {
        if (_tempDir is not null && Directory.Exists(_tempDir))
        {
            Directory.Delete(_tempDir, true);
        }
    }
}
