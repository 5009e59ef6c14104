using System.Formats.Tar;
using System.Text;
using Footprint.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace Footprint.Tests.Acceptance;

/// <summary>
/// Hostile package databases through the whole pipeline (open, stream, capture, walk, inventory): each is a recorded
/// "unknown" with its location, the rest of the scan goes on, and memory stays bounded by the capture limit.
/// </summary>
[Collection(MemoryCollection.Name)]
public sealed class BadDatabaseTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Should_read_the_head_of_a_100_MB_status_file_record_the_rest_as_unknown_and_stay_bounded()
    {
        const long size = 100L << 20;
        var (report, allocated) = MeasureStatus(size);
        var (_, allocatedSmall) = MeasureStatus(20L << 20);

        var inventory = report.Inventory!;
        var unknown = Assert.Single(inventory.Unknowns, u => u.Path == "/var/lib/dpkg/status" && u.Reason.Contains("larger than", StringComparison.Ordinal));
        Assert.Equal(0, unknown.Line);
        // The head (the capture bound, 8 MiB) is parsed: every whole stanza in it is a package.
        var perStanza = StanzaStream.Stanza(0).Length;
        Assert.InRange(inventory.Packages.Count, (8 << 20) / (perStanza + 8) - 1, (8 << 20) / perStanza);
        Assert.Equal(3, report.Installed.Files);
        Assert.Equal(size + "ID=debian\nVERSION_ID=12\n".Length + "still scanned".Length, report.Installed.ApparentBytes);
        // Bounded by the capture limit, not by the input: 80 MiB more database costs (almost) no more memory.
        Assert.True(allocated - allocatedSmall < 32L << 20, $"allocated {allocated >> 20} MiB for 100 MiB, {allocatedSmall >> 20} MiB for 20 MiB");
    }

    /// <summary>A rootfs tarball whose dpkg status is <paramref name="size"/> bytes of stanzas (streamed, never held), measured.</summary>
    private (Footprint.Reports.ArtifactReport Report, long Allocated) MeasureStatus(long size)
    {
        var rootfs = _dir.File($"status-{size}.tar");
        using (var file = File.Create(rootfs))
        using (var tar = new TarWriter(file, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "etc/os-release") { DataStream = new MemoryStream("ID=debian\nVERSION_ID=12\n"u8.ToArray()) });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "var/lib/dpkg/status") { DataStream = new StanzaStream(size) });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bin/after-the-database") { DataStream = new MemoryStream("still scanned"u8.ToArray()) });
        }

        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var report = Load.Measure(rootfs);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        File.Delete(rootfs);
        return (report, allocated);
    }

    [Fact]
    public void Should_record_an_rpm_header_with_lying_lengths_and_list_the_other_packages()
    {
        var db = _dir.File("rpmdb.sqlite");
        File.Copy(Repo.CorpusFile("rpmdb/go-rpmdb/pkg/testdata/cbl-mariner-2.0/rpmdb.sqlite"), db);
        var total = Tool.Output("rpm", "--dbpath", _dir.Path, "-qa").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        long victim;
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Pooling = false }.ToString()))
        {
            connection.Open();
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT hnum, blob FROM Packages ORDER BY hnum LIMIT 1 OFFSET 3";
            using var reader = select.ExecuteReader();
            Assert.True(reader.Read());
            victim = reader.GetInt64(0);
            var blob = (byte[])reader.GetValue(1);
            reader.Close();
            // The header's index count (first big-endian int32) claims far more entries than the blob holds.
            blob[0] = 0x7F;
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE Packages SET blob = $b WHERE hnum = $h";
            update.Parameters.AddWithValue("$b", blob);
            update.Parameters.AddWithValue("$h", victim);
            Assert.Equal(1, update.ExecuteNonQuery());
        }

        var rootfs = _dir.File("rpm-rootfs.tar");
        using (var file = File.Create(rootfs))
        using (var tar = new TarWriter(file, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "etc/os-release") { DataStream = new MemoryStream("ID=mariner\nVERSION_ID=2.0\n"u8.ToArray()) });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "var/lib/rpm/rpmdb.sqlite") { DataStream = File.OpenRead(db) });
        }

        var inventory = Load.Measure(rootfs).Inventory!;

        Assert.Equal(total - 1, inventory.Packages.Count);
        var unknown = Assert.Single(inventory.Unknowns);
        Assert.Equal("/var/lib/rpm/rpmdb.sqlite", unknown.Path);
        Assert.Contains($"hnum={victim}", unknown.Reason, StringComparison.Ordinal);
    }

    /// <summary>An endless-looking dpkg status: numbered stanzas, generated as read, cut at <c>length</c> bytes.</summary>
    private sealed class StanzaStream(long length) : Stream
    {
        private long _position;
        private byte[] _current = [];
        private int _offset;
        private int _next;

        public static byte[] Stanza(int n) => Encoding.ASCII.GetBytes(
            $"Package: pkg{n:D7}\nStatus: install ok installed\nPriority: optional\nArchitecture: amd64\nVersion: 1.0-{n % 97}\nInstalled-Size: {n % 4096}\nDescription: generated\n\n");

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var written = 0;
            while (written < count && _position < length)
            {
                if (_offset == _current.Length)
                {
                    _current = Stanza(_next++);
                    _offset = 0;
                }

                var n = (int)Math.Min(Math.Min(count - written, _current.Length - _offset), length - _position);
                Array.Copy(_current, _offset, buffer, offset + written, n);
                _offset += n;
                written += n;
                _position += n;
            }

            return written;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
