using System.Text;

namespace Footprint.Formats.Kernel;

/// <summary>
/// The "Linux version ..." banner the kernel prints first (init/version.c, linux_banner:
/// "Linux version " UTS_RELEASE " (" LINUX_COMPILE_BY "@" LINUX_COMPILE_HOST ") (" LINUX_COMPILER ") " UTS_VERSION),
/// and its agreement with the bzImage setup string (arch/x86/boot/version.c, kernel_version:
/// UTS_RELEASE " (" LINUX_COMPILE_BY "@" LINUX_COMPILE_HOST ") " UTS_VERSION): they agree when the banner is the setup
/// string with the compiler inserted.
/// </summary>
public static class KernelBanner
{
    /// <summary>Longest banner read after "Linux version " (the real ones are under 300 bytes).</summary>
    public const int MaxBannerBytes = 512;

    /// <summary>Most occurrences looked at (a kernel has two or three: linux_banner, a proc format, a build-salted copy).</summary>
    public const int MaxOccurrences = 64;

    private static readonly byte[] Prefix = "Linux version "u8.ToArray();

    /// <summary>
    /// The banner that agrees with <paramref name="setupVersion"/> when there is one; else the first that is a whole
    /// banner (release, builder in parentheses, '#' build number); else the first occurrence; null when none.
    /// </summary>
    public static string? Find(ReadOnlySpan<byte> image, string? setupVersion)
    {
        var found = new List<string>();
        int from = 0;
        while (found.Count < MaxOccurrences)
        {
            int at = image[from..].IndexOf(Prefix);
            if (at < 0)
            {
                break;
            }

            at += from;
            var tail = image.Slice(at, Math.Min(MaxBannerBytes, image.Length - at));
            int end = tail.IndexOfAny((byte)0, (byte)'\n');
            var text = tail[..(end < 0 ? tail.Length : end)];
            if (!text.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E) && text.Length > Prefix.Length)
            {
                found.Add(Encoding.ASCII.GetString(text));
            }

            from = at + Prefix.Length;
        }

        if (setupVersion is not null && found.FirstOrDefault(b => Agrees(b, setupVersion)) is { } agreeing)
        {
            return agreeing;
        }

        return found.FirstOrDefault(IsWhole) ?? found.FirstOrDefault();
    }

    /// <summary>The release (UTS_RELEASE): the banner's first word after "Linux version ", e.g. "6.1.0-57-amd64".</summary>
    public static string Release(string banner)
    {
        var rest = banner.StartsWith("Linux version ", StringComparison.Ordinal) ? banner["Linux version ".Length..] : banner;
        int space = rest.IndexOf(' ');
        return space < 0 ? rest : rest[..space];
    }

    /// <summary>True when <paramref name="banner"/> is <paramref name="setupVersion"/> with "(compiler) " after the builder.</summary>
    public static bool Agrees(string banner, string setupVersion)
    {
        // setup: RELEASE (BY@HOST) UTS_VERSION; banner: Linux version RELEASE (BY@HOST) (COMPILER) UTS_VERSION
        int close = setupVersion.IndexOf(") ", StringComparison.Ordinal);
        if (close < 0)
        {
            return banner == "Linux version " + setupVersion;
        }

        string head = "Linux version " + setupVersion[..(close + 2)];
        string utsVersion = setupVersion[(close + 2)..];
        return banner.StartsWith(head + "(", StringComparison.Ordinal) && banner.EndsWith(") " + utsVersion, StringComparison.Ordinal);
    }

    private static bool IsWhole(string banner) => banner.Contains(" (", StringComparison.Ordinal) && banner.Contains(" #", StringComparison.Ordinal);
}
