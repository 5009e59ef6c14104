using System.Globalization;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Reports.Json;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Sources;

/// <summary>
/// Live media composed by the distros' rules (docs/live.md) against the same media composed by the real tools:
/// tests/fixtures/live-media.sh extracts each medium's layers with xorriso, unsquashfs and cpio in the documented
/// order into one directory, applies the aufs whiteouts, and records every regular file's SHA-256.
/// </summary>
public sealed class LiveMediaTests
{
    public static TheoryData<string> Media => new() { "tinycore", "puppy", "slax", "porteus", "slitaz", "antix" };

    [Theory]
    [MemberData(nameof(Media))]
    public void Composed_view_equals_the_layers_extracted_in_order_by_the_real_tools(string medium)
    {
        var report = Measure(medium);
        var expected = File.ReadAllLines(Repo.Fixture($"live/{medium}.expected.tsv"))
            .Select(l => l.Split('\t')).ToDictionary(p => "/" + p[0], p => p[1], StringComparer.Ordinal);
        var actual = report.Files!.ToDictionary(f => f.Path, f => f.Sha256, StringComparer.Ordinal);
        Assert.Empty(expected.Keys.Except(actual.Keys).Order(StringComparer.Ordinal).Take(20));
        Assert.Empty(actual.Keys.Except(expected.Keys).Order(StringComparer.Ordinal).Take(20));
        Assert.Empty(expected.Where(e => actual[e.Key] != e.Value).Select(e => e.Key).Take(20));
        Assert.Equal(medium, report.Composition!.Rule);
        Assert.Equal(new FileInfo(Repo.Fixture($"live/{medium}.iso")).Length, report.Download.TotalBytes);
    }

    [Fact]
    public void Tiny_core_loads_onboot_extensions_after_their_dependencies_and_reports_the_rest_as_not_loaded()
    {
        var c = Measure("tinycore").Composition!;
        Assert.Equal(["boot/core.gz", "cde/optional/fp-base.tcz", "cde/optional/fp-top.tcz", "cde/optional/squashfs-tools.tcz"], c.Components.Select(x => x.Path));
        Assert.Equal(["cde/optional/fp-unused.tcz"], c.NotLoaded);
        Assert.Equal("boot/vmlinuz", c.Kernel!.Path);
    }

    [Fact]
    public void Puppy_stacks_zdrv_fdrv_puppy_adrv_bottom_to_top()
    {
        var c = Measure("puppy").Composition!;
        Assert.Equal(["zdrv", "fdrv", "puppy", "adrv"], c.Components.Select(x => x.Role));
    }

    [Fact]
    public void Porteus_leaves_optional_modules_out()
    {
        var c = Measure("porteus").Composition!;
        Assert.Equal(["porteus/base/000-kernel.xzm", "porteus/base/001-core.xzm", "porteus/modules/mine.xzm", "porteus/rootcopy"], c.Components.Select(x => x.Path));
        Assert.Equal(["porteus/optional/opt.xzm"], c.NotLoaded);
    }

    /// <summary>
    /// The RAM a Tiny Core boot holds: core.gz unpacked into tmpfs (each file in 4 KiB pages), and with copy2fs the
    /// extensions' files too; computed here from `cpio -id` and `unsquashfs -d` trees with find(1), one inode once.
    /// </summary>
    [Fact]
    public void Ram_resident_bytes_equal_the_page_rounded_files_of_what_the_distro_unpacks_into_ram()
    {
        var report = Measure("tinycore");
        using var tmp = new TempDir();
        var iso = Repo.Fixture("live/tinycore.iso");
        Tool.Shell($"xorriso -osirrox on -indev '{iso}' -extract / '{tmp.Path}/iso' >/dev/null 2>&1");
        Tool.Shell($"mkdir '{tmp.Path}/core' && cd '{tmp.Path}/core' && zcat '{tmp.Path}/iso/boot/core.gz' | cpio -idm --quiet --no-absolute-filenames 2>/dev/null || true");
        long Pages(string dir) => Tool.Shell($"cd '{dir}' && find . -type f -printf '%i %s\\n' | sort -u -k1,1 | awk '{{s+=int(($2+4095)/4096)*4096}} END {{print s+0}}'")
            .Trim() is var t ? long.Parse(t, CultureInfo.InvariantCulture) : 0;
        var core = Pages($"{tmp.Path}/core");
        long extensions = 0;
        foreach (var tcz in new[] { "fp-base.tcz", "fp-top.tcz", "squashfs-tools.tcz" })
        {
            Tool.Shell($"unsquashfs -q -n -d '{tmp.Path}/{tcz}.d' '{tmp.Path}/iso/cde/optional/{tcz}' >/dev/null");
            extensions += Pages($"{tmp.Path}/{tcz}.d");
        }

        Assert.Equal(core, report.RamResident!.MinimumBytes);
        Assert.Equal(core + extensions, report.RamResident.ToRamBytes);
        Assert.True(report.RamResident.MinimumBytes > report.Download.TotalBytes / 2, "core.gz expands to more than its share of the ISO");
    }

    [Fact]
    public void Puppy_copies_its_sfs_files_into_ram_compressed()
    {
        var report = Measure("puppy");
        var sizes = report.Composition!.Components.Sum(c => c.StoredBytes);
        Assert.Equal(0, report.RamResident!.MinimumBytes);
        Assert.Equal(sizes, report.RamResident.ToRamBytes);
        var listed = Tool.Shell($"xorriso -indev '{Repo.Fixture("live/puppy.iso")}' -find / -name '*.sfs' -exec lsdl 2>/dev/null | awk '{{s+=$5}} END {{print s}}'").Trim();
        Assert.Equal(long.Parse(listed, CultureInfo.InvariantCulture), sizes);
    }

    [Theory]
    [MemberData(nameof(Media))]
    public void Report_validates_against_the_schema(string medium)
    {
        var json = JsonReportWriter.ToJson(new Report { Tool = new ToolInfo("footprint", "test"), Artifacts = [Measure(medium)] });
        var errors = Schemas.Errors(Schemas.Report, json);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private static ArtifactReport Measure(string medium)
        => Load.Measure(Repo.Fixture($"live/{medium}.iso"), new MeasureOptions { ListFiles = true });
}
