using System.Formats.Tar;
using Footprint.FileSystem;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Acceptance;

/// <summary>
/// Trees shaped to hurt: paths tens of thousands of directories deep, one enormous name, symlink chains, a symlink
/// target longer than Linux allows. Within <see cref="ImagePath.MaxComponents"/> and <see cref="ImagePath.MaxPathBytes"/>
/// the figures are exact; past them the entry is skipped with a warning naming the archive and offset, like a name
/// that climbs out of the root. (Times are measured by hand, not here: see the report of issue 10.)
/// </summary>
public sealed class HostileTreeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(2_000)]
    [InlineData(ImagePath.MaxComponents)]
    public void Should_count_a_file_exactly_at_any_depth_within_the_limit(int components)
    {
        var path = WriteTar($"deep{components}.tar", w =>
        {
            AddFile(w, DeepName(components), "hello");
            AddFile(w, "etc/ok", "fine");
        });
        var report = Load.Measure(path);
        Assert.Empty(report.Warnings);
        Assert.Equal(2, report.Installed.Files);
        Assert.Equal(9, report.Installed.ApparentBytes);

        // "a" .. "a/.../a" above the file, plus "etc".
        Assert.Equal(components - 1 + 1, report.Installed.Directories);
    }

    [Theory]
    [InlineData(ImagePath.MaxComponents + 1)]
    [InlineData(20_000)]
    [InlineData(40_000)]
    [InlineData(100_000)]
    [InlineData(400_000)]
    public void Should_skip_a_path_deeper_than_the_limit_with_a_warning(int components)
    {
        var path = WriteTar($"deep{components}.tar", w =>
        {
            AddFile(w, "etc/ok", "fine");
            AddFile(w, DeepName(components), "hello");
        });
        var report = Load.Measure(path);
        var warning = Assert.Single(report.Warnings);
        Assert.Equal("path-too-long", warning.Code);
        Assert.Equal(path, warning.Source);
        Assert.True(warning.Offset > 0);
        Assert.Contains($"{components} components", warning.Message, StringComparison.Ordinal);

        // The name is quoted cut short, never whole.
        Assert.True(warning.Message.Length < 400, warning.Message);
        Assert.True(warning.Path!.Length < 200, warning.Path);
        Assert.Equal(1, report.Installed.Files);
        Assert.Equal(4, report.Installed.ApparentBytes);
        Assert.Equal(1, report.Installed.Directories);
    }

    [Fact]
    public void Should_skip_one_name_longer_than_the_byte_limit()
    {
        var path = WriteTar("long-name.tar", w =>
        {
            AddFile(w, "dir/" + new string('x', ImagePath.MaxPathBytes), "too long");
            AddFile(w, "dir/" + new string('y', ImagePath.MaxPathBytes - 4), "fits");
        });
        var report = Load.Measure(path);
        var warning = Assert.Single(report.Warnings);
        Assert.Equal("path-too-long", warning.Code);
        Assert.Contains($"{ImagePath.MaxPathBytes + 4} bytes", warning.Message, StringComparison.Ordinal);
        Assert.Equal(1, report.Installed.Files);
        Assert.Equal(4, report.Installed.ApparentBytes);
    }

    [Fact]
    public void Should_count_bytes_not_characters_against_the_limit()
    {
        // 'é' is two bytes in UTF-8: 6000 of them are 12,000 bytes (fits), 9000 are 18,000 (does not).
        var path = WriteTar("utf8.tar", w =>
        {
            AddFile(w, new string('é', 6000), "a");
            AddFile(w, new string('é', 9000), "bb");
        });
        var report = Load.Measure(path);
        Assert.Equal("path-too-long", Assert.Single(report.Warnings).Code);
        Assert.Equal(1, report.Installed.ApparentBytes);
    }

    [Fact]
    public void Should_skip_a_symlink_whose_target_is_longer_than_linux_allows()
    {
        var path = WriteTar("long-target.tar", w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "long") { LinkName = string.Join('/', Enumerable.Repeat("a", 2049)) });
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "fits") { LinkName = string.Join('/', Enumerable.Repeat("a", 2047)) + "b" });
        });
        var report = Load.Measure(path);
        var warning = Assert.Single(report.Warnings);
        Assert.Equal("symlink-target-too-long", warning.Code);
        Assert.Equal("long", warning.Path);
        Assert.Equal(1, report.Installed.Symlinks);
    }

    [Theory]
    [InlineData(LayeredFileSystem.MaxSymlinkHops, false)]
    [InlineData(LayeredFileSystem.MaxSymlinkHops + 1, true)]
    public void Should_follow_a_symlink_chain_up_to_the_kernel_limit(int links, bool loops)
    {
        // l0 -> l1 -> ... -> l{links-1} -> file
        var path = WriteTar($"chain{links}.tar", w =>
        {
            for (var i = 0; i < links; i++)
            {
                w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, $"l{i}") { LinkName = i == links - 1 ? "file" : $"l{i + 1}" });
            }

            AddFile(w, "file", "end");
        });
        var (fs, _) = Load.FileSystem(path);
        if (loops)
        {
            Assert.Throws<SymlinkLoopException>(() => fs.Resolve("l0"));
        }
        else
        {
            Assert.Same(fs.FindSquashed("file"), fs.Resolve("l0"));
        }

        var report = Load.Measure(path);
        Assert.Equal(loops ? new[] { "/l0" } : Array.Empty<string>(), report.Warnings.Where(x => x.Code == "symlink-loop").Select(x => x.Path!));
    }

    [Fact]
    public void Should_resolve_a_symlink_whose_target_is_a_long_path()
    {
        // A 2,000-component target ("a/a/.../a/file") through a 2,000-deep tree; and 600 ".." up from its bottom, then down again.
        var deep = DeepName(2_000);
        var path = WriteTar("long-resolve.tar", w =>
        {
            AddFile(w, deep + "/file", "x");
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "down") { LinkName = deep + "/file" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, deep + "/up") { LinkName = string.Concat(Enumerable.Repeat("../", 600)) + DeepName(600) + "/file" });
        });
        var (fs, warnings) = Load.FileSystem(path);
        Assert.Empty(warnings);
        var file = fs.FindSquashed(deep + "/file");
        Assert.NotNull(file);
        Assert.Same(file, fs.Resolve("down"));
        Assert.Same(file, fs.Resolve(deep + "/up"));
    }

    private static string DeepName(int components) => string.Join('/', Enumerable.Repeat("a", components));

    private string WriteTar(string name, Action<TarWriter> fill)
    {
        var path = _dir.File(name);
        using var file = File.Create(path);
        using (var w = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: true))
        {
            fill(w);
        }

        return path;
    }

    private static void AddFile(TarWriter w, string name, string content)
        => w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)) });
}
