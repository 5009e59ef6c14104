namespace Footprint.Tests.TestSupport;

/// <summary>Where the repository, the built fixtures and the shared corpus are.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>Third-party corpus (read-only), beside the repository: ../shared/corpus.</summary>
    public static string Corpus => Path.Combine(Root, "..", "shared", "corpus");

    public static string Schemas => Path.Combine(Root, "..", "shared", "schemas");

    /// <summary>Fixtures built by tests/fixtures/build.sh (test.sh runs it).</summary>
    public static string Fixtures => Path.Combine(Root, "tests", "fixtures", "out");

    public static string Fixture(string relative)
    {
        var path = Path.Combine(Fixtures, relative);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new InvalidOperationException($"fixture {path} is missing: run ./test.sh (or tests/fixtures/build.sh) to build it");
        }

        return path;
    }

    public static string CorpusFile(string relative)
    {
        var path = Path.Combine(Corpus, relative);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new InvalidOperationException($"corpus artifact {path} is missing: ../shared/corpus must sit beside the repository");
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Footprint.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Footprint.slnx) above " + AppContext.BaseDirectory);
    }
}
