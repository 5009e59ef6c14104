namespace Footprint.Sources.LiveMedia;

/// <summary>How one distro builds its running system from its media; <see cref="Components"/> is bottom layer first.</summary>
public sealed record Composition
{
    /// <summary>tinycore, puppy, slax, porteus, antix, slitaz, live (generic live ISO), initramfs, media.</summary>
    public required string Rule { get; init; }

    /// <summary>The rule in one sentence, as reported.</summary>
    public required string Description { get; init; }

    /// <summary>Where the rule comes from (the distro's documentation or boot scripts).</summary>
    public required string Source { get; init; }

    public required IReadOnlyList<Component> Components { get; init; }

    /// <summary>The default boot entry, when a bootloader configuration was found.</summary>
    public BootEntry? Boot { get; init; }

    /// <summary>Path of the kernel in the container, when found.</summary>
    public string? Kernel { get; init; }

    /// <summary>Components the distro offers but does not load by default (Porteus optional/, Tiny Core extensions not in onboot.lst).</summary>
    public IReadOnlyList<string> NotLoaded { get; init; } = [];
}
