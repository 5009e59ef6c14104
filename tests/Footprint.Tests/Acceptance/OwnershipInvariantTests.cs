using Footprint.Reports;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Acceptance;

/// <summary>
/// A file's bytes are owned once: owned + unowned = installed (apparent bytes) on every artifact the fixtures build
/// and every corpus artifact the tool opens. Before, each module inside a Go binary was credited with the whole
/// binary (tests/fixtures/out/go: 83,431,447 owned of 80,372,029 installed), and a directory on disk counted a file
/// declared by two packages twice. No package is credited with more than the installed bytes, a Go dependency module
/// with none, and no artifact (each an unmodified release) gets a release-mismatch warning.
/// </summary>
/// <remarks>
/// About 2 minutes on a busy 2-core machine (the three 170 MB Debian docker/squashfs fixtures take 20 s each there);
/// it measures no memory, so it runs beside the other classes rather than in the serial memory collection.
/// </remarks>
public sealed class OwnershipInvariantTests
{
    /// <summary>
    /// What tests/fixtures/*.sh build into tests/fixtures/out, one reference each ("oci:" layouts with their tag,
    /// directories measured from disk). <see cref="Should_list_every_artifact_the_fixtures_build"/> keeps it complete.
    /// </summary>
    public static readonly IReadOnlyList<string> FixtureReferences =
    [
        "broken/alpine-glibc.tar", "broken/busybox-bash.tar", "broken/debian-broken.tar",
        "corpus-busybox/latest/glibc", "corpus-busybox/latest/musl", "corpus-busybox/latest/uclibc",
        "corpus-busybox/latest-1/glibc", "corpus-busybox/latest-1/uclibc",
        "cpio/chain.img", "cpio/layered.img", "cpio/microcode.img", "cpio/two-in-one.img",
        "cpio/tree.crc.cpio", "cpio/tree.newc.cpio", "cpio/tree.odc.cpio",
        "cpio/tree.newc.cpio.bz2", "cpio/tree.newc.cpio.gz", "cpio/tree.newc.cpio.lz4", "cpio/tree.newc.cpio.lzma",
        "cpio/tree.newc.cpio.xz", "cpio/tree.newc.cpio.zst",
        "debian/rootfs.tar", "oci:debian/oci:minbase", "oci:debian/oci:two", "debian/minbase.docker.tar", "debian/two.docker.tar",
        "debian/two.oci.tar", "debian/two.layer2.tar", "debian/minbase.unpacked/rootfs", "debian/two.unpacked/rootfs",
        "distro-dbs/chisel.tar.gz", "distro-dbs/puppy.tar.gz", "distro-dbs/slackware.tar.gz", "distro-dbs/tazpkg.tar.gz", "distro-dbs/tinycore.tar.gz",
        "fat/fat12.img", "fat/fat16.img", "fat/fat32.img",
        "firmware/openwrt-like.bin",
        "go",
        "iso/eltorito.iso", "iso/geniso-plain.iso", "iso/geniso-rr.iso", "iso/hybrid-gpt.iso", "iso/hybrid-mbr.iso", "iso/joliet.iso",
        "iso/level3.iso", "iso/multi-extent.iso", "iso/plain-l1.iso", "iso/rr-joliet.iso", "iso/rr.iso", "iso/small.iso",
        "iso/debian/grub-rescue-pc-grub-rescue-cdrom.iso", "iso/debian/ipxe-ipxe.iso",
        "live/antix.iso", "live/debian-minbase.iso", "live/porteus.iso", "live/puppy.iso", "live/slax.iso", "live/slitaz.iso", "live/tinycore.iso",
        "peers/alpine-3.20.3",
        "scratch-busybox/docker.tar", "scratch-busybox/oci",
        "squashfs/always-fragments.squashfs", "squashfs/debian-minbase-gzip.squashfs", "squashfs/debian-minbase-xz.squashfs",
        "squashfs/gzip-1m.squashfs", "squashfs/gzip-4k.squashfs", "squashfs/gzip-options.squashfs", "squashfs/gzip.squashfs",
        "squashfs/lz4.squashfs", "squashfs/lzma.squashfs", "squashfs/lzo-options.squashfs", "squashfs/lzo.squashfs",
        "squashfs/no-duplicates.squashfs", "squashfs/no-fragments.squashfs", "squashfs/no-xattrs.squashfs", "squashfs/tiny-xz.squashfs",
        "squashfs/tiny.squashfs", "squashfs/uncompressed.squashfs", "squashfs/xz-bcj.squashfs", "squashfs/xz.squashfs",
        "squashfs/zstd-options.squashfs", "squashfs/zstd.squashfs", "squashfs/tree",
    ];

    /// <summary>Fixtures built for one reader's own tests that the tool refuses as a whole artifact (exit 2), with why.</summary>
    public static readonly IReadOnlyDictionary<string, string> FixturesNotOpened = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cpio/tree.bin.cpio"] = "old binary cpio: the cpio reader's tests read it; the artifact opener does not take that format",
        ["firmware/mixed.bin"] = "the firmware scanner's test image: its first piece is a gzip'ed cpio, so it opens as an initramfs and the 0xFF padding after it is rejected",
    };

    /// <summary>
    /// Every artifact of ../shared/corpus (MANIFEST.md) the tool opens: rootfs tarballs, firmware, disk and media images,
    /// cpio archives, squashfs, extracted package-database trees. Left out: the busybox/*/amd64 folders (OCI metadata
    /// whose blobs are the rootfs.tar.gz listed here, built into layouts by the fixtures), the data-only folders
    /// (vulnerability feeds, version vectors, the other syft/trivy/claircore parser inputs, bare rpm databases), and what the tool
    /// refuses with exit 2 (firmware/binwalk's arcadyan, cramfs, mbr, qcow, romfs, yaffs2 and squashfs 2.0 samples,
    /// images/floppy-linux/floppy-linux.img: no file system it reads).
    /// </summary>
    public static readonly IReadOnlyList<string> CorpusArtifacts =
    [
        "alpine/alpine-minirootfs-20210212-x86_64.tar.gz", "alpine/alpine-minirootfs-20240923-x86_64.tar.gz",
        "alpine/alpine-minirootfs-3.10.3-x86_64.tar.gz", "alpine/alpine-minirootfs-3.10.9-x86_64.tar.gz",
        "alpine/alpine-minirootfs-3.11.13-x86_64.tar.gz", "alpine/alpine-minirootfs-3.12.12-x86_64.tar.gz",
        "alpine/alpine-minirootfs-3.13.12-x86_64.tar.gz", "alpine/alpine-minirootfs-3.14.10-x86_64.tar.gz",
        "alpine/alpine-minirootfs-3.16.9-x86_64.tar.gz", "alpine/alpine-minirootfs-3.17.10-x86_64.tar.gz",
        "alpine/alpine-minirootfs-3.18.9-x86_64.tar.gz", "alpine/alpine-minirootfs-3.19.4-x86_64.tar.gz",
        "alpine/alpine-minirootfs-3.20.3-aarch64.tar.gz", "alpine/alpine-minirootfs-3.20.3-armv7.tar.gz",
        "alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz", "alpine/alpine-minirootfs-3.6.5-x86_64.tar.gz",
        "alpine/alpine-minirootfs-3.7.3-x86_64.tar.gz", "alpine/alpine-minirootfs-3.8.5-x86_64.tar.gz",
        "alpine-old/alpine-2.6-rootfs.tar.gz", "alpine-old/alpine-2.7-rootfs.tar.gz", "alpine-old/alpine-3.1-rootfs.tar.xz",
        "alpine-old/alpine-3.2-rootfs.tar.xz", "alpine-old/alpine-3.4-rootfs.tar.xz", "alpine-old/alpine-3.5-rootfs.tar.xz",
        "busybox/latest/glibc/amd64/rootfs.tar.gz", "busybox/latest/musl/amd64/rootfs.tar.gz", "busybox/latest/uclibc/amd64/rootfs.tar.gz",
        "busybox/latest-1/glibc/amd64/rootfs.tar.gz", "busybox/latest-1/uclibc/amd64/rootfs.tar.gz",
        "busybox/old/stable/glibc/busybox.tar.xz", "busybox/old/stable/musl/busybox.tar.xz", "busybox/old/stable/uclibc/busybox.tar.xz",
        "tinycore/6.4/x86_64/rootfs64.tar.gz", "tinycore/9.0/x86_64/rootfs64.tar.gz", "tinycore/10.0/x86_64/squashfs-tools.tcz",
        "tinycore/11.0/x86_64/rootfs64.tar.gz", "tinycore/12.0/x86_64/rootfs64.tar.gz",
        "openwrt/docker-openwrt-rootfs.tar.gz", "openwrt/openwrt-armvirt-64-default-rootfs.tar.gz",
        "rootfs-exports/wodim+samknows-squashfs.tar.gz",
        "firmware/openwrt/mr3020/openwrt-ar71xx-generic-tl-mr3020-v1-squashfs-factory.bin",
        "firmware/openwrt/mr3020/openwrt-ar71xx-generic-tl-mr3020-v1-squashfs-sysupgrade.bin",
        "firmware/openwrt/wr841n-v9/openwrt-ar71xx-generic-tl-wr841n-v9-squashfs-sysupgrade.bin",
        "firmware/openwrt/wr841n-v9-cc-krack/openwrt-ar71xx-generic-tl-wr841n-v9-squashfs-sysupgrade.bin",
        "images/buildroot-tp/rootfs.tar", "images/buildroot-tp/rootfs.cpio.xz",
        "images/floppinux/floppinux.img", "images/floppinux/rootfs.cpio.gz", "images/floppinux/rootfs.cpio.xz",
        "firmware/binwalk/squashfs.bin", "images/initramfs_sandbox/busybox-linux-boot.img",
        "images/initramfs_sandbox/busybox-rootfs.cpio.gz", "images/initramfs_sandbox/networking-rootfs.cpio.gz",
        "images/live-iso/antix-efi.img", "images/live-iso/antix-initrd.gz",
        "images/qemuarm64-rootfs/rootfs.cpio.gz", "images/runtime-tools/rootfs-amd64.tar.gz",
        "images/tinycore/core.gz", "images/tplink/rootfs.squashfs",
        "pkgdb/choc1024+vaultwarden-extracted-bin", "pkgdb/jasonwsuk+viking_nginx", "pkgdb/trillaman+luci23.05",
        "pkgdb/wimidnk+mr3020", "pkgdb/wodim+samknows-squashfs",
        "trivy/pkg/fanal/test/testdata/alpine-310.tar.gz", "trivy/pkg/fanal/test/testdata/alpine-311.tar.gz",
        "syft/syft/pkg/cataloger/debian/testdata/image-dpkg", "syft/syft/pkg/cataloger/debian/testdata/image-distroless-deb",
        "syft/cmd/syft/internal/test/integration/testdata/image-pkg-coverage",
    ];

    public static TheoryData<string> Fixtures() => [.. FixtureReferences];

    public static TheoryData<string> Corpus() => [.. CorpusArtifacts];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Should_own_every_installed_byte_once_in_fixture(string reference)
        => AssertOwnedOnce(Load.Measure(Resolve(reference)));

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Should_own_every_installed_byte_once_in_corpus_artifact(string relative)
        => AssertOwnedOnce(Load.Measure(Repo.CorpusFile(relative)));

    [Fact]
    public void Should_list_every_artifact_the_fixtures_build()
    {
        // What the fixture scripts write, by folder; files beside them (expected listings, logs, .deb caches, metadata) are not artifacts.
        var patterns = new (string Dir, string Pattern)[]
        {
            ("broken", "*.tar"), ("cpio", "*.img"), ("cpio", "*.cpio*"), ("debian", "*.tar"), ("distro-dbs", "*.tar.gz"),
            ("fat", "*.img"), ("firmware", "*.bin"), ("iso", "*.iso"), ("iso/debian", "*.iso"), ("live", "*.iso"), ("scratch-busybox", "*.tar"),
            ("squashfs", "*.squashfs"),
        };
        var built = new List<string>();
        foreach (var (dir, pattern) in patterns)
        {
            var full = Path.Combine(Repo.Fixtures, dir);
            Assert.True(Directory.Exists(full), $"fixture folder {full} is missing: run ./test.sh");
            // Top level only: the unpacked trees below hold files of their own (and other tests write scratch files there).
            built.AddRange(Directory.EnumerateFiles(full, pattern, SearchOption.TopDirectoryOnly).Select(f => Path.GetRelativePath(Repo.Fixtures, f)));
        }

        // OCI layouts (debian/oci is listed once per tag); umoci's unpacked trees are not layouts.
        built.AddRange(new[] { "corpus-busybox", "scratch-busybox" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(Repo.Fixtures, d), "index.json", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(Repo.Fixtures, Path.GetDirectoryName(f)!)));
        var listed = FixtureReferences.Select(r => r.StartsWith("oci:", StringComparison.Ordinal) ? r[4..r.LastIndexOf(':')] : r).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(built.Where(b => !listed.Contains(b) && !FixturesNotOpened.ContainsKey(b)).Order(StringComparer.Ordinal));
        Assert.All(FixturesNotOpened.Keys, k => Assert.Contains(k, built));
        Assert.All(FixtureReferences, r => Repo.Fixture(r.StartsWith("oci:", StringComparison.Ordinal) ? r[4..r.LastIndexOf(':')] : r));
    }

    private static string Resolve(string reference)
        => reference.StartsWith("oci:", StringComparison.Ordinal)
            ? "oci:" + Path.Combine(Repo.Fixtures, reference[4..])
            : Repo.Fixture(reference);

    private static void AssertOwnedOnce(ArtifactReport report)
    {
        var installed = report.Installed.ApparentBytes;
        var inventory = report.Inventory!;
        Assert.Equal(installed, inventory.OwnedBytes + inventory.UnownedBytes);
        Assert.InRange(inventory.OwnedBytes, 0, installed);
        Assert.All(inventory.Packages, p => Assert.InRange(p.MeasuredBytes ?? 0, 0, installed));

        // Each is a release as shipped: its release files and package database must not be reported as disagreeing.
        Assert.DoesNotContain(report.Warnings, w => w.Code == "release-mismatch");

        // A Go module compiled into a binary owns nothing of its own.
        Assert.All(inventory.Packages.Where(p => p.FoundBy?.Contains(", dependency", StringComparison.Ordinal) == true), p => Assert.Null(p.MeasuredBytes));
    }
}
