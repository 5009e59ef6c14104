using System.Formats.Tar;
using Footprint.Measures.Running.Container;
using Footprint.Sources;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Measures.Running.Container;

/// <summary>
/// The private root a container runs from: the merged view of real OCI layers written to disk (checked with stat(1)
/// and the files' bytes), hostile layers that must write nothing outside it, the byte cap, and its deletion.
/// </summary>
public sealed class ContainerRootfsTests
{
    [Fact]
    public void Should_write_the_merged_view_with_hard_links_symlinks_and_whiteouts()
    {
        using var dir = new TempDir();
        var lower = ContainerImages.Entries(
            ContainerImages.Dir("etc"),
            ContainerImages.Regular("etc/a", "one"),
            ContainerImages.Regular("etc/gone", "deleted above"),
            ContainerImages.Dir("bin"),
            ContainerImages.Regular("bin/x", "shared inode", (UnixFileMode)0x1ED),
            ContainerImages.HardLink("bin/y", "bin/x"),
            ContainerImages.Regular("bin/su", "setuid", (UnixFileMode)0x9ED),
            ContainerImages.Symlink("bin/z", "x"),
            new PaxTarEntry(TarEntryType.CharacterDevice, "dev/null2") { DeviceMajor = 1, DeviceMinor = 3, Mode = (UnixFileMode)0x1B6 },
            new PaxTarEntry(TarEntryType.Fifo, "run/fifo") { Mode = (UnixFileMode)0x1A4 });
        var upper = ContainerImages.Entries(
            ContainerImages.Regular("etc/a", "two"),
            ContainerImages.Regular("etc/.wh.gone", ""));
        var layout = ContainerImages.Layout(dir.File("oci"), ContainerImages.Config(null, ["/bin/x"]), lower, upper);
        var parent = Directory.CreateDirectory(dir.File("tmp")).FullName;
        string root;
        using (var source = ArtifactOpener.Open(layout, null, []))
        using (var rootfs = ContainerRootfs.Materialise(source, new ContainerOptions { TempParent = parent }))
        {
            root = rootfs.Root;
            Assert.StartsWith(Path.Combine(parent, ContainerRootfs.DirectoryPrefix + Environment.ProcessId + "-"), rootfs.Directory, StringComparison.Ordinal);
            Assert.Equal("700", Mode(rootfs.Directory));
            Assert.Equal("two", File.ReadAllText(Path.Combine(root, "etc/a")));
            Assert.False(Path.Exists(Path.Combine(root, "etc/gone")));
            var (x, y) = (Stat(Path.Combine(root, "bin/x")), Stat(Path.Combine(root, "bin/y")));
            Assert.Equal(x.Split(' ')[0], y.Split(' ')[0]);
            Assert.Equal("2", x.Split(' ')[1]);
            Assert.Equal("x", new FileInfo(Path.Combine(root, "bin/z")).LinkTarget);
            Assert.Equal("755", Mode(Path.Combine(root, "bin/su")));
            Assert.False(Path.Exists(Path.Combine(root, "dev/null2")));
            Assert.False(Path.Exists(Path.Combine(root, "run/fifo")));
            Assert.Equal(2, rootfs.SkippedSpecial);
            Assert.Equal(1, rootfs.SetIdDropped);
            Assert.Equal(1, rootfs.HardLinkNames);

            // Files placed: etc/a, bin/x (+ its link), bin/su; the bytes are those of the files shown, each inode once.
            Assert.Equal(3, rootfs.RegularFiles);
            Assert.Equal("two".Length + "shared inode".Length + "setuid".Length, rootfs.FileBytes);
            Assert.True(Directory.Exists(Path.Combine(root, "proc")) && Directory.Exists(Path.Combine(root, "tmp")));
        }

        Assert.False(Directory.Exists(root));
        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));
    }

    [Fact]
    public void Should_write_nothing_outside_its_directory_for_hostile_layers()
    {
        using var dir = new TempDir();
        var outside = Directory.CreateDirectory(dir.File("outside")).FullName;
        var marker = "escape-" + Guid.NewGuid().ToString("N");
        var lower = ContainerImages.Entries(
            ContainerImages.Regular("../../" + marker, "climbs out"),
            ContainerImages.Regular("a/../../../" + marker, "climbs out too"),
            ContainerImages.Symlink("evil", outside),
            ContainerImages.Symlink("evil-relative", "../../../../../../" + outside),
            ContainerImages.Regular("evil-relative/" + marker, "through a symlink in the same layer"),
            ContainerImages.HardLink("stolen", "../../../../etc/hostname"),
            ContainerImages.Regular(new string('n', 256), "a name longer than NAME_MAX"),
            ContainerImages.Regular(new string('d', 300) + "/inside", "below a name longer than NAME_MAX"),
            ContainerImages.Regular(string.Join('/', Enumerable.Repeat(new string('p', 200), 20)), "a path longer than PATH_MAX once under the root"));
        var upper = ContainerImages.Entries(
            ContainerImages.Regular("evil/" + marker, "through a symlink of a lower layer"),
            ContainerImages.Symlink("tmp", outside));
        var layout = ContainerImages.Layout(dir.File("oci"), ContainerImages.Config(["/x"], null), lower, upper);
        var parent = Directory.CreateDirectory(dir.File("tmp")).FullName;
        using (var source = ArtifactOpener.Open(layout, null, []))
        using (var rootfs = ContainerRootfs.Materialise(source, new ContainerOptions { TempParent = parent }))
        {
            // The lower layer's symlink is replaced by the upper layer's directory, inside the root.
            Assert.True(Directory.Exists(Path.Combine(rootfs.Root, "evil")));
            Assert.Null(new DirectoryInfo(Path.Combine(rootfs.Root, "evil")).LinkTarget);
            Assert.Equal("through a symlink of a lower layer", File.ReadAllText(Path.Combine(rootfs.Root, "evil", marker)));
            Assert.False(Path.Exists(Path.Combine(rootfs.Root, "stolen")));

            // A symlink the image puts where bwrap mounts is replaced by a directory (bwrap must not follow it).
            Assert.Null(new DirectoryInfo(Path.Combine(rootfs.Root, "tmp")).LinkTarget);
            Assert.Contains(rootfs.Notes, n => n.StartsWith("/tmp was a symlink", StringComparison.Ordinal));
            Assert.Contains(rootfs.Warnings, w => w.Code == "path-traversal");
            Assert.Contains(rootfs.Warnings, w => w.Code == "hardlink-outside");

            // Skipped and counted, not an error: the 256-byte name, the 300-byte directory and the file below it, and
            // the first component of the deep path that no longer fits in PATH_MAX with the root's path before it.
            Assert.Equal(new[] { "evil", "evil-relative", "proc", "dev", "tmp", new string('p', 200) }.Order(StringComparer.Ordinal),
                Directory.EnumerateFileSystemEntries(rootfs.Root).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal));
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.Equal(["oci", "outside", "tmp"], Directory.EnumerateFileSystemEntries(dir.Path).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal).ToArray());
        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));
        Assert.False(Path.Exists(Path.Combine("/", marker)) || Path.Exists(Path.Combine(Path.GetTempPath(), marker)));
    }

    [Fact]
    public void Should_stop_at_the_cap_before_writing_a_file_that_crosses_it()
    {
        using var dir = new TempDir();
        var big = ContainerImages.Entries(
            ContainerImages.Regular("small", "fits"),
            ContainerImages.Regular("huge", new MemoryStream(new byte[24 << 20])));
        var layout = ContainerImages.Layout(dir.File("oci"), ContainerImages.Config(["/small"], null), big);
        var parent = Directory.CreateDirectory(dir.File("tmp")).FullName;
        using var source = ArtifactOpener.Open(layout, null, []);
        var e = Assert.Throws<ContainerLimitException>(() => ContainerRootfs.Materialise(source, new ContainerOptions { TempParent = parent, MaxRootfsBytes = 8 << 20 }));
        Assert.Contains("'huge' (25165824 bytes)", e.Message, StringComparison.Ordinal);
        Assert.Contains("8388608", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));
    }

    [Fact]
    public void Should_delete_a_directory_left_by_a_process_that_no_longer_runs()
    {
        using var dir = new TempDir();
        var parent = Directory.CreateDirectory(dir.File("tmp")).FullName;

        // Pid 2^22 + 1 is above pid_max's largest value (4194304): no process has it.
        var stale = Directory.CreateDirectory(Path.Combine(parent, ContainerRootfs.DirectoryPrefix + "4194305-0123")).FullName;
        var locked = Directory.CreateDirectory(Path.Combine(stale, "rootfs", "locked")).FullName;
        File.WriteAllText(Path.Combine(locked, "f"), "x");
        Tool.Output("chmod", "000", locked);
        var alive = Directory.CreateDirectory(Path.Combine(parent, ContainerRootfs.DirectoryPrefix + "1-keep")).FullName;
        var layout = ContainerImages.Layout(dir.File("oci"), ContainerImages.Config(["/f"], null), ContainerImages.Entries(ContainerImages.Regular("f", "x")));
        using (var source = ArtifactOpener.Open(layout, null, []))
        using (ContainerRootfs.Materialise(source, new ContainerOptions { TempParent = parent }))
        {
            Assert.False(Directory.Exists(stale));
            Assert.True(Directory.Exists(alive));
        }

        Assert.Equal([alive], Directory.EnumerateFileSystemEntries(parent).ToArray());
    }

    private static string Stat(string path) => Tool.Output("stat", "-c", "%i %h", path).Trim();

    private static string Mode(string path) => Tool.Output("stat", "-c", "%a", path).Trim();
}
