namespace Footprint.Sources.LiveMedia;

/// <summary>What a boot entry loads: the kernel, the initramfs images in load order, the kernel command line.</summary>
public sealed record BootEntry(string ConfigPath, string? Label, string? Kernel, IReadOnlyList<string> Initrds, string? Append);
