namespace Footprint.Formats.Elf;

/// <summary>What <c>go version -m</c> prints: the toolchain, the main package path, the modules and the build settings.</summary>
public sealed record GoBuildInfo(
    string GoVersion,
    string? MainPackagePath,
    GoModule? Main,
    IReadOnlyList<GoModule> Dependencies,
    IReadOnlyList<KeyValuePair<string, string>> Settings);
