namespace Footprint.Measures.Running.Container;

/// <summary>How a container image's entrypoint is run and measured (docs/boot.md, "Containers").</summary>
public sealed record ContainerOptions
{
    /// <summary>Default cap on the bytes of regular files written while materialising the image's filesystem.</summary>
    public const long DefaultMaxRootfsBytes = 4L << 30;

    /// <summary>Seconds the entrypoint runs before its memory is read.</summary>
    public double SettleSeconds { get; init; } = 5;

    /// <summary>Wall-clock limit on the sandbox's life, in seconds: a watchdog kills it then, whatever else happens.</summary>
    public double TimeoutSeconds { get; init; } = 60;

    /// <summary>
    /// Cap on the bytes of regular files written to the temporary root (an option, never a number read from the
    /// image): an image whose files declare more is reported as too-large before the file that would cross it.
    /// </summary>
    public long MaxRootfsBytes { get; init; } = DefaultMaxRootfsBytes;

    /// <summary>Where the private temporary directory is made (default: the system's temporary directory).</summary>
    public string? TempParent { get; init; }

    /// <summary>The bubblewrap binary (Debian's bubblewrap package).</summary>
    public string Bwrap { get; init; } = "/usr/bin/bwrap";
}
