using Footprint.Analyzers.Packages.Rpm;
using Footprint.Formats;
using Footprint.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace Footprint.Tests.Analyzers.Packages.Rpm;

/// <summary>
/// The three rpmdb formats, compared with what Debian's rpm 4.18 reads from the same bytes.
/// Corpus: go-rpmdb's testdata (cbl-mariner-2.0/rpmdb.sqlite: 129 packages; libuuid/Packages: BerkeleyDB, 1 package).
/// </summary>
public sealed class RpmDatabaseTests
{
    private const string MarinerSqlite = "rpmdb/go-rpmdb/pkg/testdata/cbl-mariner-2.0/rpmdb.sqlite";
    private const string LibuuidBdb = "rpmdb/go-rpmdb/pkg/testdata/libuuid/Packages";

    public sealed class Read_sqlite
    {
        [Fact]
        public void Should_list_the_same_packages_as_rpm()
        {
            using var dir = new TempDir();
            File.Copy(Repo.CorpusFile(MarinerSqlite), dir.File("rpmdb.sqlite"));
            var expected = RpmGroundTruth.Query(dir.Path, "sqlite", RpmGroundTruth.Nevra);

            var db = RpmDatabase.Read(Repo.CorpusFile(MarinerSqlite));

            Assert.Equal(RpmDatabaseFormat.Sqlite, db.Format);
            Assert.Empty(db.Unknowns);
            Assert.Equal(129, expected.Count);
            Assert.Equal(expected, RpmGroundTruth.Nevras(db.Headers));
        }

        [Fact]
        public void Should_list_the_same_files_and_sizes_as_rpm()
        {
            using var dir = new TempDir();
            File.Copy(Repo.CorpusFile(MarinerSqlite), dir.File("rpmdb.sqlite"));
            var files = RpmGroundTruth.Query(dir.Path, "sqlite", "[%{=NAME}\\t%{FILENAMES}\\n]");
            var sizes = RpmGroundTruth.Query(dir.Path, "sqlite", "%{NAME}\\t%{SIZE}\\n");

            var db = RpmDatabase.Read(Repo.CorpusFile(MarinerSqlite));

            Assert.True(files.Count > 7000, $"rpm listed only {files.Count} files");
            Assert.Equal(files, RpmGroundTruth.FileLines(db.Headers));
            Assert.Equal(sizes, RpmGroundTruth.SizeLines(db.Headers));
        }

        [Fact]
        public void Should_match_rpm_on_a_few_packages_in_detail()
        {
            using var dir = new TempDir();
            File.Copy(Repo.CorpusFile(MarinerSqlite), dir.File("rpmdb.sqlite"));
            var db = RpmDatabase.Read(Repo.CorpusFile(MarinerSqlite));

            foreach (var name in new[] { "curl", "bash", "glibc", "filesystem" })
            {
                var h = Assert.Single(db.Headers, x => x.Name == name);
                var q = Tool.Output("rpm", "--dbpath", dir.Path, "-q", "--qf", "%{SIZE}\\n%{LICENSE}\\n%{SOURCERPM}\\n", name).Split('\n');
                Assert.Equal(q[0], h.SizeBytes?.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal(q[1], h.License);
                Assert.Equal(q[2], h.SourceRpm);
                var ql = Tool.Output("rpm", "--dbpath", dir.Path, "-ql", name).Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(ql, h.Files);
            }
        }

        [Fact]
        public void Should_read_from_a_stream_that_cannot_seek()
        {
            using var stream = new NonSeekable(File.ReadAllBytes(Repo.CorpusFile(MarinerSqlite)));
            var db = RpmDatabase.Read(stream, "/var/lib/rpm/rpmdb.sqlite");
            Assert.Equal(129, db.Headers.Count);
        }

        [Fact]
        public void Should_record_bad_rows_by_hnum_and_read_the_rest()
        {
            using var dir = new TempDir();
            File.Copy(Repo.CorpusFile(MarinerSqlite), dir.File("rpmdb.sqlite"));
            var good = NdbFixture.Blobs(dir.File("rpmdb.sqlite"))[0].Blob;
            var lying = (byte[])good.Clone();
            lying[3] = 0xFF; // index count far beyond the blob
            Sql(dir.File("db.sqlite"), "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)", []);
            Sql(dir.File("db.sqlite"), "INSERT INTO Packages VALUES (1, $b)", good);
            Sql(dir.File("db.sqlite"), "INSERT INTO Packages VALUES (7, $b)", lying);
            Sql(dir.File("db.sqlite"), "INSERT INTO Packages VALUES (9, 'text, not a blob')", []);

            var db = RpmDatabase.Read(dir.File("db.sqlite"));

            Assert.Single(db.Headers);
            Assert.Equal([7L, 9L], db.Unknowns.Select(u => u.Offset));
            Assert.Contains("hnum=7", db.Unknowns[0].Reason, StringComparison.Ordinal);
            Assert.Contains("index entries", db.Unknowns[0].Reason, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_throw_a_format_exception_on_a_sqlite_file_without_the_packages_table()
        {
            using var dir = new TempDir();
            Sql(dir.File("other.sqlite"), "CREATE TABLE Other (x INTEGER)", []);
            var e = Assert.Throws<FootprintFormatException>(() => RpmDatabase.Read(dir.File("other.sqlite")));
            Assert.Contains("Packages", e.Message, StringComparison.Ordinal);
        }

        private static void Sql(string path, string statement, byte[] blob)
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = statement;
            command.Parameters.AddWithValue("$b", blob);
            command.ExecuteNonQuery();
        }

        [Fact]
        public void Should_throw_a_format_exception_on_a_corrupt_file_with_the_sqlite_magic()
        {
            var junk = new byte[8192];
            new Random(7).NextBytes(junk);
            "SQLite format 3\0"u8.CopyTo(junk);
            var e = Assert.Throws<FootprintFormatException>(() => RpmDatabase.Read(junk, "rpmdb.sqlite"));
            Assert.Equal("rpmdb.sqlite", e.FileName);
        }
    }

    public sealed class Read_berkeley_db
    {
        /// <summary>Ground truth: Debian's rpm reads BerkeleyDB read-only with `_db_backend bdb_ro`.</summary>
        [Fact]
        public void Should_list_the_same_packages_and_files_as_rpm()
        {
            using var dir = new TempDir();
            File.Copy(Repo.CorpusFile(LibuuidBdb), dir.File("Packages"));
            var nevras = RpmGroundTruth.Query(dir.Path, "bdb_ro", RpmGroundTruth.Nevra);
            var files = RpmGroundTruth.Query(dir.Path, "bdb_ro", "[%{=NAME}\\t%{FILENAMES}\\n]");
            var sizes = RpmGroundTruth.Query(dir.Path, "bdb_ro", "%{NAME}\\t%{SIZE}\\n");

            var db = RpmDatabase.Read(Repo.CorpusFile(LibuuidBdb));

            Assert.Equal(RpmDatabaseFormat.BerkeleyDbHash, db.Format);
            Assert.Empty(db.Unknowns);
            Assert.Equal(["libuuid\t0\t2.32.1\t42.el8_8\tx86_64"], nevras);
            Assert.Equal(nevras, RpmGroundTruth.Nevras(db.Headers));
            Assert.Equal(files, RpmGroundTruth.FileLines(db.Headers));
            Assert.Equal(sizes, RpmGroundTruth.SizeLines(db.Headers));
        }

        /// <summary>
        /// A 129-package Packages written by BerkeleyDB itself (db5.3_load from the sqlite blobs, in several page sizes and
        /// both byte orders), so hash pages hold many items and values span many overflow pages. Ground truth: rpm bdb_ro
        /// reading the same file.
        /// </summary>
        [Theory]
        [InlineData(512, false)]
        [InlineData(4096, false)]
        [InlineData(65536, false)]
        [InlineData(4096, true)]
        public void Should_list_the_same_packages_and_files_as_rpm_in_a_db_written_by_berkeley_db(int pageBytes, bool bigEndian)
        {
            using var dir = new TempDir();
            File.Copy(Repo.CorpusFile(MarinerSqlite), dir.File("rpmdb.sqlite"));
            Directory.CreateDirectory(dir.File("bdb"));
            BdbFixture.Build(dir.File("rpmdb.sqlite"), dir.File("bdb/Packages"), pageBytes, bigEndian);
            var nevras = RpmGroundTruth.Query(dir.File("bdb"), "bdb_ro", RpmGroundTruth.Nevra);
            var files = RpmGroundTruth.Query(dir.File("bdb"), "bdb_ro", "[%{=NAME}\\t%{FILENAMES}\\n]");

            var db = RpmDatabase.Read(dir.File("bdb/Packages"));

            Assert.Equal(RpmDatabaseFormat.BerkeleyDbHash, db.Format);
            Assert.Empty(db.Unknowns);
            Assert.Equal(129, nevras.Count);
            Assert.Equal(nevras, RpmGroundTruth.Nevras(db.Headers));
            Assert.Equal(files, RpmGroundTruth.FileLines(db.Headers));
        }

        [Fact]
        public void Should_record_a_truncated_file_as_unknown()
        {
            var bytes = File.ReadAllBytes(Repo.CorpusFile(LibuuidBdb));
            foreach (var cut in new[] { bytes.Length - 1, bytes.Length / 2, 4096 + 100, 1000 })
            {
                var db = RpmDatabase.Read(bytes.AsSpan(0, cut), "Packages");
                Assert.NotEmpty(db.Unknowns);
            }
        }

        [Fact]
        public void Should_record_a_broken_overflow_chain_as_unknown()
        {
            var bytes = File.ReadAllBytes(Repo.CorpusFile(LibuuidBdb));
            var pageBytes = BitConverter.ToInt32(bytes, 20);
            var overflowPages = Enumerable.Range(1, (bytes.Length / pageBytes) - 1).Where(p => bytes[(p * pageBytes) + 25] == 7).ToList();
            Assert.NotEmpty(overflowPages);

            // Make the first overflow page point to itself: a loop must end, as an unknown.
            var p0 = overflowPages[0];
            var looped = (byte[])bytes.Clone();
            BitConverter.GetBytes(p0).CopyTo(looped, (p0 * pageBytes) + 16);
            var db = RpmDatabase.Read(looped, "Packages");
            Assert.Empty(db.Headers);
            Assert.Contains(db.Unknowns, u => u.Reason.Contains("overflow", StringComparison.Ordinal));
        }
    }

    public sealed class Read_ndb
    {
        /// <summary>
        /// Debian's rpm 4.18 is built without the ndb backend ("invalid %_db_backend: ndb"), so it cannot write or read
        /// Packages.db. The test builds one from the sqlite database's blobs, laid out as rpm's lib/backend/ndb/rpmpkg.c
        /// does, and compares with what rpm reads from the sqlite original.
        /// </summary>
        [Fact]
        public void Should_list_the_same_packages_as_rpm_lists_from_the_sqlite_original()
        {
            using var dir = new TempDir();
            File.Copy(Repo.CorpusFile(MarinerSqlite), dir.File("rpmdb.sqlite"));
            var expected = RpmGroundTruth.Query(dir.Path, "sqlite", RpmGroundTruth.Nevra);
            var files = RpmGroundTruth.Query(dir.Path, "sqlite", "[%{=NAME}\\t%{FILENAMES}\\n]");

            var db = RpmDatabase.Read(NdbFixture.Build(dir.File("rpmdb.sqlite")), "Packages.db");

            Assert.Equal(RpmDatabaseFormat.Ndb, db.Format);
            Assert.Empty(db.Unknowns);
            Assert.Equal(expected, RpmGroundTruth.Nevras(db.Headers));
            Assert.Equal(files, RpmGroundTruth.FileLines(db.Headers));
        }

        [Fact]
        public void Should_record_a_lying_blob_and_read_the_rest()
        {
            using var dir = new TempDir();
            File.Copy(Repo.CorpusFile(MarinerSqlite), dir.File("rpmdb.sqlite"));
            var bytes = NdbFixture.Build(dir.File("rpmdb.sqlite"));

            // Second package's blob: claim a length far beyond its block; third package's header: lie about its index count.
            var second = NdbFixture.BlockOffset(bytes, 1);
            BitConverter.GetBytes(0x7FFFFFF0u).CopyTo(bytes, second + 12);
            var third = NdbFixture.BlockOffset(bytes, 2);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(third + 16), 0x00FFFFFF);

            var db = RpmDatabase.Read(bytes, "Packages.db");

            Assert.Equal(127, db.Headers.Count);
            Assert.Equal(2, db.Unknowns.Count);
            Assert.Equal(second + 12, db.Unknowns[0].Offset);
            Assert.Equal(third + 16, db.Unknowns[1].Offset);
            Assert.Contains("index entries", db.Unknowns[1].Reason, StringComparison.Ordinal);
        }
    }

    public sealed class Read_garbage
    {
        [Theory]
        [InlineData(0)]
        [InlineData(15)]
        [InlineData(4096)]
        public void Should_throw_a_format_exception_at_offset_0_on_unknown_content(int length)
        {
            var junk = new byte[length];
            new Random(length).NextBytes(junk);
            var e = Assert.Throws<FootprintFormatException>(() => RpmDatabase.Read(junk, "x"));
            Assert.Equal(0, e.Offset);
        }

        /// <summary>Random byte flips in real BerkeleyDB and NDB files: only results or FootprintFormatException, never a hang.</summary>
        [Fact]
        public void Should_survive_random_corruption()
        {
            using var dir = new TempDir();
            File.Copy(Repo.CorpusFile(MarinerSqlite), dir.File("rpmdb.sqlite"));
            var originals = new[] { File.ReadAllBytes(Repo.CorpusFile(LibuuidBdb)), NdbFixture.Build(dir.File("rpmdb.sqlite")) };
            var random = new Random(2024);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            foreach (var original in originals)
            {
                for (var round = 0; round < 300; round++)
                {
                    var bytes = (byte[])original.Clone();
                    for (var flips = random.Next(1, 20); flips > 0; flips--)
                    {
                        // Half the flips hit the first 8 KiB, where the metadata, slots and index entries are.
                        var at = random.Next(2) == 0 ? random.Next(Math.Min(8192, bytes.Length)) : random.Next(bytes.Length);
                        bytes[at] = (byte)random.Next(256);
                    }

                    try
                    {
                        RpmDatabase.Read(bytes, "corrupt");
                    }
                    catch (FootprintFormatException)
                    {
                    }
                }
            }

            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), $"took {sw.Elapsed}");
        }
    }

    /// <summary>A read-only stream without Seek/Length, like a tar entry's data stream.</summary>
    private sealed class NonSeekable(byte[] bytes) : Stream
    {
        private readonly MemoryStream inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 1000));

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>
/// Writes an NDB Packages.db from the blobs of an rpmdb.sqlite (read with Microsoft.Data.Sqlite directly), laid out as
/// rpm's lib/backend/ndb/rpmpkg.c lays it out: 32-byte "RpmP" header in slots 0–1, 16-byte "Slot" entries in 4 KiB
/// slot pages, blocks of 16 bytes holding a "BlbS" blob header, the blob and a 12-byte tail. Little-endian (x86).
/// Free slots are left between packages, and blocks are stored in reverse slot order, so the reader cannot rely on order.
/// </summary>
internal static class NdbFixture
{
    public static byte[] Build(string sqlitePath)
    {
        var blobs = Blobs(sqlitePath);
        const int slotPageBytes = 4096;
        var slotCount = 2 + (blobs.Count * 2); // every other slot free
        var slotPages = (slotCount * 16 + slotPageBytes - 1) / slotPageBytes;
        using var blocks = new MemoryStream();
        var blockStart = slotPages * slotPageBytes;
        var slots = new byte[slotPages * slotPageBytes];
        "RpmP"u8.CopyTo(slots);
        BitConverter.GetBytes(0u).CopyTo(slots, 4);
        BitConverter.GetBytes(1u).CopyTo(slots, 8);
        BitConverter.GetBytes((uint)slotPages).CopyTo(slots, 12);
        for (var s = 2; s < slotPages * slotPageBytes / 16; s++)
        {
            "Slot"u8.CopyTo(slots.AsSpan(s * 16));
        }

        for (var i = blobs.Count - 1; i >= 0; i--)
        {
            var (hnum, blob) = blobs[i];
            var blockBytes = (16 + blob.Length + 12 + 15) / 16 * 16;
            var offset = blockStart + blocks.Length;
            var block = new byte[blockBytes];
            "BlbS"u8.CopyTo(block);
            BitConverter.GetBytes(hnum).CopyTo(block, 4);
            BitConverter.GetBytes((uint)blob.Length).CopyTo(block, 12);
            blob.CopyTo(block, 16);
            BitConverter.GetBytes((uint)blob.Length).CopyTo(block, blockBytes - 8);
            "BlbE"u8.CopyTo(block.AsSpan(blockBytes - 4));
            blocks.Write(block);

            var slot = 2 + (i * 2) + 1;
            BitConverter.GetBytes(hnum).CopyTo(slots, (slot * 16) + 4);
            BitConverter.GetBytes((uint)(offset / 16)).CopyTo(slots, (slot * 16) + 8);
            BitConverter.GetBytes((uint)(blockBytes / 16)).CopyTo(slots, (slot * 16) + 12);
        }

        return [.. slots, .. blocks.ToArray()];
    }

    /// <summary>(hnum, blob) of every Packages row, read with Microsoft.Data.Sqlite directly.</summary>
    public static List<(uint Hnum, byte[] Blob)> Blobs(string sqlitePath)
    {
        var blobs = new List<(uint Hnum, byte[] Blob)>();
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sqlitePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT hnum, blob FROM Packages ORDER BY hnum";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                blobs.Add(((uint)reader.GetInt64(0), (byte[])reader.GetValue(1)));
            }
        }

        return blobs;
    }

    /// <summary>File offset of the block of the <paramref name="n"/>-th used slot.</summary>
    public static int BlockOffset(byte[] ndb, int n)
    {
        var used = 0;
        for (var s = 2; ; s++)
        {
            if (BitConverter.ToUInt32(ndb, (s * 16) + 4) != 0 && used++ == n)
            {
                return (int)BitConverter.ToUInt32(ndb, (s * 16) + 8) * 16;
            }
        }
    }
}

/// <summary>
/// Writes a BerkeleyDB hash Packages with BerkeleyDB's own db5.3_load (Debian db5.3-util, installed by test.sh) from the
/// blobs of an rpmdb.sqlite: key = 4-byte instance number in the file's byte order, value = header blob; key 0 holds the
/// next instance number, as rpm's bdb backend keeps it.
/// </summary>
internal static class BdbFixture
{
    public static void Build(string sqlitePath, string packagesPath, int pageBytes, bool bigEndian)
    {
        var dump = new System.Text.StringBuilder("VERSION=3\nformat=bytevalue\ntype=hash\nHEADER=END\n");
        string Key(uint n)
        {
            var b = new byte[4];
            if (bigEndian)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(b, n);
            }
            else
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(b, n);
            }

            return " " + Convert.ToHexStringLower(b) + "\n";
        }

        var blobs = NdbFixture.Blobs(sqlitePath);
        dump.Append(Key(0)).Append(Key(blobs.Max(b => b.Hnum) + 1));
        foreach (var (hnum, blob) in blobs)
        {
            dump.Append(Key(hnum)).Append(' ').Append(Convert.ToHexStringLower(blob)).Append('\n');
        }

        dump.Append("DATA=END\n");
        var input = packagesPath + ".dump";
        File.WriteAllText(input, dump.ToString());
        Tool.Output("db5.3_load", "-c", $"db_pagesize={pageBytes}", "-c", $"db_lorder={(bigEndian ? 4321 : 1234)}", "-f", input, packagesPath);
        File.Delete(input);
    }
}
