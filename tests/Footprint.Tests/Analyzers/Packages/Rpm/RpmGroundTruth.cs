using System.Globalization;
using Footprint.Analyzers.Packages.Rpm;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Analyzers.Packages.Rpm;

/// <summary>
/// What Debian's rpm 4.18 (installed by test.sh) says about a database: the independent ground truth.
/// rpm needs a directory; the database is copied in under the name its backend expects.
/// </summary>
internal static class RpmGroundTruth
{
    public const string Nevra = "%{NAME}\\t%{EPOCHNUM}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\n";

    /// <summary>rpm -qa with <paramref name="queryFormat"/>; <paramref name="backend"/> is "sqlite" or "bdb_ro".</summary>
    public static List<string> Query(string dbDir, string backend, string queryFormat)
    {
        var (code, stdout, stderr) = Tool.Run("rpm", "--dbpath", dbDir, "--define", "_db_backend " + backend, "-qa", "--qf", queryFormat);
        if (code != 0 || stderr.Contains("error", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"rpm -qa failed ({code}): {stderr}");
        }

        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>Our headers printed as rpm prints <see cref="Nevra"/> ("(none)" for a missing tag, 0 for no epoch).</summary>
    public static List<string> Nevras(IEnumerable<RpmHeader> headers) => Sorted(headers.Select(h =>
        $"{h.Name}\t{h.Epoch ?? 0}\t{h.Version ?? "(none)"}\t{h.Release ?? "(none)"}\t{h.Arch ?? "(none)"}"));

    public static List<string> FileLines(IEnumerable<RpmHeader> headers) => Sorted(headers.SelectMany(h => h.Files.Select(f => $"{h.Name}\t{f}")));

    public static List<string> SizeLines(IEnumerable<RpmHeader> headers) => Sorted(headers.Select(h =>
        $"{h.Name}\t{h.SizeBytes?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}"));

    private static List<string> Sorted(IEnumerable<string> lines)
    {
        var list = lines.ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
    }
}
