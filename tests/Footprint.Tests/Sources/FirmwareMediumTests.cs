using System.Globalization;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Sources;

/// <summary>
/// The OpenWrt flash images of the corpus, measured whole: the squashfs root is found inside the firmware and the
/// system it holds is identified and inventoried. Ground truth is unsquashfs run on the same bytes at the offset
/// where grep finds the squashfs magic, reading etc/openwrt_release and usr/lib/opkg/status.
/// </summary>
public sealed class FirmwareMediumTests
{
    public static TheoryData<string> Images => new()
    {
        "firmware/openwrt/mr3020/openwrt-ar71xx-generic-tl-mr3020-v1-squashfs-sysupgrade.bin",
        "firmware/openwrt/mr3020/openwrt-ar71xx-generic-tl-mr3020-v1-squashfs-factory.bin",
        "firmware/openwrt/wr841n-v9/openwrt-ar71xx-generic-tl-wr841n-v9-squashfs-sysupgrade.bin",
        "firmware/openwrt/wr841n-v9-cc-krack/openwrt-ar71xx-generic-tl-wr841n-v9-squashfs-sysupgrade.bin",
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Release_and_opkg_packages_read_inside_the_firmware_equal_unsquashfs_at_the_same_offset(string relative)
    {
        var image = Repo.CorpusFile(relative);
        var offset = long.Parse(Tool.Shell($"grep -obUaP 'hsqs' '{image}' | head -1 | cut -d: -f1").Trim(), CultureInfo.InvariantCulture);
        var release = Tool.Shell($"unsquashfs -o {offset} -cat '{image}' etc/openwrt_release | sed -n \"s/^DISTRIB_RELEASE=['\\\"]\\(.*\\)['\\\"]$/\\1/p\"").Trim();
        // OpenWrt 15.05.1 writes DISTRIB_RELEASE='Chaos Calmer' and its number in /etc/openwrt_version; trunk builds write a revision there.
        var version = Tool.Shell($"unsquashfs -o {offset} -cat '{image}' etc/openwrt_version").Trim();
        release = char.IsAsciiDigit(version[0]) ? version : release;
        var packages = Tool.Shell($"unsquashfs -o {offset} -cat '{image}' usr/lib/opkg/status | awk '/^Package:/{{p=$2}} /^Version:/{{print p \" \" $2}}' | sort")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var report = Load.Measure(image);

        Assert.Equal("firmware", report.Kind);
        Assert.Equal($"@0x{offset:x}", report.Composition!.Components[0].Path);
        Assert.Equal("openwrt", report.Identity.Os!.Id);
        Assert.Equal(release, report.Identity.Os.DistroVersion);
        var ours = report.Inventory!.Packages.Where(p => p.Ecosystem == "opkg").Select(p => $"{p.Name} {p.Version}").Order(StringComparer.Ordinal).ToArray();
        Assert.True(packages.Length > 50);
        Assert.Equal(packages.Order(StringComparer.Ordinal), ours);
        Assert.Equal(new FileInfo(image).Length, report.Download.TotalBytes);
        Assert.Equal(0, report.RamResident!.MinimumBytes);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Installed_bytes_equal_the_files_unsquashfs_lists_at_that_offset(string relative)
    {
        var image = Repo.CorpusFile(relative);
        var offset = long.Parse(Tool.Shell($"grep -obUaP 'hsqs' '{image}' | head -1 | cut -d: -f1").Trim(), CultureInfo.InvariantCulture);
        // unsquashfs -lln: mode uid/gid size date time name; regular files start with '-'. Hard links are listed once per name,
        // so sum the distinct sizes per inode is not available here: OpenWrt images have no hard links (checked by the count).
        var bytes = long.Parse(Tool.Shell($"unsquashfs -lln -o {offset} '{image}' | awk '$1 ~ /^-/ {{s+=$3}} END {{print s+0}}'").Trim(), CultureInfo.InvariantCulture);
        var report = Load.Measure(image);
        Assert.Equal(0, report.Installed.HardLinks);
        Assert.Equal(bytes, report.Installed.ApparentBytes);
    }
}
