namespace Footprint.Reports.Choices;

/// <summary>What `footprint choose` was asked for (docs/choose.md). Null or empty means "no constraint on this axis".</summary>
public sealed record ChoiceConstraints
{
    public long? RamBytes { get; init; }

    /// <summary>--disk or --flash: installed on-disk bytes, or for a firmware image the image itself (what is written to flash).</summary>
    public long? DiskBytes { get; init; }

    public long? DownloadBytes { get; init; }

    /// <summary>amd64, arm64, 386, arm, mips... (x86_64 and aarch64 are read as amd64 and arm64).</summary>
    public string? Architecture { get; init; }

    /// <summary>glibc, musl, uclibc or none.</summary>
    public string? Libc { get; init; }

    /// <summary>Init systems accepted (--init openrc,busybox); empty accepts any not denied.</summary>
    public IReadOnlyList<string> InitAllowed { get; init; } = [];

    /// <summary>Init systems refused (--init '!systemd', --no-systemd).</summary>
    public IReadOnlyList<string> InitDenied { get; init; } = [];

    /// <summary>Packages or commands every candidate must have (--need python3,curl).</summary>
    public IReadOnlyList<string> Needs { get; init; } = [];

    public string? World { get; init; }

    public long? MaxVulnerabilities { get; init; }

    public long? MaxReachable { get; init; }
}
