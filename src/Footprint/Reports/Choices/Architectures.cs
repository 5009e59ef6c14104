namespace Footprint.Reports.Choices;

/// <summary>Architecture names folded to Go/OCI's (amd64, arm64, 386, arm...), so `--arch x86_64` meets an amd64 entry.</summary>
public static class Architectures
{
    public static string? Normalize(string? arch) => arch?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "x86_64" or "x86-64" or "x64" or "amd64" => "amd64",
        "aarch64" or "arm64" or "armv8" => "arm64",
        "i386" or "i486" or "i586" or "i686" or "x86" or "386" => "386",
        "armv7" or "armv7l" or "armhf" or "armv6" or "armel" or "arm" => "arm",
        var other => other,
    };
}
