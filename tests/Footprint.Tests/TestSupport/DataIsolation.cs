using System.Runtime.CompilerServices;

namespace Footprint.Tests.TestSupport;

/// <summary>
/// The advisory database lives in $XDG_DATA_HOME/footprint by default. Like <see cref="CacheIsolation"/>, every CLI a
/// test starts inherits a data directory of this test run's own, so no test reads or writes the user's database.
/// </summary>
internal static class DataIsolation
{
#pragma warning disable CA2255 // A module initializer is the one place that runs before any test starts a CLI.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Isolate()
    {
        var directory = Directory.CreateTempSubdirectory("footprint-test-data-").FullName;
        Environment.SetEnvironmentVariable("XDG_DATA_HOME", directory);
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
