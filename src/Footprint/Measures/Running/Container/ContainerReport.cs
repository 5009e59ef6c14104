namespace Footprint.Measures.Running.Container;

/// <summary>
/// Running memory of a container image (docs/boot.md, "Containers"): its entrypoint run in a bubblewrap sandbox and its
/// processes' host-side memory read after settling, or why it did not run. Not a VM: the kernel is the host's.
/// </summary>
public sealed record ContainerReport
{
    /// <summary>How the figures were taken, in one sentence (the report says it; nobody should mistake them for a VM's).</summary>
    public const string MethodText = "the entrypoint's host-side memory in its own bubblewrap sandbox (not a VM: the host's kernel): "
        + "PSS and RSS summed from /proc/PID/smaps_rollup of every process in the sandbox after settling";

    public string Method { get; init; } = MethodText;

    /// <summary>running, exited, sandbox-error, timeout, no-entrypoint, not-runnable, too-large (docs/boot.md).</summary>
    public required string Outcome { get; init; }

    public bool Running => Outcome == "running";

    /// <summary>Why it is not running, in a sentence (escaped where it quotes the image).</summary>
    public string? Message { get; init; }

    /// <summary>The image's kind (docker-archive, oci-layout, registry...).</summary>
    public required string ImageKind { get; init; }

    /// <summary>Entrypoint + Cmd as run (empty when the image has neither).</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    public string? Executable { get; init; }

    public string? ExecutableKind { get; init; }

    public int? Uid { get; init; }

    public int? Gid { get; init; }

    public string? UserSource { get; init; }

    public string? WorkingDir { get; init; }

    /// <summary>Names of the environment variables set (their values are in <see cref="Sandbox"/>, as bwrap gets them).</summary>
    public IReadOnlyList<string> EnvironmentNames { get; init; } = [];

    /// <summary>bwrap's arguments, the temporary root written as ROOTFS.</summary>
    public IReadOnlyList<string> Sandbox { get; init; } = [];

    public ContainerRootfsReport? Rootfs { get; init; }

    public required double SettleSeconds { get; init; }

    public required double TimeoutSeconds { get; init; }

    /// <summary>Seconds from the sandbox's start to the memory read (or to its exit).</summary>
    public double? ElapsedSeconds { get; init; }

    /// <summary>The exit status, when it exited before its memory was read.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Its last lines of standard output and error (escaped).</summary>
    public IReadOnlyList<string> LastOutputLines { get; init; } = [];

    /// <summary>Each process's memory, by host pid.</summary>
    public IReadOnlyList<ContainerProcess> Processes { get; init; } = [];

    /// <summary>The sum over <see cref="Processes"/>: PSS is what they hold together; RSS counts shared pages once per process.</summary>
    public SmapsRollup? Total { get; init; }

    public IReadOnlyList<string> Notes { get; init; } = [];
}
