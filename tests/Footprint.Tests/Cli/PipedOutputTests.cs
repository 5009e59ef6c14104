using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Cli;

/// <summary>
/// Tables written to a pipe: `footprint inventory X | grep NAME` must find every name whole. COLUMNS is honoured
/// when set; when it is not, a pipe gets unlimited width (Spectre.Console's own fallback was 80 columns).
/// </summary>
public sealed class PipedOutputTests : IDisposable
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll");
    private readonly TempDir _dir = new();
    private readonly string _rootfs;

    public PipedOutputTests()
    {
        _rootfs = _dir.File("hostile.tar");
        HostileRootfs.Write(_rootfs);
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(null)]
    [InlineData("200")]
    public void Should_keep_every_package_name_on_one_line(string? columns)
    {
        var lines = Inventory(columns).Split('\n');
        Assert.Contains(lines, l => l.Contains(HostileRootfs.LongPackage, StringComparison.Ordinal));
        foreach (var name in HostileRootfs.Escaped.Skip(1))
        {
            Assert.Contains(lines, l => l.Contains("pkg-" + name, StringComparison.Ordinal));
        }

        if (columns is not null)
        {
            Assert.All(lines, l => Assert.True(l.Length <= 200, $"{l.Length} columns: {l}"));
        }
    }

    [Fact]
    public void Should_honour_a_narrow_COLUMNS()
    {
        var lines = Inventory("60").Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= 60, $"{l.Length} columns: {l}"));
        Assert.DoesNotContain(lines, l => l.Contains(HostileRootfs.LongPackage, StringComparison.Ordinal));
    }

    [Fact]
    public void Should_not_wrap_a_table_written_to_a_file()
    {
        var output = _dir.File("inventory.txt");
        var (code, _, stderr) = Tool.Run("/usr/bin/env", "-u", "COLUMNS", "dotnet", Cli, "inventory", "-q", "-o", output, _rootfs);
        Assert.True(code == 0, stderr);
        Assert.Contains(File.ReadAllLines(output), l => l.Contains(HostileRootfs.LongPackage, StringComparison.Ordinal));
    }

    private string Inventory(string? columns)
    {
        var (code, stdout, stderr) = columns is null
            ? Tool.Run("/usr/bin/env", "-u", "COLUMNS", "dotnet", Cli, "inventory", "-q", _rootfs)
            : Tool.Run("/usr/bin/env", "COLUMNS=" + columns, "dotnet", Cli, "inventory", "-q", _rootfs);
        Assert.True(code == 0, stderr);
        return stdout;
    }
}
