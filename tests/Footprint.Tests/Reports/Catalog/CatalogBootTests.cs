using System.Globalization;
using System.Text.Json.Nodes;
using Footprint.Tests.Reports.Choices;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Reports.Catalog;

/// <summary>
/// Running memory measured by booting, end to end: `catalog add --boot` stores the minimum RAM and idle memory the
/// boots gave, `choose --ram` decides on that measured minimum (1 MiB less excludes the system, the minimum keeps it),
/// and `compare --boot` ranks idle memory; all on the busybox boot disk of the corpus, booted in QEMU.
/// </summary>
[Collection(QemuCollection.Name)]
public sealed class CatalogBootTests : IDisposable
{
    private const long MiB = 1L << 20;
    private static readonly string Disk = Repo.CorpusFile("images/initramfs_sandbox/busybox-linux-boot.img");
    private readonly TempDir _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Should_choose_by_the_minimum_ram_that_catalog_add_boot_measured()
    {
        var (code, _, stderr) = Run("catalog", "add", "--no-cache", "--boot", "--repeats", "1", "--name", "busybox-disk", Disk);
        Assert.True(code == 0, stderr);

        var file = Path.Combine(_home.Path, "export.json");
        (code, _, stderr) = Run("catalog", "export", file);
        Assert.True(code == 0, stderr);
        var text = File.ReadAllText(file);
        Assert.True(ChooseSchemas.Valid(ChooseSchemas.Catalog, text), text);
        var running = JsonNode.Parse(text)!["entries"]!.AsArray().Single(e => (string)e!["name"]! == "busybox-disk")!["runningMemory"]!;
        Assert.Equal("measured", (string)running["provenance"]!);
        var minimum = (long)running["minimumRamBytes"]!;
        Assert.Equal(0, minimum % MiB);
        Assert.InRange(minimum, 8 * MiB, 256 * MiB);
        Assert.Equal((1, 1), ((int)running["minimumRamBoots"]!["booted"]!, (int)running["minimumRamBoots"]!["tried"]!));
        Assert.Equal(256 * MiB, (long)running["idleMeasuredAtBytes"]!);
        Assert.InRange((long)running["idleUsedBytes"]!, 1 * MiB, minimum);
        Assert.StartsWith("5.15", (string)running["kernel"]!, StringComparison.Ordinal);

        // The measured minimum decides: 1 MiB below it the system fails on RAM, at it the system passes.
        var below = Choose("--no-shipped", "--ram", ((minimum / MiB) - 1).ToString(CultureInfo.InvariantCulture) + "MiB");
        Assert.Equal(1, below.Code);
        Assert.Contains("busybox-disk", Names(below.Choice, "excluded"));
        var at = Choose("--no-shipped", "--ram", (minimum / MiB).ToString(CultureInfo.InvariantCulture) + "MiB");
        Assert.Equal(0, at.Code);
        Assert.Contains("busybox-disk", Names(at.Choice, "candidates"));
    }

    [Fact]
    public void Should_compare_idle_memory_and_leave_out_a_system_that_cannot_report_it()
    {
        var floppinux = Repo.CorpusFile("images/floppinux/floppinux.img");
        var (code, stdout, stderr) = Run("compare", "--no-cache", "--boot", "-f", "json", Disk, floppinux);
        Assert.True(code == 0, stderr);
        Assert.Empty(Schemas.Errors(Schemas.Compare, stdout));
        var row = JsonNode.Parse(stdout)!["rows"]!.AsArray().Single(r => (string)r!["id"]! == "running-idle-used-bytes")!;
        var values = row["values"]!.AsArray();
        Assert.InRange((long)values[0]!, 1 * MiB, 128 * MiB);
        // FLOPPINUX boots, but its kernel has no procfs: no idle figure is made up, so the row is not ranked.
        Assert.Null(values[1]);
        Assert.Empty(row["winners"]!.AsArray());
    }

    private (int Code, string Stdout, string Stderr) Run(params string[] args) => FootprintProcess.Run(_home.Path, null, args);

    private (int Code, JsonObject Choice) Choose(params string[] args)
    {
        var (code, stdout, stderr) = Run(["choose", "-f", "json", .. args]);
        Assert.True(code is 0 or 1, stderr);
        return (code, JsonNode.Parse(stdout)!.AsObject());
    }

    private static List<string> Names(JsonObject choice, string list) => choice[list]!.AsArray().Select(c => (string)c!["name"]!).ToList();
}
