using Footprint.Analyzers.Reachability;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Analyzers.Reachability;

/// <summary>The undefined dynamic symbols ElfImports reads, against readelf's UND rows of the same files.</summary>
public sealed class ElfImportsTests
{
    private static readonly string[] Watched = ["execve", "execv", "execvp", "execvpe", "execl", "execlp", "execle", "execveat", "fexecve", "system", "popen", "posix_spawn", "posix_spawnp"];

    [Theory]
    [InlineData("./bin/busybox")]
    [InlineData("./sbin/apk")]
    [InlineData("./lib/libcrypto.so.1.1")]
    [InlineData("./usr/bin/ssl_client")]
    [InlineData("./lib/ld-musl-x86_64.so.1")]
    public void Should_read_the_same_imports_as_readelf(string member)
    {
        using var dir = new TempDir();
        Tool.Output("tar", "-xzf", Repo.CorpusFile("alpine/alpine-minirootfs-3.10.9-x86_64.tar.gz"), "-C", dir.Path, member);
        var file = Path.Combine(dir.Path, member);
        var undefined = Tool.Output("readelf", "-W", "--dyn-syms", file).Split('\n')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length >= 8 && w[6] == "UND").Select(w => w[7].Split('@')[0]).ToHashSet(StringComparer.Ordinal);

        var facts = ElfImports.Read(File.ReadAllBytes(file));
        Assert.Null(facts.Unreadable);
        Assert.Equal(Watched.Where(undefined.Contains).Order(StringComparer.Ordinal), facts.SpawnImports);
        Assert.Equal(undefined.Contains("dlopen") || undefined.Contains("dlmopen"), facts.ImportsDlopen);
        if (facts.ImportsDlopen)
        {
            // libcrypto names its engines directory; the string is what `strings` finds.
            Assert.Contains("/usr/lib/engines-1.1", facts.Strings);
        }
    }

    [Fact]
    public void Should_report_damaged_or_stripped_input_as_unreadable_without_throwing()
    {
        using var dir = new TempDir();
        Tool.Output("tar", "-xzf", Repo.CorpusFile("alpine/alpine-minirootfs-3.10.9-x86_64.tar.gz"), "-C", dir.Path, "./bin/busybox");
        var bytes = File.ReadAllBytes(Path.Combine(dir.Path, "bin/busybox"));
        Assert.Equal("not an ELF file", ElfImports.Read([1, 2, 3]).Unreadable);
        foreach (var cut in new[] { 63, 64, 100, 4096, bytes.Length / 2, bytes.Length - 1 })
        {
            var facts = ElfImports.Read(bytes.AsSpan(0, cut));
            Assert.NotNull(facts.Unreadable);
        }

        var random = new Random(13);
        for (var i = 0; i < 2000; i++)
        {
            var mutated = (byte[])bytes.Clone();
            for (var k = 0; k < 8; k++)
            {
                mutated[random.Next(0, Math.Min(mutated.Length, 256))] = (byte)random.Next(256);
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            _ = ElfImports.Read(mutated);
        }

        // Section headers gone (what sstrip does): unreadable, so reachability says unknown.
        var stripped = (byte[])bytes.Clone();
        Array.Clear(stripped, 0x28, 8);
        Assert.Equal("no section headers (stripped to the program headers)", ElfImports.Read(stripped).Unreadable);
    }
}
