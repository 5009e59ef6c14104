using System.Formats.Tar;
using System.IO.Compression;
using Footprint.Formats;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Acceptance;

/// <summary>
/// Hostile and broken artifacts: each gives a clear error or a recorded warning naming the file and
/// the offset or path, never a crash, a hang or an allocation sized by a claimed length.
/// </summary>
[Collection(MemoryCollection.Name)]
public sealed class BadInputTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Should_warn_about_names_that_climb_out_of_the_root(bool gzip)
    {
        var path = WriteTar("traversal.tar", gzip, w =>
        {
            AddFile(w, "etc/ok", "fine");
            AddFile(w, "../../etc/evil", "escape attempt");
            AddFile(w, "usr/../../evil2", "escape attempt");
        });
        var report = Load.Measure(path);
        var warnings = report.Warnings.Where(x => x.Code == "path-traversal").ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, x => x.Path == "../../etc/evil" && x.Offset > 0 && x.Source == path);
        Assert.Equal(1, report.Installed.Files);
        Assert.Equal(4, report.Installed.ApparentBytes);
    }

    [Fact]
    public void Should_read_absolute_names_inside_the_root_and_say_so()
    {
        var path = WriteTar("absolute.tar", false, w => AddFile(w, "/etc/shadow", "root::0:0"));
        var (fs, warnings) = Load.FileSystem(path);
        Assert.NotNull(fs.FindSquashed("etc/shadow"));
        var warning = Assert.Single(warnings, x => x.Code == "absolute-path");
        Assert.Equal("/etc/shadow", warning.Path);
        Assert.Equal(0, warning.Offset);
    }

    [Fact]
    public void Should_report_a_symlink_loop_and_finish()
    {
        var path = WriteTar("loop.tar", false, w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "a") { LinkName = "b" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "b") { LinkName = "/a" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "self") { LinkName = "self/x" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "etc") { LinkName = "etc" });
        });
        var report = Load.Measure(path);
        var loops = report.Warnings.Where(x => x.Code == "symlink-loop").Select(x => x.Path).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["/a", "/b", "/etc", "/self"], loops);
        Assert.Null(report.Identity.Os);
    }

    [Fact]
    public void Should_warn_about_hard_links_to_missing_or_outside_targets()
    {
        var path = WriteTar("links.tar", false, w =>
        {
            AddFile(w, "bin/real", "12345");
            w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "bin/good") { LinkName = "bin/real" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "bin/missing") { LinkName = "bin/nothing" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "bin/outside") { LinkName = "../../../etc/passwd" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "dir"));
            w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "bin/todir") { LinkName = "dir" });
        });
        var report = Load.Measure(path);
        Assert.Contains(report.Warnings, x => x.Code == "hardlink-missing" && x.Path == "bin/missing" && x.Offset > 0);
        Assert.Contains(report.Warnings, x => x.Code == "hardlink-outside" && x.Path == "bin/outside");
        Assert.Contains(report.Warnings, x => x.Code == "hardlink-directory" && x.Path == "bin/todir");
        Assert.Equal(5, report.Installed.ApparentBytes);
        Assert.Equal(1, report.Installed.HardLinks);
    }

    [Fact]
    public void Should_fail_clearly_on_a_truncated_gzip_layer()
    {
        var whole = WriteTar("whole.tar", true, w =>
        {
            for (var i = 0; i < 50; i++)
            {
                AddFile(w, $"f{i}", new string((char)('a' + (i % 26)), 20_000 + (i * 7919)));
            }
        });
        var bytes = File.ReadAllBytes(whole);
        var cut = _dir.File("cut.tar.gz");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure(cut));
        Assert.Contains(cut, e.Message, StringComparison.Ordinal);
        Assert.Contains("offset", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_fail_clearly_when_a_gzip_layer_is_cut_at_an_entry_boundary()
    {
        // Cut exactly after the last file's data, before the end-of-archive zero blocks: every entry
        // parses and GZipStream ends silently, but the missing end-of-archive marker is still an error.
        var tar = new MemoryStream();
        using (var w = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            w.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "etc/a") { DataStream = new MemoryStream(new byte[512]) });
            w.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "etc/b") { DataStream = new MemoryStream(new byte[512]) });
        }

        var bytes = tar.ToArray();
        var cut = bytes.Length - 1024;
        Assert.All(bytes[cut..], b => Assert.Equal(0, b));
        var path = _dir.File("cut-at-boundary.tar.gz");
        using (var file = File.Create(path))
        using (var gz = new GZipStream(file, CompressionLevel.Optimal))
        {
            gz.Write(bytes, 0, cut);
        }

        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure(path));
        Assert.Equal(cut, e.Offset);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_fail_clearly_on_a_wrong_header_checksum()
    {
        var path = WriteTar("sum.tar", false, w =>
        {
            AddFile(w, "etc/a", "aaaa");
            AddFile(w, "etc/b", "bbbb");
        });
        var bytes = File.ReadAllBytes(path);

        // The last block with the ustar magic (offset 257) is the second file's own header: change its name.
        var at = Enumerable.Range(0, bytes.Length / 512).Select(i => i * 512).Last(o => bytes.AsSpan(o + 257, 5).SequenceEqual("ustar"u8));
        bytes[at + 1] ^= 0x20;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure(path));
        Assert.Contains("checksum", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Equal(at, e.Offset);
    }

    [Fact]
    public void Should_stop_a_1_to_1000_decompression_bomb_with_the_default_limit()
    {
        var bomb = _dir.File("bomb.tar.gz");

        // One 400 MB file of zeros: gzip -9 turns it into ~400 KB, a ratio near 1000.
        Tool.Shell($"cd '{_dir.Path}' && truncate -s 400M zeros && tar --format=gnu -cf - zeros | gzip -9 > '{bomb}' && rm zeros");
        var ratio = 400.0 * (1 << 20) / new FileInfo(bomb).Length;
        Assert.True(ratio > 900, $"bomb ratio is only {ratio:F0}");
        var before = GC.GetTotalAllocatedBytes();
        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure(bomb));
        Assert.Contains("bomb", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(bomb, e.Message, StringComparison.Ordinal);
        Assert.True(GC.GetTotalAllocatedBytes() - before < 256L << 20, "the bomb's content must be streamed, not held");
    }

    [Fact]
    public void Should_measure_100k_tiny_entries()
    {
        var path = _dir.File("many.tar.gz");
        using (var file = File.Create(path))
        using (var gz = new GZipStream(file, CompressionLevel.Fastest))
        using (var w = new TarWriter(gz, TarEntryFormat.Ustar))
        {
            for (var d = 0; d < 100; d++)
            {
                w.WriteEntry(new UstarTarEntry(TarEntryType.Directory, $"d{d}/"));
                for (var i = 0; i < 1000; i++)
                {
                    var e = new UstarTarEntry(TarEntryType.RegularFile, $"d{d}/f{i}") { DataStream = new MemoryStream([(byte)i]) };
                    w.WriteEntry(e);
                }
            }
        }

        var report = Load.Measure(path);
        Assert.Equal(100_000, report.Installed.Files);
        Assert.Equal(100_000, report.Installed.ApparentBytes);
        Assert.Equal(100, report.Installed.Directories);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void Should_name_the_missing_blob_a_manifest_points_at()
    {
        var layout = _dir.File("layout");
        Tool.Output("cp", "-r", Repo.Fixture("scratch-busybox/oci"), layout);
        var healthy = Load.Measure("oci:" + layout);
        var layer = healthy.Download.Layers[0].Digest!;
        File.Delete(Path.Combine(layout, "blobs", "sha256", layer["sha256:".Length..]));
        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure("oci:" + layout));
        Assert.Contains(layer, e.Message, StringComparison.Ordinal);
        Assert.Contains("missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_a_blob_whose_content_does_not_match_its_digest()
    {
        var layout = _dir.File("layout");
        Tool.Output("cp", "-r", Repo.Fixture("scratch-busybox/oci"), layout);
        var index = File.ReadAllText(Path.Combine(layout, "index.json"));
        var manifestDigest = System.Text.RegularExpressions.Regex.Match(index, "sha256:[0-9a-f]{64}").Value;
        var manifestPath = Path.Combine(layout, "blobs", "sha256", manifestDigest["sha256:".Length..]);
        File.AppendAllText(manifestPath, " ");
        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure("oci:" + layout));
        Assert.Contains(manifestDigest, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_reject_garbage_with_the_file_name()
    {
        var path = _dir.File("garbage.bin");
        File.WriteAllBytes(path, Enumerable.Range(0, 4096).Select(i => (byte)(i * 31)).ToArray());
        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    private string WriteTar(string name, bool gzip, Action<TarWriter> fill)
    {
        var path = _dir.File(gzip ? name + ".gz" : name);
        using var file = File.Create(path);
        using Stream target = gzip ? new GZipStream(file, CompressionLevel.Optimal) : file;
        using (var w = new TarWriter(target, TarEntryFormat.Pax, leaveOpen: true))
        {
            fill(w);
        }

        return path;
    }

    private static void AddFile(TarWriter w, string name, string content)
        => w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)) });
}
