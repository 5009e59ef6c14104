using Footprint.Formats.Firmware;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Formats.Firmware;

/// <summary>
/// The CRC-32 variants the scanner checks, against Python's zlib as ground truth: TRX stores the register seeded with ~0
/// and not inverted (zlib's CRC inverted), JFFS2's hdr_crc is the kernel's crc32(0, header, 8), the raw register seeded
/// with 0 (zlib.crc32(header, 0xFFFFFFFF) ^ 0xFFFFFFFF).
/// </summary>
public sealed partial class FirmwareScannerTests
{
    private const string ChecksumImageScript = """
        import struct, sys, zlib
        out, corrupt = sys.argv[1], sys.argv[2] == "1"
        payload = bytes(range(256)) * 64
        trx_len = 28 + len(payload)
        # HDR0, length, crc, flag_version (v1), three partition offsets: only the first is used
        rest = struct.pack("<I", 1 << 16) + struct.pack("<III", 28, 0, 0) + payload
        crc = zlib.crc32(rest) ^ 0xFFFFFFFF
        if corrupt:
            crc ^= 1
        trx = b"HDR0" + struct.pack("<II", trx_len, crc) + rest
        pad = b"\x55" * (4096 - len(trx) % 4096)
        node_body = b"\x11" * 52
        hdr8 = struct.pack("<HHI", 0x1985, 0xE001, 12 + len(node_body))
        hcrc = zlib.crc32(hdr8, 0xFFFFFFFF) ^ 0xFFFFFFFF
        if corrupt:
            hcrc ^= 1
        node = hdr8 + struct.pack("<I", hcrc) + node_body
        with open(out, "wb") as f:
            f.write(trx + pad + node + b"\x55" * 64)
            print(len(trx) + len(pad))
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Should_check_the_TRX_and_JFFS2_CRCs_as_their_writers_compute_them(bool corrupt)
    {
        using var dir = new TempDir();
        string script = dir["make.py"];
        File.WriteAllText(script, ChecksumImageScript);
        string image = dir["crc.bin"];
        long nodeOffset = long.Parse(Tool.Output("python3", script, image, corrupt ? "1" : "0").Trim(), System.Globalization.CultureInfo.InvariantCulture);

        IReadOnlyList<FirmwarePart> parts = Scan(image);

        FirmwarePart trx = Assert.Single(parts, p => p.Type == "trx");
        Assert.Equal(0, trx.Offset);
        Assert.Equal(corrupt ? "bad" : "ok", trx.Details["crc"]);
        if (corrupt)
        {
            Assert.DoesNotContain(parts, p => p.Type == "jffs2");
        }
        else
        {
            FirmwarePart jffs2 = Assert.Single(parts, p => p.Type == "jffs2");
            Assert.Equal(nodeOffset, jffs2.Offset);
            Assert.Equal(64, jffs2.Length);
            Assert.Equal("1", jffs2.Details["nodes"]);
        }
    }
}
