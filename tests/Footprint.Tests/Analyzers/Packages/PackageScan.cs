using Footprint.Analyzers.Packages;
using Footprint.FileSystem;
using Footprint.Pipeline;
using Footprint.Sources;
using Footprint.Walk;

namespace Footprint.Tests.Analyzers.Packages;

/// <summary>Runs one analyzer over a real artifact through the production path: open, load (capturing what Required asks for), walk.</summary>
internal static class PackageScan
{
    public static T Run<T>(string reference, T analyzer)
        where T : IAnalyzer
    {
        var warnings = new List<FsWarning>();
        using var source = ArtifactOpener.Open(reference, null, warnings);
        var fs = new ArtifactLoader([analyzer], new LayerReadOptions()).Load(source, warnings);
        Walker.Run(fs, [analyzer]);
        return analyzer;
    }

    /// <summary>"name\tversion\tarch" lines, sorted, as the awk and dpkg-query ground truths print them.</summary>
    public static SortedSet<string> Triples(IEnumerable<Package> packages)
        => new(packages.Select(p => $"{p.Name}\t{p.Version}\t{p.Architecture}"), StringComparer.Ordinal);

    public static SortedSet<string> Lines(string output)
        => new(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    /// <summary>The integer after "KEY=" in the MANIFEST.md row of a corpus file ("apk_pkgs=14").</summary>
    public static int ManifestCount(string relative, string key)
    {
        var row = File.ReadLines(Path.Combine(TestSupport.Repo.Corpus, "MANIFEST.md")).First(l => l.StartsWith($"| `{relative}` |", StringComparison.Ordinal));
        var at = row.IndexOf(key + "=", StringComparison.Ordinal);
        Assert.True(at >= 0, $"MANIFEST row for {relative} has no {key}=");
        var digits = new string(row[(at + key.Length + 1)..].TakeWhile(char.IsAsciiDigit).ToArray());
        return int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A rootfs directory holding the given files (path -> text), for small hand-made databases.</summary>
    public static TestSupport.TempDir Tree(params (string Path, string Text)[] files)
    {
        var dir = new TestSupport.TempDir();
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(dir.Path, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        return dir;
    }
}
