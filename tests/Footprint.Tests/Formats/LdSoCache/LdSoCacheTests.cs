using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Formats.LdSoCache;

/// <summary>The ld.so.cache parser against ldconfig's own listing (<c>ldconfig -p -C FILE</c>), and damaged caches.</summary>
public sealed class LdSoCacheTests : IDisposable
{
    private readonly TestSupport.TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Should_list_what_ldconfig_lists()
    {
        var cache = Debian();
        var entries = Footprint.Formats.LdSoCache.LdSoCache.Parse(File.ReadAllBytes(cache));
        // "\tlibz.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libz.so.1"
        var truth = Tool.Output("ldconfig", "-p", "-C", cache).Split('\n')
            .Where(l => l.Contains(" => ", StringComparison.Ordinal))
            .Select(l => l.Trim()).Select(l => l[..l.IndexOf(' ')] + " " + l[(l.IndexOf(" => ", StringComparison.Ordinal) + 4)..]).ToList();
        Assert.True(truth.Count > 50);
        Assert.Equal(truth, entries.Select(e => $"{e.Name} {e.Path}"));
    }

    [Fact]
    public void Should_throw_only_InvalidDataException_on_damaged_caches()
    {
        var bytes = File.ReadAllBytes(Debian());
        var random = new Random(4);
        for (var i = 0; i < 400; i++)
        {
            var copy = bytes[..random.Next(bytes.Length + 1)];
            if (copy.Length > 0 && i % 2 == 0)
            {
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
                copy[random.Next(Math.Min(copy.Length, 64))] = (byte)random.Next(256);
            }

            try
            {
                Footprint.Formats.LdSoCache.LdSoCache.Parse(copy);
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    private string Debian()
    {
        var path = _dir.File("ld.so.cache");
        Tool.Shell($"tar -xOf '{Repo.Fixture("debian/rootfs.tar")}' ./etc/ld.so.cache > '{path}'");
        return path;
    }
}
