namespace Footprint.Formats.Elf;

/// <summary>A module recorded in Go build info: the main module ("mod"), a dependency ("dep") and what replaced it ("=>").</summary>
public sealed record GoModule(string Path, string Version, string? Sum, GoModule? Replacement = null);
