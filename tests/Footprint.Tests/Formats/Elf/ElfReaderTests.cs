using Footprint.FileSystem;
using Footprint.Formats.Elf;
using Footprint.Pipeline;
using Footprint.Sources;
using Footprint.Tests.TestSupport;
using Footprint.Walk;

namespace Footprint.Tests.Formats.Elf;

/// <summary>
/// Every field of <see cref="ElfSummary"/> against readelf and file(1) on real binaries: the Debian fixture (glibc,
/// x86_64), Alpine minirootfs (musl; x86_64, aarch64, armv7), an OpenWrt rootfs (uClibc, big-endian MIPS,
/// sstrip'ed: no section headers) and a Buildroot rootfs (i386, kernel modules carrying the Buildroot marker).
/// </summary>
public sealed class ElfReaderTests
{
    public sealed class Read
    {
        [Fact]
        public void Should_match_readelf_on_debian_binaries()
        {
            using var dir = new TempDir();
            var files = ElfSamples.Extract(Repo.Fixture("debian/rootfs.tar"), dir.Path, ["usr/bin", "usr/sbin", "usr/lib/x86_64-linux-gnu"], 48);
            Assert.True(files.Count >= 40, $"only {files.Count} ELF files extracted");
            ElfSamples.AssertAllMatch(files);
            Assert.Contains(files, f => ElfSamples.Summarize(f).VersionNeeds.Any(n => n.File == "libc.so.6" && n.Versions.Any(v => v.StartsWith("GLIBC_2.", StringComparison.Ordinal))));
            Assert.Contains(files, f => ElfSamples.Summarize(f).Linkage == ElfLinkage.SharedLibrary);
        }

        [Theory]
        [InlineData("x86_64")]
        [InlineData("aarch64")]
        [InlineData("armv7")]
        public void Should_match_readelf_on_alpine_musl_binaries(string arch)
        {
            using var dir = new TempDir();
            var files = ElfSamples.Extract(Repo.CorpusFile($"alpine/alpine-minirootfs-3.20.3-{arch}.tar.gz"), dir.Path, ["bin", "sbin", "lib", "usr/bin", "usr/lib"], 30);
            Assert.True(files.Count >= 10, $"only {files.Count} ELF files extracted");
            ElfSamples.AssertAllMatch(files);
            Assert.Contains(files, f => ElfSamples.Summarize(f).Interpreter?.StartsWith("/lib/ld-musl-", StringComparison.Ordinal) == true);
        }

        [Fact]
        public void Should_match_readelf_on_sstripped_big_endian_mips()
        {
            using var dir = new TempDir();
            var files = ElfSamples.Extract(Repo.CorpusFile("rootfs-exports/wodim+samknows-squashfs.tar.gz"), dir.Path, ["bin", "sbin", "lib", "usr/bin", "usr/sbin", "usr/lib"], 30);
            Assert.True(files.Count >= 10, $"only {files.Count} ELF files extracted");
            ElfSamples.AssertAllMatch(files);
            var busybox = ElfSamples.Summarize(Path.Combine(dir.Path, "bin/busybox"));
            Assert.Equal("mips", busybox.Machine);
            Assert.False(busybox.HasSectionHeaders);
            Assert.Equal("/lib/ld-uClibc.so.0", busybox.Interpreter);
        }

        [Fact]
        public void Should_match_readelf_on_buildroot_kernel_modules_and_libraries()
        {
            using var dir = new TempDir();
            var files = ElfSamples.Extract(Repo.CorpusFile("images/buildroot-tp/rootfs.tar"), dir.Path, ["lib", "usr/lib", "bin"], 30);
            ElfSamples.AssertAllMatch(files);
            Assert.Contains(files, f => ElfSamples.Summarize(f) is { Type: "REL", Linkage: ElfLinkage.None } s && s.Comments.Any(c => c.Contains("Buildroot", StringComparison.Ordinal)));
        }

        [Fact]
        public void Should_read_the_imports_of_sstripped_files_through_the_dynamic_segment()
        {
            // OpenWrt (aarch64, musl, sstrip'ed): DT_HASH and DT_GNU_HASH both present; readelf -D is the truth.
            using var dir = new TempDir();
            var files = ElfSamples.Extract(Repo.CorpusFile("openwrt/openwrt-armvirt-64-default-rootfs.tar.gz"), dir.Path, ["bin", "sbin", "lib", "usr/bin", "usr/sbin", "usr/lib"], 30);
            Assert.True(files.Count >= 10, $"only {files.Count} ELF files extracted");
            ElfSamples.AssertAllMatch(files);
            var procd = ElfSamples.Summarize(Path.Combine(dir.Path, "sbin/procd"));
            Assert.False(procd.HasSectionHeaders);
            Assert.Null(procd.ImportsUnreadable);
            Assert.NotEmpty(procd.SpawnImports);
        }

        [Fact]
        public void Should_count_the_symbols_of_a_gnu_hash_only_file_without_section_headers()
        {
            // Debian links with --hash-style=gnu only; with its section headers cut off (what sstrip does to the
            // header), the symbol count must come from DT_GNU_HASH's buckets and chains.
            using var dir = new TempDir();
            var files = ElfSamples.Extract(Repo.Fixture("debian/rootfs.tar"), dir.Path, ["usr/bin", "usr/lib/x86_64-linux-gnu"], 40);
            var checkedFiles = 0;
            foreach (var file in files)
            {
                var truth = ReadelfTruth.Read(file);
                var bytes = File.ReadAllBytes(file);
                if (truth.Imports.Count == 0 || ElfSamples.Summarize(file).Linkage == ElfLinkage.None
                    || ExternalTools.Bash("/", $"readelf -d '{file}'").Contains("(HASH)", StringComparison.Ordinal))
                {
                    continue; // a DT_HASH would give the count without the GNU walk
                }

                Array.Clear(bytes, 0x28, 8); // e_shoff
                Array.Clear(bytes, 0x3C, 4); // e_shnum, e_shstrndx
                var cut = ElfReader.Read(bytes, bytes.Length)!;
                var whole = ElfSamples.Summarize(file);
                Assert.False(cut.HasSectionHeaders);
                Assert.Null(cut.ImportsUnreadable);
                Assert.Equal(whole.SpawnImports, cut.SpawnImports);
                Assert.Equal(whole.ImportsDlopen, cut.ImportsDlopen);
                checkedFiles++;
            }

            Assert.True(checkedFiles >= 20, $"only {checkedFiles} GNU-hash-only files checked");
        }

        [Fact]
        public void Should_keep_the_library_strings_of_a_dlopen_importer_as_grep_finds_them()
        {
            using var dir = new TempDir();
            Tool.Output("tar", "-xzf", Repo.CorpusFile("alpine/alpine-minirootfs-3.10.9-x86_64.tar.gz"), "-C", dir.Path, "./lib/libcrypto.so.1.1", "./bin/busybox");
            var libcrypto = Path.Combine(dir.Path, "lib/libcrypto.so.1.1");
            var expected = ExternalTools.Bash("/", $"LC_ALL=C grep -aoE '[ -~]{{4,}}' '{libcrypto}' | awk 'length($0) <= 256 && (/^\\// || /\\.so/)' | LC_ALL=C sort -u")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var summary = ElfSamples.Summarize(libcrypto);
            Assert.True(summary.ImportsDlopen);
            Assert.Contains("/usr/lib/engines-1.1", summary.LibraryStrings!);
            Assert.Equal(expected, summary.LibraryStrings);

            // Not a dlopen importer: nothing scanned, nothing kept.
            Assert.Null(ElfSamples.Summarize(Path.Combine(dir.Path, "bin/busybox")).LibraryStrings);
        }

        [Theory]
        [InlineData("/usr/bin/rg")] // ripgrep, Rust, built by Debian with remapped paths
        [InlineData("/usr/bin/readelf")] // C: no marker
        [InlineData("go/hello")] // Go: no marker
        public void Should_find_the_rust_marker_grep_finds(string file)
        {
            file = file.StartsWith('/') ? new FileInfo(file).ResolveLinkTarget(true)?.FullName ?? file : Repo.Fixture(file);
            Assert.True(File.Exists(file), $"{file} is missing: test.sh installs ripgrep and binutils");
            var commit = ExternalTools.Bash("/", $"grep -aoE -m1 '/rustc/[0-9a-f]{{40}}/' '{file}' | head -1 || true").Trim();
            var remapped = ExternalTools.Bash("/", $"grep -aoE -m1 '/usr/src/rustc-[0-9.]+' '{file}' | head -1 || true").Trim();
            var backtrace = ExternalTools.Bash("/", $"grep -ac RUST_BACKTRACE '{file}' || true").Trim() != "0";
            var expected = commit.Length > 0 ? "rustc " + commit[7..^1]
                : remapped.Length > 0 ? "rustc " + remapped[15..]
                : backtrace ? "RUST_BACKTRACE" : null;
            Assert.Equal(expected, ElfSamples.Summarize(file).RustMarker);
        }

        [Fact]
        public void Should_not_read_non_elf_bytes()
        {
            Assert.Null(ElfReader.Read("#!/bin/sh\necho hello\n"u8.ToArray(), 21));
            Assert.Null(ElfReader.Read(new byte[] { 0x7F, (byte)'E', (byte)'L' }, 3));
            Assert.Null(ElfReader.Read(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'G', 2, 1, 1, 0 }, 8));
        }

        [Fact]
        public void Should_summarise_a_file_with_the_magic_and_a_bad_class_as_damaged()
        {
            var s = ElfReader.Read(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 9, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 16)!;
            Assert.Equal("at offset 4: EI_CLASS 0x09 is neither 1 (ELFCLASS32) nor 2 (ELFCLASS64)", s.Damage);
            Assert.Equal(ElfLinkage.None, s.Linkage);
            Assert.Equal(s.Damage, s.Error);
        }
    }

    public sealed class Malformed
    {
        [Fact]
        public void Should_name_the_offset_of_a_truncated_table_and_keep_the_header()
        {
            var bytes = File.ReadAllBytes(ElfSamples.HostBinary);
            var truth = ReadelfTruth.Read(ElfSamples.HostBinary);
            var cut = bytes[..4096];
            var s = ElfReader.Read(cut, cut.Length)!;
            Assert.Equal(truth.Bits, s.Bits);
            Assert.Equal(truth.MachineCode, s.MachineCode);
            Assert.NotNull(s.Error);
            Assert.Matches("at offset [0-9]+: ", s.Error);
        }

        [Theory]
        [InlineData(0, 0xFFFFFFFFu)] // nbuckets: a bucket table far past the end of the file
        [InlineData(8, 0x7FFFFFFFu)] // bloom size: the buckets pushed past the end
        [InlineData(-1, 0u)] // every chain word even: no chain ends before the end of the file
        public void Should_refuse_a_hostile_gnu_hash_without_throwing_or_reading_past_the_file(int field, uint value)
        {
            // A GNU-hash-only file with its section headers cut off (the sstrip path), then its DT_GNU_HASH damaged.
            var file = ElfSamples.HostBinary;
            var bytes = File.ReadAllBytes(file);
            var gnuHash = ExternalTools.Bash("/", $"LC_ALL=C readelf -SW '{file}' | awk '{{for (i = 1; i <= NF; i++) if ($i == \".gnu.hash\") print $(i + 3)}}'").Trim();
            Assert.True(gnuHash.Length > 0, "no .gnu.hash in " + file);
            var at = Convert.ToInt32(gnuHash, 16);
            Array.Clear(bytes, 0x28, 8);
            Array.Clear(bytes, 0x3C, 4);
            if (field >= 0)
            {
                BitConverter.GetBytes(value).CopyTo(bytes, at + field);
            }
            else
            {
                // Keep the header, zero everything after it: buckets point at symbol 0 and chains never set bit 0.
                var buckets = BitConverter.ToUInt32(bytes, at);
                var bloom = BitConverter.ToUInt32(bytes, at + 8);
                var chains = at + 16 + (int)(bloom * 8) + (int)(buckets * 4);
                BitConverter.GetBytes(uint.MaxValue - 1).CopyTo(bytes, at + 16 + (int)(bloom * 8)); // the last symbol index: far beyond
                Array.Clear(bytes, chains, bytes.Length - chains);
            }

            var s = ElfReader.Read(bytes, bytes.Length)!;
            Assert.False(s.HasSectionHeaders);
            Assert.NotNull(s.ImportsUnreadable);
            Assert.Empty(s.SpawnImports);
            Assert.False(s.ImportsDlopen);
        }

        [Fact]
        public void Should_survive_every_single_byte_corruption_of_the_headers()
        {
            var bytes = File.ReadAllBytes(ElfSamples.HostBinary);
            var copy = new byte[bytes.Length];
            for (var i = 0; i < 512; i++)
            {
                foreach (var value in new byte[] { 0x00, 0xFF, 0x7F, 0x80 })
                {
                    bytes.CopyTo(copy, 0);
                    copy[i] = value;
                    _ = ElfReader.Read(copy, copy.Length); // must not throw
                }
            }
        }

        [Theory]
        [InlineData(4, "at offset 0: the file has 4 bytes, too few for the ELF identification (e_ident, 16 bytes)")]
        [InlineData(10, "at offset 0: the file has 10 bytes, too few for the 64-byte ELF64 header")]
        [InlineData(100, "at offset 32: e_phoff 0x40: the program header table")]
        public void Should_find_the_same_damage_on_disk_as_in_memory(int keep, string damage)
        {
            using var dir = new TempDir();
            var cut = File.ReadAllBytes(ElfSamples.HostBinary)[..keep];
            var path = dir["cut"];
            File.WriteAllBytes(path, cut);
            var inMemory = ElfReader.Read(cut, cut.Length)!;
            using var handle = File.OpenHandle(path);
            var onDisk = ElfReader.Read(handle, keep)!;
            Assert.StartsWith(damage, inMemory.Damage, StringComparison.Ordinal);
            Assert.Equal(inMemory.Damage, onDisk.Damage);
            Assert.Equal(ElfLinkage.None, onDisk.Linkage);
        }

        [Fact]
        public void Should_find_no_damage_in_an_intact_file_or_a_separate_debug_file()
        {
            Assert.Null(ElfSamples.Summarize(ElfSamples.HostBinary).Damage);

            // objcopy --only-keep-debug keeps the program headers of the program it was split from; its .text is NOBITS.
            using var dir = new TempDir();
            var debug = dir["readelf.debug"];
            ExternalTools.Require("objcopy");
            Tool.Output("objcopy", "--only-keep-debug", ElfSamples.HostBinary, debug);
            Assert.Null(ElfSamples.Summarize(debug).Damage);
        }

        [Fact]
        public void Should_mark_a_file_longer_than_the_bytes_read_as_partial()
        {
            var bytes = File.ReadAllBytes(ElfSamples.HostBinary);
            var s = ElfReader.Read(bytes, bytes.Length + 1L)!;
            Assert.True(s.Partial);
        }
    }

    public sealed class Loader
    {
        [Fact]
        public void Should_give_the_same_summary_from_the_layer_stream_as_from_the_extracted_file()
        {
            using var dir = new TempDir();
            var rootfs = Repo.Fixture("debian/rootfs.tar");
            var files = ElfSamples.Extract(rootfs, dir.Path, ["usr/bin", "usr/lib/x86_64-linux-gnu"], 24);
            var warnings = new List<FsWarning>();
            using var source = ArtifactOpener.Open(rootfs, null, warnings);
            var fs = new ArtifactLoader([new InspectEverything()], new LayerReadOptions()).Load(source, warnings);
            foreach (var file in files)
            {
                var relative = Path.GetRelativePath(dir.Path, file);
                var node = fs.Resolve(relative, followFinal: false)!;
                Assert.True(node.Data!.Inspected, relative);
                Assert.Equal(ElfSamples.Describe(ElfSamples.Summarize(file)), ElfSamples.Describe(node.Data.GetElf()!));
            }

            var text = fs.Resolve("etc/os-release")!;
            Assert.True(text.Data!.Inspected);
            Assert.Null(text.Data.GetElf());
        }

        [Fact]
        public void Should_inspect_disk_files_lazily_and_once()
        {
            var data = new FileData(new FileInfo(ElfSamples.HostBinary).Length, 0, 0, 0) { Content = new DiskContent(ElfSamples.HostBinary) };
            Assert.False(data.Inspected);
            var first = data.GetElf();
            Assert.True(data.Inspected);
            Assert.Same(first, data.GetElf());
            Assert.Equal(ReadelfTruth.Read(ElfSamples.HostBinary).Interpreter, first!.Interpreter);
        }

        private sealed class InspectEverything : IAnalyzer
        {
            public string Id => "inspect-everything";

            public int Version => 1;

            public ContentNeed Required(string path, FsNode node) => ContentNeed.Inspect;

            public void Observe(string path, FsNode node, IFileContent? content)
            {
            }
        }
    }
}
