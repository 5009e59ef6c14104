namespace Footprint.Measures.Running;

/// <summary>What to boot and with which overrides.</summary>
public sealed record BootRequest
{
    /// <summary>The artifact: a live ISO, a FAT disk or floppy image, an initramfs, a rootfs tarball, or a bzImage.</summary>
    public required string Artifact { get; init; }

    /// <summary>A host bzImage to boot instead of the artifact's own kernel (required when it has none).</summary>
    public string? Kernel { get; init; }

    /// <summary>Host initrd files loaded after the artifact's own ones (in this order).</summary>
    public IReadOnlyList<string> ExtraInitrds { get; init; } = [];

    /// <summary>A command line replacing the artifact's own (Footprint's console arguments are still added).</summary>
    public string? Append { get; init; }

    /// <summary>The console route asked for; <see cref="ConsoleChoice.Auto"/> lets the planner choose.</summary>
    public ConsoleChoice Console { get; init; } = ConsoleChoice.Auto;
}
