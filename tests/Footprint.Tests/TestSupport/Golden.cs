namespace Footprint.Tests.TestSupport;

/// <summary>
/// Checked-in expectation files (the Verify package is not available here). Machine-specific text
/// (the repository path) is scrubbed first. Set FOOTPRINT_UPDATE_GOLDEN=1 to rewrite them after a
/// reviewed change.
/// </summary>
internal static class Golden
{
    public static void Assert(string name, string actual)
    {
        // The checkout's folder name differs between machines (CI clones elsewhere): scrub both spellings of
        // the shared corpus path, then the repository itself.
        var scrubbed = actual
            .Replace(Path.Combine(Repo.Root, "..", "shared"), "{shared}", StringComparison.Ordinal)
            .Replace(Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared")), "{shared}", StringComparison.Ordinal)
            .Replace(Repo.Root, "{repo}", StringComparison.Ordinal)
            .Replace("\r\n", "\n", StringComparison.Ordinal);
        var path = Path.Combine(Repo.Root, "tests", "Footprint.Tests", "Golden", name);
        if (Environment.GetEnvironmentVariable("FOOTPRINT_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, scrubbed);
            return;
        }

        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"no golden file {path}; run with FOOTPRINT_UPDATE_GOLDEN=1 once and review it");
        }

        Xunit.Assert.Equal(File.ReadAllText(path), scrubbed);
    }
}
