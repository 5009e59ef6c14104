using Footprint.FileSystem;
using Footprint.Formats;

namespace Footprint.Tests.FileSystem;

/// <summary>Stacking semantics (OCI image-spec layer.md) on small hand-made layers.</summary>
public sealed class LayeredFileSystemTests
{
    private readonly List<FsWarning> _warnings = [];

    [Fact]
    public void Should_count_waste_as_all_copies_minus_the_kept_one()
    {
        // dive#684: a 100-byte file overwritten by a 50-byte one wastes 100 bytes, not 150.
        var fs = Stack(
            Layer(0, File("etc/big", 100), File("etc/gone", 30)),
            Layer(1, File("etc/big", 70), Whiteout("etc/gone")),
            Layer(2, File("etc/big", 50)));
        Assert.Equal([100 + 30, 70, 0], fs.Changes.Select(c => c.WastedBytes));
        Assert.Equal(50, fs.FindSquashed("etc/big")!.SizeBytes);
        Assert.Equal(30, fs.Changes[1].RemovedBytes);
        Assert.Equal(70, fs.Changes[1].ModifiedBytes);
        Assert.Equal(0, fs.Changes[1].AddedBytes);
    }

    [Fact]
    public void Should_hide_lower_content_of_an_opaque_directory_but_keep_the_layers_own()
    {
        var fs = Stack(
            Layer(0, Dir("conf"), File("conf/a", 1), File("conf/b", 2), File("keep", 3)),
            Layer(1, Opaque("conf"), File("conf/c", 4)));
        Assert.Null(fs.FindSquashed("conf/a"));
        Assert.Null(fs.FindSquashed("conf/b"));
        Assert.Equal(4, fs.FindSquashed("conf/c")!.SizeBytes);
        Assert.Equal(3, fs.FindSquashed("keep")!.SizeBytes);
        Assert.Equal(3, fs.Changes[1].RemovedBytes);
        Assert.NotNull(fs.Layers[0].Find("conf/a"));
    }

    [Fact]
    public void Should_remove_a_whole_subtree_with_one_whiteout_and_allow_recreating_it()
    {
        var fs = Stack(
            Layer(0, Dir("usr/share/locale/de"), File("usr/share/locale/de/x.mo", 10)),
            Layer(1, Whiteout("usr/share/locale")),
            Layer(2, File("usr/share/locale/fr.mo", 5)));
        Assert.Null(fs.FindSquashed("usr/share/locale/de"));
        Assert.Equal(5, fs.FindSquashed("usr/share/locale/fr.mo")!.SizeBytes);
        Assert.Equal(10, fs.Changes[0].WastedBytes);
    }

    [Fact]
    public void Should_replace_a_directory_by_a_file_and_a_file_by_a_directory()
    {
        var fs = Stack(
            Layer(0, Dir("a"), File("a/inner", 7), File("b", 8)),
            Layer(1, File("a", 1), Dir("b"), File("b/inner", 2)));
        Assert.Equal(FileKind.Regular, fs.FindSquashed("a")!.Kind);
        Assert.Equal(FileKind.Directory, fs.FindSquashed("b")!.Kind);
        Assert.Equal(15, fs.Changes[0].WastedBytes);
    }

    [Fact]
    public void Should_share_data_between_hard_links_and_count_it_once()
    {
        var tree = new FileTree(0, "test", true, _warnings);
        tree.Add(File("bin/busybox", 1000));
        tree.Add(new FileEntry { Name = "bin/sh", Kind = FileKind.HardLink, LinkTarget = "bin/busybox" });
        tree.Add(new FileEntry { Name = "./bin/ls", Kind = FileKind.HardLink, LinkTarget = "./bin/busybox" });
        var fs = new LayeredFileSystem();
        fs.Apply(tree);
        fs.Complete();
        Assert.Same(fs.FindSquashed("bin/busybox")!.Data, fs.FindSquashed("bin/ls")!.Data);
        Assert.Equal(3, fs.FindSquashed("bin/sh")!.Data!.LinkCount);
        Assert.Equal(1000, fs.Changes[0].StoredBytes);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void Should_keep_whiteout_names_as_files_in_a_plain_rootfs()
    {
        var tree = new FileTree(0, "rootfs.tar", interpretWhiteouts: false, _warnings);
        tree.Add(File("etc/.wh.passwd", 3));
        Assert.NotNull(tree.Find("etc/.wh.passwd"));
        Assert.Empty(tree.Whiteouts);
    }

    [Theory]
    [InlineData("etc/os-release", "usr/lib/os-release")]
    [InlineData("lib/x", "usr/lib/x")]
    [InlineData("usr/lib/../lib/x", "usr/lib/x")]
    [InlineData("abs", "usr/lib/x")]
    [InlineData("up", "usr/lib/x")]
    public void Should_resolve_symlinks_inside_the_root(string path, string expected)
    {
        var fs = Stack(Layer(0,
            File("usr/lib/os-release", 1), File("usr/lib/x", 2),
            Link("etc/os-release", "../usr/lib/os-release"), Link("lib", "usr/lib"),
            Link("abs", "/usr/lib/x"), Link("up", "../../../../usr/lib/x")));
        Assert.NotNull(LayeredFileSystem.Resolve(fs.Squashed, path, true, out var resolved));
        Assert.Equal(expected, resolved);
    }

    [Fact]
    public void Should_throw_on_a_symlink_loop_instead_of_hanging()
    {
        var fs = Stack(Layer(0, Link("a", "b"), Link("b", "a/c")));
        Assert.Throws<SymlinkLoopException>(() => fs.Resolve("a"));
        Assert.NotNull(fs.Resolve("a", followFinal: false));
    }

    [Fact]
    public void Should_release_captured_bytes_but_those_of_kept_paths_in_every_layer()
    {
        var fs = Stack(
            Layer(0, File("var/lib/dpkg/status", 5), File("etc/a", 3)),
            Layer(1, File("var/lib/dpkg/status", 6), File("etc/a", 4), File("etc/b", 2)));
        var captured = new[] { fs.Layers[0], fs.Layers[1] }
            .SelectMany(l => new[] { "var/lib/dpkg/status", "etc/a", "etc/b" }.Select(p => l.Find(p)?.Data))
            .OfType<FileData>()
            .ToList();
        foreach (var data in captured)
        {
            data.Content = new CapturedContent(new byte[data.SizeBytes], isComplete: true);
        }

        fs.ReleaseCapturedContent(["var/lib/dpkg/status"]);

        // Both layers' copies of the kept path still have their bytes (layer-by-layer attribution reads them); the rest none.
        Assert.Equal(5, Assert.IsType<CapturedContent>(fs.Layers[0].Find("var/lib/dpkg/status")!.Data!.Content).Bytes.Length);
        Assert.Equal(6, Assert.IsType<CapturedContent>(fs.Layers[1].Find("var/lib/dpkg/status")!.Data!.Content).Bytes.Length);
        Assert.Null(fs.Layers[0].Find("etc/a")!.Data!.Content);
        Assert.Null(fs.Layers[1].Find("etc/a")!.Data!.Content);
        Assert.Null(fs.FindSquashed("etc/b")!.Data!.Content);
    }

    [Fact]
    public void Should_answer_GetElf_after_the_release_as_from_the_captured_bytes()
    {
        var bytes = System.IO.File.ReadAllBytes(Formats.Elf.ElfSamples.HostBinary);
        var fs = Stack(Layer(0, File("bin/tool", bytes.Length), File("etc/text", 4)));
        var tool = fs.FindSquashed("bin/tool")!.Data!;
        var text = fs.FindSquashed("etc/text")!.Data!;
        tool.Content = new CapturedContent(bytes, isComplete: true);
        text.Content = new CapturedContent("abcd"u8.ToArray(), isComplete: true);

        fs.ReleaseCapturedContent([]);

        Assert.Null(tool.Content);
        var expected = Footprint.Formats.Elf.ElfReader.Read(bytes, bytes.Length)!;
        var elf = tool.GetElf();
        Assert.NotNull(elf);
        Assert.Equal(expected.Machine, elf.Machine);
        Assert.Equal(expected.Type, elf.Type);
        Assert.Equal(expected.Needed, elf.Needed);
        Assert.Null(text.GetElf());
    }

    private LayeredFileSystem Stack(params FileTree[] layers)
    {
        var fs = new LayeredFileSystem();
        foreach (var l in layers)
        {
            fs.Apply(l);
        }

        fs.Complete();
        return fs;
    }

    private FileTree Layer(int index, params FileEntry[] entries)
    {
        var tree = new FileTree(index, $"layer{index}", true, _warnings);
        foreach (var e in entries)
        {
            tree.Add(e);
        }

        return tree;
    }

    private static FileEntry File(string name, long size) => new() { Name = name, Kind = FileKind.Regular, SizeBytes = size, Mode = 0b110_100_100 };

    private static FileEntry Dir(string name) => new() { Name = name, Kind = FileKind.Directory, Mode = 0b111_101_101 };

    private static FileEntry Link(string name, string target) => new() { Name = name, Kind = FileKind.Symlink, LinkTarget = target };

    private static FileEntry Whiteout(string path) => File(ImagePath.Combine(ImagePath.Parent(path), FileTree.WhiteoutPrefix + ImagePath.FileName(path)), 0);

    private static FileEntry Opaque(string dir) => File(ImagePath.Combine(dir, FileTree.OpaqueMarker), 0);
}
