using System.Globalization;
using System.Text;
using Footprint.Formats;
using Footprint.Formats.Compression;
using Footprint.Formats.Tar;

namespace Footprint.Tests.Formats.Tar;

public sealed class TarArchiveReaderTests
{
    private static readonly string LongName = "long-directory-name-" + new string('d', 60) + "/" + "file-with-a-long-name-" + new string('f', 80) + ".txt";
    private static readonly string LongTarget = "../" + new string('t', 120) + "/target";

    private sealed record ReadEntry(FileEntry Entry, string? Sha256);

    private static List<ReadEntry> ReadAll(string tarPath)
    {
        using FileStream file = File.OpenRead(tarPath);
        return ReadAll(file, tarPath);
    }

    private static List<ReadEntry> ReadAll(Stream stream, string source)
    {
        var result = new List<ReadEntry>();
        using var reader = new TarArchiveReader(stream, source, leaveOpen: true);
        while (reader.GetNextEntry() is { } entry)
        {
            string? sha = null;
            if (entry.Kind == FileKind.Regular)
            {
                using Stream data = reader.OpenData();
                sha = ExternalTools.Sha256(data);
            }

            result.Add(new ReadEntry(entry, sha));
        }

        return result;
    }

    private static string Normalize(string name) => name.TrimStart('.').TrimStart('/').TrimEnd('/');

    /// <summary>
    /// Compares every entry with what GNU tar lists (names, in order) and extracts (kind, size, mode, owner, mtime,
    /// link target, content hash, device numbers).
    /// </summary>
    private static void AssertMatchesGnuTar(TempDir tmp, string tarPath, List<ReadEntry> entries)
    {
        string listing = ExternalTools.Bash(tmp.Path, $"tar -tf '{tarPath}'");
        string[] names = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(names, entries.Select(e => e.Entry.Name).ToArray());

        string outDir = tmp["extracted-" + Path.GetFileName(tarPath)];
        ExternalTools.Bash(tmp.Path, $"rm -rf '{outDir}' && mkdir '{outDir}' && tar -xpf '{tarPath}' --xattrs --xattrs-include='*' --numeric-owner -C '{outDir}'");
        string found = ExternalTools.Bash(outDir, "find . -printf '%P\\t%y\\t%U\\t%G\\t%m\\t%s\\t%i\\t%T@\\t%l\\n'");
        var fs = found.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t'))
            .ToDictionary(f => f[0], f => f);

        foreach ((FileEntry e, string? sha) in entries)
        {
            string path = Normalize(e.Name);
            Assert.True(fs.TryGetValue(path, out string[]? f), $"'{path}' was not extracted by GNU tar");
            string type = f![1];
            string expectedType = e.Kind switch
            {
                FileKind.Regular or FileKind.HardLink => "f",
                FileKind.Directory => "d",
                FileKind.Symlink => "l",
                FileKind.CharDevice => "c",
                FileKind.BlockDevice => "b",
                FileKind.Fifo => "p",
                _ => "?",
            };
            Assert.True(expectedType == type, $"{path}: kind {e.Kind} but extracted type {type}");
            Assert.Equal(long.Parse(f[2], CultureInfo.InvariantCulture), e.Uid);
            Assert.Equal(long.Parse(f[3], CultureInfo.InvariantCulture), e.Gid);
            if (e.Kind != FileKind.Symlink)
            {
                Assert.True(Convert.ToInt32(f[4], 8) == e.Mode, $"{path}: mode {Convert.ToString(e.Mode, 8)} but extracted {f[4]}");
            }

            if (e.Kind is not (FileKind.Directory or FileKind.Symlink))
            {
                long mtime = (long)Math.Floor(double.Parse(f[7], CultureInfo.InvariantCulture));
                Assert.Equal(mtime, e.ModificationTime.ToUnixTimeSeconds());
            }

            switch (e.Kind)
            {
                case FileKind.Regular:
                    Assert.Equal(long.Parse(f[5], CultureInfo.InvariantCulture), e.SizeBytes);
                    Assert.True(sha == ExternalTools.Sha256File(Path.Combine(outDir, path)), $"{path}: content differs");
                    break;
                case FileKind.Symlink:
                    Assert.Equal(f[8], e.LinkTarget);
                    break;
                case FileKind.HardLink:
                    Assert.True(fs.TryGetValue(Normalize(e.LinkTarget!), out string[]? target), $"hard link target '{e.LinkTarget}' missing");
                    Assert.True(target![6] == f[6], $"{path}: not the same inode as {e.LinkTarget}");
                    break;
                case FileKind.CharDevice or FileKind.BlockDevice:
                    string[] dev = ExternalTools.Bash(outDir, $"stat -c '%t %T' '{path}'").Trim().Split(' ');
                    Assert.Equal(Convert.ToInt32(dev[0], 16), e.DeviceMajor);
                    Assert.Equal(Convert.ToInt32(dev[1], 16), e.DeviceMinor);
                    break;
            }
        }
    }

    private static void MakeTree(TempDir tmp, bool longNames)
    {
        ExternalTools.Bash(tmp.Path, $$"""
            mkdir -p tree/dir/sub tree/sticky
            printf 'hello\n' > tree/dir/hello.txt
            : > tree/empty
            head -c 70000 /dev/urandom > tree/dir/sub/random.bin
            printf '#!/bin/sh\n' > tree/setuid && chmod 4755 tree/setuid
            chmod 2750 tree/dir/sub && chmod 1777 tree/sticky
            chown 1234:5678 tree/dir/hello.txt
            ln -s dir/hello.txt tree/link
            ln tree/dir/hello.txt tree/hard
            mkfifo tree/fifo
            mknod tree/null c 1 3
            mknod tree/loop b 7 0
            if {{(longNames ? "true" : "false")}}; then
              mkdir -p "tree/$(dirname '{{LongName}}')"
              printf 'long\n' > "tree/{{LongName}}"
              ln -s '{{LongTarget}}' tree/longlink
              ln "tree/{{LongName}}" tree/hard-to-long
            fi
            """);
    }

    [Collection(Footprint.Tests.TestSupport.MemoryCollection.Name)]
    public sealed class GetNextEntry
    {
        [Theory]
        [InlineData("ustar", false)]
        [InlineData("gnu", true)]
        [InlineData("pax", true)]
        [InlineData("posix", true)]
        [InlineData("v7", false)]
        public void Should_ReadEveryEntryLikeGnuTar_When_ArchiveUsesFormat(string format, bool longNames)
        {
            ExternalTools.Require("tar", "mknod", "find");
            ExternalTools.RequireRoot();
            using var tmp = new TempDir();
            MakeTree(tmp, longNames);
            if (format == "v7")
            {
                // v7 has no device, fifo or owner-name fields; keep to files, directories and links.
                ExternalTools.Bash(tmp.Path, "rm tree/null tree/loop tree/fifo");
            }

            ExternalTools.Bash(tmp.Path, $"tar --format={format} -cf t.tar -C tree .");

            List<ReadEntry> entries = ReadAll(tmp["t.tar"]);

            AssertMatchesGnuTar(tmp, tmp["t.tar"], entries);
            Assert.Contains(entries, e => e.Entry.Kind == FileKind.HardLink && e.Entry.LinkTarget == "./dir/hello.txt");
            Assert.Contains(entries, e => e.Entry.Kind == FileKind.Symlink && e.Entry.LinkTarget == "dir/hello.txt");
            Assert.Contains(entries, e => e.Entry.Name == "./setuid" && e.Entry.Mode == Convert.ToInt32("4755", 8));
            if (format != "v7")
            {
                Assert.Contains(entries, e => e.Entry.Kind == FileKind.CharDevice && e.Entry.DeviceMajor == 1 && e.Entry.DeviceMinor == 3);
                Assert.Contains(entries, e => e.Entry.Kind == FileKind.BlockDevice && e.Entry.DeviceMajor == 7 && e.Entry.DeviceMinor == 0);
                Assert.Contains(entries, e => e.Entry.Kind == FileKind.Fifo);
            }

            if (longNames)
            {
                Assert.Contains(entries, e => e.Entry.Name == "./" + LongName);
                Assert.Contains(entries, e => e.Entry.Kind == FileKind.Symlink && e.Entry.LinkTarget == LongTarget);
                // Whichever of the two names tar meets first is stored as the file, the other as a link to it.
                Assert.Contains(entries, e => e.Entry.Kind == FileKind.HardLink && (e.Entry.LinkTarget == "./" + LongName || e.Entry.Name == "./" + LongName));
            }

            // Offsets are block aligned, increasing, and the first entry starts the archive.
            Assert.Equal(0, entries[0].Entry.Offset);
            Assert.All(entries, e => Assert.Equal(0, e.Entry.Offset % 512));
            Assert.True(entries.Zip(entries.Skip(1)).All(p => p.First.Entry.Offset < p.Second.Entry.Offset));
        }

        [Fact]
        public void Should_ReturnRawXattrBytes_When_PaxArchiveHasBinaryCapability()
        {
            ExternalTools.Require("tar", "setfattr", "getfattr", "setcap");
            using var tmp = new TempDir();
            ExternalTools.Bash(tmp.Path, """
                mkdir tree && printf 'x' > tree/ping
                setfattr -n user.comment -v 'hello world' tree/ping
                setcap cap_net_raw+ep tree/ping
                tar --format=pax --xattrs --xattrs-include='*' -cf t.tar -C tree ping
                """);
            string hex = ExternalTools.Bash(tmp.Path, "getfattr --only-values -n security.capability -e hex tree/ping | xxd -p 2>/dev/null || getfattr -n security.capability -e hex tree/ping | sed -n 's/^security.capability=0x//p'").Trim();
            byte[] expectedCapability = Convert.FromHexString(hex.Replace("\n", "", StringComparison.Ordinal));

            List<ReadEntry> entries = ReadAll(tmp["t.tar"]);

            FileEntry ping = Assert.Single(entries).Entry;
            Assert.Equal("hello world"u8.ToArray(), ping.Xattrs["user.comment"]);
            Assert.Equal(expectedCapability, ping.Xattrs["security.capability"]);
            Assert.Equal(20, ping.Xattrs["security.capability"].Length); // VFS_CAP_REVISION_2: magic_etc + 2 x (permitted, inheritable)
            Assert.Equal(0, ping.Offset);
            AssertMatchesGnuTar(tmp, tmp["t.tar"], entries);
        }

        [Theory]
        [InlineData("--format=pax --sparse --sparse-version=0.0")]
        [InlineData("--format=pax --sparse --sparse-version=0.1")]
        [InlineData("--format=pax --sparse --sparse-version=1.0")]
        [InlineData("--format=gnu --sparse")]
        public void Should_ReconstructSparseFile_When_ArchiveUsesSparseFormat(string options)
        {
            ExternalTools.Require("tar", "truncate");
            using var tmp = new TempDir();

            // 30 data runs: more than the 4 entries of an old GNU header, so extension blocks are exercised too. 1 MiB
            // holes between them (32 MiB in all): the map and its runs are the point, and a 1 GiB file made tar, sha256sum
            // and the reader each go through 1 GiB of zeros (4-5 s a case, in the serial memory collection).
            ExternalTools.Bash(tmp.Path, """
                mkdir tree && truncate -s 32M tree/sparse.img
                for i in $(seq 0 29); do
                  printf "chunk-$i" | dd of=tree/sparse.img bs=1 seek=$((i * 1048576 + i * 777)) conv=notrunc status=none
                done
                printf 'after\n' > tree/after.txt
                """);
            ExternalTools.Bash(tmp.Path, $"tar {options} -cf t.tar -C tree sparse.img after.txt");
            string expectedSha = ExternalTools.Sha256File(tmp["tree/sparse.img"]);

            List<ReadEntry> entries = ReadAll(tmp["t.tar"]);

            Assert.Equal(2, entries.Count);
            (FileEntry sparse, string? sha) = entries[0];
            Assert.Equal("sparse.img", sparse.Name);
            Assert.Equal(FileKind.Regular, sparse.Kind);
            Assert.Equal(32L << 20, sparse.SizeBytes);
            Assert.NotNull(sparse.DataBytes);
            Assert.InRange(sparse.DataBytes!.Value, 30 * 8, 30 * 2 * 4096);
            Assert.Equal(expectedSha, sha);
            Assert.Equal("after.txt", entries[1].Entry.Name);
            Assert.Equal(ExternalTools.Sha256File(tmp["tree/after.txt"]), entries[1].Sha256);
        }

        [Theory]
        [InlineData("ustar", 1)]
        [InlineData("pax", 0)]
        [InlineData("gnu", 0)]
        public void Should_ThrowWithOffset_When_HeaderChecksumIsWrong(string format, int headerIndex)
        {
            ExternalTools.Require("tar");
            using var tmp = new TempDir();

            // For pax and gnu the first header is the extended one ('x' for the long path, 'L' for the long name).
            string second = format == "ustar" ? "second" : LongName;
            ExternalTools.Bash(tmp.Path, $"""
                mkdir -p "tree/$(dirname '{second}')"
                printf 'first\n' > tree/first
                printf 'long\n' > "tree/{second}"
                tar --format={format} -cf t.tar -C tree first '{second}'
                """);
            byte[] bytes = File.ReadAllBytes(tmp["t.tar"]);
            long headerOffset = FindHeader(bytes, headerIndex, format);
            bytes[headerOffset + 5] ^= 0x01; // a byte of the name field
            File.WriteAllBytes(tmp["bad.tar"], bytes);

            var ex = Assert.Throws<FootprintFormatException>(() => ReadAll(tmp["bad.tar"]));

            Assert.Contains("checksum", ex.Message);
            Assert.Contains($"offset {headerOffset}", ex.Message);
            Assert.Equal(headerOffset, ex.Offset);
        }

        // ustar: header 0 'first' (+1 data block), header 1 at 1024. pax/gnu: the extended header of the second file.
        private static long FindHeader(byte[] tar, int headerIndex, string format)
        {
            if (format == "ustar")
            {
                return headerIndex * 1024;
            }

            byte wanted = format == "gnu" ? (byte)'L' : (byte)'x';
            for (long at = 0; at < tar.Length; at += 512)
            {
                if (tar[at + 156] == wanted && (format == "gnu" || Encoding.ASCII.GetString(tar, (int)at, 100).Contains(new string('d', 10), StringComparison.Ordinal)))
                {
                    return at;
                }
            }

            throw new InvalidOperationException("extended header not found");
        }

        [Fact]
        public void Should_AcceptSignedChecksum_When_WriterSummedSignedBytes()
        {
            ExternalTools.Require("tar");
            using var tmp = new TempDir();
            ExternalTools.Bash(tmp.Path, "mkdir tree && printf 'x' > tree/f && tar --format=ustar -cf t.tar -C tree f");
            byte[] bytes = File.ReadAllBytes(tmp["t.tar"]);

            // Put a byte >= 0x80 in the (unused) owner name and store the historic signed-char sum.
            bytes[265] = 0xE9;
            long signed = 0;
            for (int i = 0; i < 512; i++)
            {
                signed += i is >= 148 and < 156 ? ' ' : (sbyte)bytes[i];
            }

            Encoding.ASCII.GetBytes(Convert.ToString(signed, 8).PadLeft(6, '0') + "\0 ").CopyTo(bytes, 148);
            File.WriteAllBytes(tmp["signed.tar"], bytes);

            List<ReadEntry> entries = ReadAll(tmp["signed.tar"]);

            Assert.Equal("f", Assert.Single(entries).Entry.Name);
        }

        [Theory]
        [InlineData(512 + 100)]   // inside the data of the first file
        [InlineData(512 + 70000 + 200)] // inside the header of the second entry
        public void Should_ThrowWithOffset_When_ArchiveIsTruncated(int keepBytes)
        {
            ExternalTools.Require("tar");
            using var tmp = new TempDir();
            ExternalTools.Bash(tmp.Path, $"""
                mkdir tree && head -c 70000 /dev/urandom > tree/a && printf 'b' > tree/b
                tar --format=ustar -cf t.tar -C tree a b
                head -c {keepBytes} t.tar > cut.tar
                """);

            var ex = Assert.Throws<FootprintFormatException>(() => ReadAll(tmp["cut.tar"]));

            Assert.Contains(tmp["cut.tar"], ex.Message);
            Assert.NotNull(ex.Offset);
            Assert.Contains($"offset {ex.Offset}", ex.Message);
        }

        [Fact]
        public void Should_SkipUnreadData_When_CallerDoesNotOpenIt()
        {
            ExternalTools.Require("tar", "truncate");
            using var tmp = new TempDir();
            ExternalTools.Bash(tmp.Path, """
                mkdir tree && head -c 100000 /dev/urandom > tree/a && truncate -s 50M tree/s && printf 'z' >> tree/s && printf 'c' > tree/c
                tar --format=pax --sparse -cf t.tar -C tree a s c
                """);

            using FileStream file = File.OpenRead(tmp["t.tar"]);
            using var reader = new TarArchiveReader(file, "t.tar");
            var names = new List<string>();
            while (reader.GetNextEntry() is { } e)
            {
                names.Add(e.Name);
            }

            Assert.Equal(["a", "s", "c"], names);
            // Stopped after the end-of-archive blocks, before the record padding GNU tar adds up to 10240 bytes.
            Assert.Equal(0, reader.Position % 512);
            Assert.InRange(reader.Position, 100000 + 1024, new FileInfo(tmp["t.tar"]).Length);
        }

        [Fact]
        public void Should_StreamWithBoundedMemory_When_ArchiveHasManyTinyEntries()
        {
            ExternalTools.Require("tar", "gzip");
            using var tmp = new TempDir(inMemory: true); // the 100,000 files: 20-30 s on the disk-backed /tmp
            ExternalTools.Bash(tmp.Path, """
                mkdir tree && cd tree
                for d in $(seq 1 100); do mkdir d$d; (cd d$d && touch $(seq -f 'f%g' 1 1000)); done
                cd .. && tar --format=gnu -cf - -C tree . | gzip -1 > many.tar.gz
                """);

            GC.Collect();
            long before = GC.GetTotalMemory(forceFullCollection: true);
            long peak = 0;
            int files = 0;
            int dirs = 0;
            using (System.Diagnostics.Process gunzip = ExternalTools.StartPipe(tmp.Path, "cat many.tar.gz"))
            using (Stream tar = Decompression.Open(gunzip.StandardOutput.BaseStream, "many.tar.gz", DecompressionLimits.Default, out _))
            using (var reader = new TarArchiveReader(tar, "many.tar.gz"))
            {
                while (reader.GetNextEntry() is { } e)
                {
                    if (e.Kind == FileKind.Regular)
                    {
                        files++;
                    }
                    else if (e.Kind == FileKind.Directory)
                    {
                        dirs++;
                    }

                    if ((files % 10000) == 0)
                    {
                        peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false) - before);
                    }
                }

                gunzip.WaitForExit();
            }

            Assert.Equal(100_000, files);
            Assert.Equal(101, dirs);
            Assert.True(peak < (64L << 20), $"memory grew by {peak} bytes while streaming");
        }
    }

    public sealed class OpenData
    {
        [Fact]
        public void Should_ReturnEmptyStream_When_EntryIsNotRegular()
        {
            ExternalTools.Require("tar");
            using var tmp = new TempDir();
            ExternalTools.Bash(tmp.Path, "mkdir -p tree/d && ln -s d tree/l && tar -cf t.tar -C tree d l");
            using FileStream file = File.OpenRead(tmp["t.tar"]);
            using var reader = new TarArchiveReader(file, "t.tar");

            while (reader.GetNextEntry() is not null)
            {
                using Stream data = reader.OpenData();
                Assert.Equal(-1, data.ReadByte());
            }
        }

        [Fact]
        public void Should_Throw_When_CalledBeforeGetNextEntry()
        {
            using var reader = new TarArchiveReader(new MemoryStream(new byte[1024]), "empty.tar");

            Assert.Throws<InvalidOperationException>(() => reader.OpenData());
            Assert.Null(reader.GetNextEntry());
        }
    }
}
