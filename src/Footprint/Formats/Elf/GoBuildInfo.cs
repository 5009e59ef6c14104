namespace Footprint.Formats.Elf;

/// <summary>A module recorded in Go build info: the main module ("mod"), a dependency ("dep") and what replaced it ("=>").</summary>
public sealed record GoModule(string Path, string Version, string? Sum, GoModule? Replacement = null);

/// <summary>What <c>go version -m</c> prints: the toolchain, the main package path, the modules and the build settings.</summary>
public sealed record GoBuildInfo(
    string GoVersion,
    string? MainPackagePath,
    GoModule? Main,
    IReadOnlyList<GoModule> Dependencies,
    IReadOnlyList<KeyValuePair<string, string>> Settings);
