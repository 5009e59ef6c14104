using Footprint.Analyzers.Identity;
using Footprint.Cli.Rendering;

namespace Footprint.Tests.Cli;

/// <summary>The "System" row of the measure table names the exact release beside the pretty name.</summary>
public sealed class MeasureTableTests
{
    [Theory]
    [InlineData("Alpine Linux v3.20", "3.20.3", null, "Alpine Linux v3.20, release 3.20.3")]
    [InlineData("Debian GNU/Linux 12 (bookworm)", "12.7", "bookworm", "Debian GNU/Linux 12 (bookworm), release 12.7")]
    [InlineData(null, "15.05.1", "chaos_calmer", "openwrt, release 15.05.1 (chaos_calmer)")]
    [InlineData("Ubuntu 22.04.4 LTS", "22.04.4", "jammy", "Ubuntu 22.04.4 LTS (jammy)")]
    public void Should_show_the_exact_release_and_codename_once(string? pretty, string release, string? codename, string expected)
    {
        var os = new OsReport { Id = "openwrt", PrettyName = pretty, DistroVersion = release, Codename = codename, Evidence = [] };
        Assert.Equal(expected, MeasureTable.SystemName(os));
    }

    [Fact]
    public void Should_say_unknown_without_identity() => Assert.Equal("unknown", MeasureTable.SystemName(null));
}
