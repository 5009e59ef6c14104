using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Analyzers.Packages.TinyDistros;

/// <summary>The rootfs trees and tarballs tests/fixtures/distro-dbs.sh builds (out/distro-dbs/NAME/rootfs, NAME.tar.gz).</summary>
internal static class DistroFixture
{
    public static string Tarball(string name) => Repo.Fixture($"distro-dbs/{name}.tar.gz");

    public static string Root(string name) => Repo.Fixture($"distro-dbs/{name}/rootfs");

    /// <summary>Paths GNU tar lists in a tarball, image-relative ("./bin/" becomes "bin").</summary>
    public static HashSet<string> TarPaths(string tarball)
        => Tool.Output("tar", "-tzf", tarball).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.StartsWith("./", StringComparison.Ordinal) ? l[2..] : l)
            .Select(l => l.TrimEnd('/'))
            .Where(l => l.Length > 0)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Runs a bash snippet in <paramref name="directory"/> and returns its stdout lines.</summary>
    public static List<string> ShellLines(string directory, string script)
        => Tool.Shell($"cd '{directory}' && {script}").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    /// <summary>numfmt --from=iec, coreutils' reading of "1.2M".</summary>
    public static long Iec(string size) => long.Parse(Tool.Output("numfmt", "--from=iec", size).Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
