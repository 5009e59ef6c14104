using System.Runtime.CompilerServices;

namespace Footprint.Tests.TestSupport;

/// <summary>
/// The CLI keeps a per-layer cache by default in $XDG_CACHE_HOME/footprint. Every CLI a test starts inherits this
/// process's environment: pointing XDG_CACHE_HOME at a directory of this test run's own keeps tests out of the
/// user's cache, and another run's entries (made by other code) out of this run's results.
/// </summary>
internal static class CacheIsolation
{
#pragma warning disable CA2255 // A module initializer is the one place that runs before any test starts a CLI.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Isolate()
    {
        var directory = Directory.CreateTempSubdirectory("footprint-test-cache-").FullName;
        Environment.SetEnvironmentVariable("XDG_CACHE_HOME", directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
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
        };
    }
}
