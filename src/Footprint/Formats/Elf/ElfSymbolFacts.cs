using System.Text;

namespace Footprint.Formats.Elf;

/// <summary>What one pass over the dynamic symbols finds (see <c>ElfParser.ReadDynamicSymbolFacts</c>).</summary>
internal sealed record ElfSymbolFacts(bool StackProtector, string[] Fortified, string[] SpawnImports, bool ImportsDlopen, string? Unreadable)
{
    /// <summary>
    /// Imports that matter to reachability: functions that start another program (the exec family, execve(2) and
    /// exec(3); system(3); popen(3); posix_spawn(3)), then dlopen(3) and dlmopen.
    /// </summary>
    private static readonly string[] Watched =
        ["execve", "execv", "execvp", "execvpe", "execl", "execlp", "execle", "execveat", "fexecve", "system", "popen", "posix_spawn", "posix_spawnp", "dlopen", "dlmopen"];

    private static readonly byte[][] WatchedBytes = [.. Watched.Select(Encoding.ASCII.GetBytes)];

    public static ElfSymbolFacts None(string why) => new(false, [], [], false, why);

    public static bool IsDlopen(string name) => name is "dlopen" or "dlmopen";

    /// <summary>The name when it is watched (see <see cref="Watched"/>); null otherwise. Versioned names are split off in .gnu.version, so the plain name is compared.</summary>
    public static string? WatchedImport(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < WatchedBytes.Length; i++)
        {
            if (name.SequenceEqual(WatchedBytes[i]))
            {
                return Watched[i];
            }
        }

        return null;
    }
}
