using System.Runtime.CompilerServices;

namespace Footprint.Tests.TestSupport;

/// <summary>
/// The CLI keeps its per-layer cache in $XDG_CACHE_HOME/footprint and its advisory database in $XDG_DATA_HOME/footprint
/// by default. Every CLI a test starts inherits this process's environment: pointing both at directories of this test
/// run's own keeps tests out of the user's cache and database, and another run's entries out of this run's results.
/// </summary>
internal static class XdgIsolation
{
#pragma warning disable CA2255 // A module initializer is the one place that runs before any test starts a CLI.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Isolate()
    {
        foreach (var (variable, prefix) in new[] { ("XDG_CACHE_HOME", "footprint-test-cache-"), ("XDG_DATA_HOME", "footprint-test-data-") })
        {
            var directory = Directory.CreateTempSubdirectory(prefix).FullName;
            Environment.SetEnvironmentVariable(variable, directory);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Remove(directory);
        }
    }

    private static void Remove(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
