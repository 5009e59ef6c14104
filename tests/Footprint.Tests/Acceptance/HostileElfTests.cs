using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Footprint.Analyzers.Loader;
using Footprint.Tests.Analyzers.Loader;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Acceptance;

/// <summary>
/// Damaged ELF files are lint findings (issue 10, "Lint on damaged binaries"). The rootfs tars are built at test time
/// from real binaries of the corpus: the static-pie BusyBox of the busybox:musl image, and the dynamic BusyBox and the
/// musl loader of the Alpine 3.20.3 minirootfs. Each damage is applied to a copy at its own path, beside the intact
/// originals; each damage is also seen by an independent tool (readelf, file) so the test cannot agree with itself.
/// </summary>
public sealed class HostileElfTests : IClassFixture<HostileElfTests.Images>
{
    private const string Ld = "/lib/ld-musl-x86_64.so.1";

    private readonly Images _images;

    public HostileElfTests(Images images) => _images = images;

    /// <summary>Path in the image, what the finding's detail must say, what readelf or file says of the same bytes.</summary>
    public static TheoryData<string, string, string> Damages => new()
    {
        { "/bin/cut-10", "the file has 10 bytes, too few for the 64-byte ELF64 header", "Failed to read file header" },
        { "/bin/cut-64", "e_phoff 0x40: the program header table (10 entries of 56 bytes) runs past the end of the 64-byte file", "Too many program headers - 0xa - the file is not that big" },
        { "/bin/cut-1000", "program header 0, PT_LOAD at p_offset 0x0 (33008 bytes), runs past the end of the 1000-byte file", "extends past end of file" },
        { "/bin/bad-class", "EI_CLASS 0x03 is neither 1 (ELFCLASS32) nor 2 (ELFCLASS64)", "unknown class 3" },
        { "/bin/bad-data", "EI_DATA 0x00 is neither 1 (little-endian) nor 2 (big-endian)", "invalid byte order" },
        { "/bin/huge-phoff", "e_phoff 0x7fffffffffff0000: the program header table (10 entries of 56 bytes) runs past the end of the 1239304-byte file", "can't read elf program headers at 9223372036854710272" },
        { "/bin/phnum-65535", "e_phnum 65535 program headers of 56 bytes make 3669960 bytes, more than the 65536 the kernel reads", "too many program (65535)" },
        { "/bin/phentsize-0", "e_phentsize 0 is not 56, the size of an ELF64 program header", "corrupted program header size" },
        { "/bin/phentsize-32", "e_phentsize 32 is not 56, the size of an ELF64 program header", "corrupted program header size" },
        { "/usr/bin/interp-out", "program header 1, PT_INTERP at p_offset 0xc6708 (25 bytes), runs past the end of the 808712-byte file", "Unable to find program interpreter name" },
        { "/usr/bin/dynamic-out", "program header 6, PT_DYNAMIC at p_offset 0xc5700 (496 bytes), runs past the end of the 808712-byte file", "DYNAMIC segment past the end" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void Should_report_each_damage_as_an_error_naming_the_path_and_the_field(string path, string detail, string witness)
    {
        var finding = Assert.Single(_images.Damaged.Report.Findings, f => f.Path == path);
        Assert.Equal(("error", "elf-damaged"), (finding.Severity, finding.Code));
        Assert.EndsWith(detail, finding.Detail, StringComparison.Ordinal);
        Assert.Matches("^at offset [0-9]+: ", finding.Detail);
        Assert.Equal(path, Assert.Single(finding.Evidence).Path);

        // Independent ground truth: readelf and file see the same damage in the same bytes.
        Assert.Contains(witness, Independent(_images.Damaged.Extracted(path)), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_report_nothing_else_and_count_no_damaged_file_as_a_program()
    {
        var report = _images.Damaged.Report;
        Assert.Equal(Damages.Select(d => (string)d[0]).Order(StringComparer.Ordinal), report.Findings.Select(f => f.Path).Order(StringComparer.Ordinal));

        // The intact originals: one static-pie BusyBox, one dynamic BusyBox, the musl loader (a shared object); the
        // non-ELF files (three bytes of the magic, a text file) are not ELF at all, so not findings either.
        Assert.Equal(new LintCounts(DynamicExecutables: 1, SharedLibraries: 1, StaticExecutables: 1, Resolved: 2, Scripts: 0), report.Counts);
        foreach (var intact in new[] { "/bin/busybox", "/usr/bin/busybox", Ld })
        {
            Assert.DoesNotContain(Independent(_images.Damaged.Extracted(intact)).Split('\n'), l => l.StartsWith("readelf:", StringComparison.Ordinal) || l.Contains("past the end", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Should_say_that_a_program_cannot_start_when_its_loader_is_damaged()
    {
        var findings = _images.BadLoader.Report.Findings.Select(f => (f.Severity, f.Code, f.Path)).ToList();
        Assert.Equal([("error", "interpreter-damaged", "/bin/busybox"), ("error", "elf-damaged", Ld)], findings);
        var loader = _images.BadLoader.Report.Findings[1];
        Assert.EndsWith("e_phoff 0x40: the program header table (11 entries of 56 bytes) runs past the end of the 200-byte file", loader.Detail, StringComparison.Ordinal);
        var program = _images.BadLoader.Report.Findings[0];
        Assert.StartsWith($"its program interpreter {Ld} is in the image but damaged: at offset 32: e_phoff 0x40", program.Detail, StringComparison.Ordinal);
        Assert.Contains(program.Evidence, e => e.Path == Ld);
        Assert.Contains("Too many program headers - 0xb - the file is not that big", Independent(_images.BadLoader.Extracted(Ld)), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_say_which_programs_and_libraries_need_a_damaged_library()
    {
        // Ground truth: the objects of the intact rootfs that readelf -d shows needing libz.so.1.
        var needers = new List<string>();
        foreach (var file in Directory.EnumerateFiles(_images.Alpine.Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            if (Tool.Run("readelf", "-dW", file).Stdout.Contains("Shared library: [libz.so.1]", StringComparison.Ordinal))
            {
                needers.Add("/" + Path.GetRelativePath(_images.Alpine.Root, file));
            }
        }

        Assert.Equal(["/lib/libapk.so.2.14.0", "/sbin/apk"], needers.Order(StringComparer.Ordinal));
        var findings = _images.Alpine.Report.Findings;
        Assert.Equal(
            [("error", "elf-damaged", "/lib/libz.so.1.3.1"), ("error", "library-damaged", "/sbin/apk"), ("warning", "library-damaged", "/lib/libapk.so.2.14.0")],
            findings.Select(f => (f.Severity, f.Code, f.Path)));
        Assert.EndsWith("runs past the end of the 1000-byte file", findings[0].Detail, StringComparison.Ordinal);
        Assert.StartsWith("libz.so.1 (needed by it) is /lib/libz.so.1, which is damaged: at offset ", findings[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_exit_1_from_lint_on_damaged_files_with_no_stack_trace()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll");
        foreach (var image in new[] { _images.Damaged, _images.BadLoader })
        {
            var (code, stdout, stderr) = Tool.Run("dotnet", cli, "lint", "-q", "-f", "json", "--fail-on", "error", image.Tar);
            Assert.True(code == 1, stderr);
            Assert.Contains("\"elf-damaged\"", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        }
    }

    /// <summary>What readelf (stderr of -hlW) and file say, plus readelf's own segment table checked against the file size.</summary>
    private static string Independent(string file)
    {
        var readelf = Tool.Run("readelf", "-hlW", file);
        var kind = Tool.Run("file", "-b", file).Stdout;
        var size = new FileInfo(file).Length;
        var past = new List<string>();
        foreach (Match m in Regex.Matches(readelf.Stdout, @"^\s+(INTERP|DYNAMIC|LOAD)\s+0x([0-9a-f]+)\s+0x[0-9a-f]+\s+0x[0-9a-f]+\s+0x([0-9a-f]+)", RegexOptions.Multiline))
        {
            if (Convert.ToInt64(m.Groups[2].Value, 16) + Convert.ToInt64(m.Groups[3].Value, 16) > size)
            {
                past.Add($"{m.Groups[1].Value} segment past the end");
            }
        }

        return string.Join('\n', [.. readelf.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), kind, .. past]);
    }

    /// <summary>The two rootfs tars, built once for the class, linted once each.</summary>
    public sealed class Images : IDisposable
    {
        private readonly TempDir _dir = new();

        public Images()
        {
            var staticBusyBox = Member(Repo.CorpusFile("busybox/latest/musl/amd64/rootfs.tar.gz"), "bin/[");
            var alpine = Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");
            var dynamicBusyBox = Member(alpine, "bin/busybox");
            var loader = Member(alpine, "lib/ld-musl-x86_64.so.1");

            Damaged = Build("damaged", new()
            {
                ["bin/busybox"] = staticBusyBox,
                ["bin/cut-10"] = staticBusyBox[..10],
                ["bin/cut-64"] = staticBusyBox[..64],
                ["bin/cut-1000"] = staticBusyBox[..1000],
                ["bin/bad-class"] = Patch(staticBusyBox, 4, [3]),
                ["bin/bad-data"] = Patch(staticBusyBox, 5, [0]),
                ["bin/huge-phoff"] = Patch(staticBusyBox, 32, U64(0x7fffffffffff0000)),
                ["bin/phnum-65535"] = Patch(staticBusyBox, 56, U16(65535)),
                ["bin/phentsize-0"] = Patch(staticBusyBox, 54, U16(0)),
                ["bin/phentsize-32"] = Patch(staticBusyBox, 54, U16(32)),
                ["bin/three-bytes"] = [0x7F, (byte)'E', (byte)'L'],
                ["bin/text"] = "hello, not a program\n"u8.ToArray(),
                ["usr/bin/busybox"] = dynamicBusyBox,

                // Program header 1 is PT_INTERP and 6 is PT_DYNAMIC (readelf -l); p_offset is 8 bytes into an Elf64_Phdr.
                ["usr/bin/interp-out"] = Patch(dynamicBusyBox, 64 + (56 * 1) + 8, U64((ulong)dynamicBusyBox.Length + 0x1000)),
                ["usr/bin/dynamic-out"] = Patch(dynamicBusyBox, 64 + (56 * 6) + 8, U64((ulong)dynamicBusyBox.Length - 8)),
                ["lib/ld-musl-x86_64.so.1"] = loader,
            });
            Alpine = Rewrite(alpine, "alpine-cut-libz", "lib/libz.so.1.3.1", bytes => bytes[..1000]);
            BadLoader = Build("bad-loader", new()
            {
                ["bin/busybox"] = dynamicBusyBox,
                ["lib/ld-musl-x86_64.so.1"] = loader[..200],
            });
        }

        public Image Damaged { get; }

        /// <summary>The Alpine 3.20.3 minirootfs with lib/libz.so.1.3.1 cut to 1,000 bytes (extracted intact, for readelf).</summary>
        public Image Alpine { get; }

        public Image BadLoader { get; }

        public void Dispose() => _dir.Dispose();

        private Image Build(string name, Dictionary<string, byte[]> files)
        {
            var root = Path.Combine(_dir.Path, name);
            var tar = Path.Combine(_dir.Path, name + ".tar");
            using (var stream = File.Create(tar))
            using (var writer = new TarWriter(stream, TarEntryFormat.Pax))
            {
                foreach (var (path, bytes) in files)
                {
                    var file = Path.Combine(root, path);
                    Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                    File.WriteAllBytes(file, bytes);
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path)
                    {
                        Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
                        DataStream = new MemoryStream(bytes),
                    });
                }
            }

            return new Image(tar, root, LintRun.Of(tar).Report);
        }

        /// <summary>A copy of a rootfs .tar.gz with one member's bytes changed; the original is extracted beside it.</summary>
        private Image Rewrite(string archive, string name, string member, Func<byte[], byte[]> change)
        {
            var root = Path.Combine(_dir.Path, name);
            var tar = Path.Combine(_dir.Path, name + ".tar");
            Directory.CreateDirectory(root);
            Tool.Output("tar", "-xzf", archive, "-C", root, "--no-same-owner");
            using (var gzip = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress))
            using (var reader = new TarReader(gzip))
            using (var output = File.Create(tar))
            using (var writer = new TarWriter(output, TarEntryFormat.Pax))
            {
                while (reader.GetNextEntry(copyData: true) is { } entry)
                {
                    if (entry.Name.TrimStart('.', '/') == member && entry.DataStream is { } data)
                    {
                        using var copy = new MemoryStream();
                        data.CopyTo(copy);
                        entry.DataStream = new MemoryStream(change(copy.ToArray()));
                    }

                    writer.WriteEntry(entry);
                }
            }

            return new Image(tar, root, LintRun.Of(tar).Report);
        }

        /// <summary>The bytes of one regular member of a .tar.gz (GNU tar names them "./bin/[" or "bin/[").</summary>
        private static byte[] Member(string archive, string name)
        {
            using var gzip = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.Name.TrimStart('.', '/') == name && entry.DataStream is { } data)
                {
                    using var copy = new MemoryStream();
                    data.CopyTo(copy);
                    return copy.ToArray();
                }
            }

            throw new InvalidOperationException($"{name} is not a regular file of {archive}");
        }

        private static byte[] Patch(byte[] original, int offset, byte[] value)
        {
            var copy = original.ToArray();
            value.CopyTo(copy, offset);
            return copy;
        }

        private static byte[] U16(ushort value)
        {
            var b = new byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(b, value);
            return b;
        }

        private static byte[] U64(ulong value)
        {
            var b = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(b, value);
            return b;
        }
    }

    /// <summary>A built rootfs tar, the same files extracted for the independent tools, and the lint report.</summary>
    public sealed record Image(string Tar, string Root, LintReport Report)
    {
        public string Extracted(string path) => Path.Combine(Root, path.TrimStart('/'));
    }
}
