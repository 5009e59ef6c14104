using System.Buffers.Binary;
using System.Text;
using Footprint.Analyzers.Packages.Rpm;
using Footprint.Formats;
using Footprint.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace Footprint.Tests.Analyzers.Packages.Rpm;

/// <summary>
/// Header blobs built by hand (so every value is known) and real blobs from the cbl-mariner rpmdb.sqlite, truncated and corrupted.
/// </summary>
public sealed class RpmHeaderParserTests
{
    public sealed class Parse
    {
        [Fact]
        public void Should_read_the_tags_and_join_dirnames_and_basenames()
        {
            var blob = Sample().Build();

            var h = RpmHeaderParser.Parse(blob, "t");

            Assert.Equal(new RpmHeader("zlib", 1, "1.2.13", "1.cm2", "x86_64", 1234, "zlib", "zlib-1.2.13-1.cm2.src.rpm", h.Files) { Provides = h.Provides, Requires = h.Requires }, h);
            Assert.Empty(h.Provides); // the hand-made blob carries no PROVIDENAME or REQUIRENAME
            Assert.Empty(h.Requires);
            Assert.Equal(["/usr/lib/libz.so.1", "/usr/share/doc/README", "/usr/lib/libz.so"], h.Files);
        }

        [Fact]
        public void Should_accept_the_8_byte_magic_prefix_of_rpm_files()
        {
            byte[] blob = [0x8E, 0xAD, 0xE8, 0x01, 0, 0, 0, 0, .. Sample().Build()];
            Assert.Equal("zlib", RpmHeaderParser.Parse(blob, "t").Name);
        }

        [Fact]
        public void Should_prefer_longsize_and_fall_back_to_oldfilenames()
        {
            var blob = new Builder()
                .String(1000, "old")
                .Int32s(1009, 5)
                .Int64(5009, 5_000_000_000)
                .Strings(1027, "/bin/old", "/etc/old.conf")
                .Build();

            var h = RpmHeaderParser.Parse(blob, "t");

            Assert.Equal(5_000_000_000, h.SizeBytes);
            Assert.Null(h.Epoch);
            Assert.Null(h.Arch);
            Assert.Equal(["/bin/old", "/etc/old.conf"], h.Files);
        }

        [Fact]
        public void Should_throw_at_the_preamble_when_the_index_count_lies()
        {
            var blob = Sample().Build();
            BinaryPrimitives.WriteInt32BigEndian(blob, 0x0FFFFFFF);
            var e = Assert.Throws<FootprintFormatException>(() => RpmHeaderParser.Parse(blob, "t", blobOffset: 1000));
            Assert.Equal(1000, e.Offset);
        }

        [Fact]
        public void Should_throw_at_the_preamble_when_the_data_length_lies()
        {
            var blob = Sample().Build();
            BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(4), BinaryPrimitives.ReadInt32BigEndian(blob.AsSpan(4)) + 1);
            var e = Assert.Throws<FootprintFormatException>(() => RpmHeaderParser.Parse(blob, "t"));
            Assert.Equal(0, e.Offset);
        }

        [Theory]
        [InlineData(8, 1 << 30, "offset")] // entry 0's offset (NAME) far beyond the data store
        [InlineData(12, 1 << 30, "count")] // entry 0's count: many strings cannot fit
        [InlineData(16 + 8, 1 << 30, "offset")] // entry 1 (EPOCH) offset
        [InlineData(16 + 12, 0x3FFFFFFF, "count")] // entry 1 (EPOCH): INT32 x count overruns the data store
        [InlineData(16 + 4, 77, "type")] // entry 1 of unknown type
        public void Should_throw_at_the_index_entry_whose_numbers_lie(int fieldInIndex, int value, string what)
        {
            var blob = Sample().Build();
            BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(8 + fieldInIndex), value);
            var entry = 8 + (fieldInIndex / 16 * 16);
            var e = Assert.Throws<FootprintFormatException>(() => RpmHeaderParser.Parse(blob, "t", blobOffset: 100));
            Assert.Equal(100 + entry, e.Offset);
            Assert.Contains(what, e.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_throw_when_a_string_has_no_terminator_inside_the_data_store()
        {
            var blob = new Builder().String(1000, "name").String(1001, "1.0").Build();
            blob[^1] = (byte)'x'; // VERSION's NUL is the last byte of the data store
            var e = Assert.Throws<FootprintFormatException>(() => RpmHeaderParser.Parse(blob, "t"));
            Assert.Equal(blob.Length - 4, e.Offset); // where "1.0" starts
        }

        [Fact]
        public void Should_throw_when_a_dirindex_points_past_the_dirnames()
        {
            var blob = new Builder()
                .String(1000, "x")
                .Strings(1118, "/usr/")
                .Strings(1117, "a")
                .Int32s(1116, 1)
                .Build();
            Assert.Throws<FootprintFormatException>(() => RpmHeaderParser.Parse(blob, "t"));
        }

        [Fact]
        public void Should_throw_only_format_exceptions_for_every_truncation_and_random_corruption_of_real_blobs()
        {
            var blobs = RealBlobs(5);
            var random = new Random(11);
            foreach (var blob in blobs)
            {
                Assert.NotNull(RpmHeaderParser.Parse(blob, "t").Name);
                for (var cut = 0; cut < blob.Length; cut += 1 + (blob.Length / 2000))
                {
                    Assert.Throws<FootprintFormatException>(() => RpmHeaderParser.Parse(blob.AsSpan(0, cut), "t"));
                }

                for (var round = 0; round < 500; round++)
                {
                    var bad = (byte[])blob.Clone();
                    var indexBytes = 8 + (16 * BinaryPrimitives.ReadInt32BigEndian(blob));
                    for (var flips = random.Next(1, 6); flips > 0; flips--)
                    {
                        bad[random.Next(indexBytes)] = (byte)random.Next(256);
                    }

                    try
                    {
                        RpmHeaderParser.Parse(bad, "t");
                    }
                    catch (FootprintFormatException)
                    {
                    }
                }
            }
        }

        private static Builder Sample() => new Builder()
            .String(1000, "zlib")
            .Int32s(1003, 1)
            .String(1001, "1.2.13")
            .String(1002, "1.cm2")
            .String(1022, "x86_64")
            .Int32s(1009, 1234)
            .String(1014, "zlib")
            .String(1044, "zlib-1.2.13-1.cm2.src.rpm")
            .Strings(1118, "/usr/lib/", "/usr/share/doc/")
            .Strings(1117, "libz.so.1", "README", "libz.so")
            .Int32s(1116, 0, 1, 0);

        private static List<byte[]> RealBlobs(int count)
        {
            var blobs = new List<byte[]>();
            var csb = new SqliteConnectionStringBuilder { DataSource = Repo.CorpusFile("rpmdb/go-rpmdb/pkg/testdata/cbl-mariner-2.0/rpmdb.sqlite"), Mode = SqliteOpenMode.ReadOnly, Pooling = false };
            using var connection = new SqliteConnection(csb.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT blob FROM Packages ORDER BY length(blob) LIMIT {count}";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                blobs.Add((byte[])reader.GetValue(0));
            }

            return blobs;
        }
    }

    /// <summary>Writes a header structure (no magic prefix) as lib/header.c describes it: il, dl, 16-byte entries, data.</summary>
    private sealed class Builder
    {
        private readonly List<(int Tag, int Type, int Count, byte[] Data)> entries = [];

        public Builder String(int tag, string value) => Add(tag, 6, 1, Encoding.UTF8.GetBytes(value + "\0"));

        public Builder Strings(int tag, params string[] values) => Add(tag, 8, values.Length, Encoding.UTF8.GetBytes(string.Concat(values.Select(v => v + "\0"))));

        public Builder Int32s(int tag, params int[] values)
        {
            var data = new byte[values.Length * 4];
            for (var i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(i * 4), values[i]);
            }

            return Add(tag, 4, values.Length, data);
        }

        public Builder Int64(int tag, long value)
        {
            var data = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(data, value);
            return Add(tag, 5, 1, data);
        }

        public byte[] Build()
        {
            var dl = entries.Sum(e => e.Data.Length);
            var blob = new byte[8 + (16 * entries.Count) + dl];
            BinaryPrimitives.WriteInt32BigEndian(blob, entries.Count);
            BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(4), dl);
            var data = 8 + (16 * entries.Count);
            var offset = 0;
            for (var i = 0; i < entries.Count; i++)
            {
                var (tag, type, count, bytes) = entries[i];
                var at = blob.AsSpan(8 + (16 * i));
                BinaryPrimitives.WriteInt32BigEndian(at, tag);
                BinaryPrimitives.WriteInt32BigEndian(at[4..], type);
                BinaryPrimitives.WriteInt32BigEndian(at[8..], offset);
                BinaryPrimitives.WriteInt32BigEndian(at[12..], count);
                bytes.CopyTo(blob, data + offset);
                offset += bytes.Length;
            }

            return blob;
        }

        private Builder Add(int tag, int type, int count, byte[] data)
        {
            entries.Add((tag, type, count, data));
            return this;
        }
    }
}
