using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Pipeline;
using Footprint.Sources;
using Footprint.Sources.Directory;
using Footprint.Tests.Formats;
using TempDir = Footprint.Tests.Formats.TempDir;

namespace Footprint.Tests.Sources.Disk;

/// <summary>
/// The disk view against independent truths: find(1)'s listing of the same tree, and the in-memory layered view of
/// its tarball for path resolution (symlinked directories, absolute and relative targets, loops, "..").
/// </summary>
public sealed class DiskViewTests
{
    /// <summary>A tree with the shapes a host has: a merged /usr, absolute and relative links, a loop, a FIFO, odd names.</summary>
    private const string Tree = """
        mkdir -p root/usr/bin root/usr/lib/x 'root/etc/with space' root/empty root/deep/a/b/c
        printf 'hello' > root/usr/bin/ls; chmod 755 root/usr/bin/ls
        head -c 5000 /dev/zero > root/usr/lib/x/libz.so.1; chmod 4750 root/usr/lib/x/libz.so.1
        printf 'x' > 'root/etc/with space/ünïcode'
        printf 'yy' > root/deep/a/b/c/leaf
        ln -s usr/bin root/bin
        ln -s /usr/lib root/lib
        ln -s ../usr/bin/ls root/etc/ls-link
        ln -s /usr/bin/ls root/usr/lib/x/abs-file
        ln -s l2 root/l1; ln -s l1 root/l2
        ln -s ../../../../usr root/deep/a/b/c/up
        ln -s "$(printf 'a%.0s' $(seq 1 300))" root/long-target
        mkfifo root/fifo
        """;

    [Fact]
    public void Should_list_every_entry_as_find_does()
    {
        using var dir = new TempDir();
        ExternalTools.Bash(dir.Path, Tree);
        var truth = ExternalTools.Bash(dir["root"], "find . -mindepth 1 -printf '%P\\t%y\\t%s\\t%m\\t%l\\n'")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t'))
            .Select(f => $"{f[0]} {f[1]} {(f[1] == "f" ? f[2] : "-")} {f[3]} {f[4]}")
            .Order(StringComparer.Ordinal)
            .ToList();

        var warnings = new List<FsWarning>();
        var view = new DiskView(dir["root"], _ => false, warnings);
        var seen = view.Enumerate().ToList();
        var listed = seen
            .Select(e => $"{e.Path} {Letter(e.Node.Kind)} {(e.Node.Kind == FileKind.Regular ? e.Node.SizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-")} {Convert.ToString(e.Node.Mode, 8)} {e.Node.LinkTarget}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Empty(warnings);
        Assert.Equal(truth, listed);

        // Depth first, each directory's children in ordinal order.
        Assert.Equal(seen.Select(e => e.Path).Order(Comparer<string>.Create(ByComponents)), seen.Select(e => e.Path));
    }

    [Fact]
    public void Should_resolve_paths_as_the_layered_view_of_its_tarball_does()
    {
        using var dir = new TempDir();
        ExternalTools.Bash(dir.Path, Tree + "\ntar -C root -cf tree.tar .");
        var warnings = new List<FsWarning>();
        var disk = new DiskView(dir["root"], _ => false, warnings);
        using var source = ArtifactOpener.Open(dir["tree.tar"], null, warnings);
        var layered = new ArtifactLoader([], new LayerReadOptions()).Load(source, warnings);

        string[] paths =
        [
            "bin/ls", "bin", "lib", "lib/x/libz.so.1", "lib/x/abs-file", "etc/ls-link", "l1", "l1/x", "usr/bin/ls/x",
            "missing/x", "usr/bin/missing", "bin/../etc/ls-link", "usr//bin/ls", "./usr/bin/ls", "usr/lib/x", "lib/x/../../bin/ls",
            "etc", "etc/with space/ünïcode", "deep/a/b/c/up/bin/ls", "deep/a/b/c/up/../etc", "lib/x/abs-file/y", "fifo", "", "..",
            "../../usr/bin/ls", "bin/", "long-target",

            // Directories resolved one step from a remembered parent (each path's parent is the one before's), through a
            // symlinked ancestor too: the resolution must name where the symlink led (usr/lib/x/libz.so.1).
            "deep/x", "deep/a/x", "deep/a/b/x", "deep/a/b/c/leaf", "deep/a/b/c/up/x", "deep/a/b/c/up/lib/x",
            "deep/a/b/c/up/lib/x/libz.so.1", "deep/a/b/c/up/lib/x/abs-file", "deep/a/b/c/up/bin/ls", "usr/lib/x/libz.so.1",
        ];

        // Twice: the second round is answered from what the first remembered (directories, symlinks, parents).
        for (var round = 0; round < 2; round++)
        {
            foreach (var path in paths)
            {
                foreach (var followFinal in new[] { true, false })
                {
                    Assert.Equal(Outcome(layered, path, followFinal), Outcome(disk, path, followFinal));
                }
            }
        }
    }

    private static string Outcome(IFileSystemView view, string path, bool followFinal)
    {
        try
        {
            var node = view.Resolve(path, followFinal, out var resolved);
            return node is null
                ? $"{path} ({followFinal}): missing"
                : $"{path} ({followFinal}): {node.Kind} {(node.Kind == FileKind.Regular ? node.SizeBytes : 0)} {node.LinkTarget} at '{resolved}'";
        }
        catch (SymlinkLoopException)
        {
            return $"{path} ({followFinal}): loop";
        }
    }

    private static string Letter(FileKind kind) => kind switch
    {
        FileKind.Regular => "f",
        FileKind.Directory => "d",
        FileKind.Symlink => "l",
        FileKind.Fifo => "p",
        _ => "?",
    };

    private static int ByComponents(string? a, string? b)
    {
        var x = a!.Split('/');
        var y = b!.Split('/');
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            var c = string.CompareOrdinal(x[i], y[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return x.Length.CompareTo(y.Length);
    }
}
