using System.Text.Json;
using Footprint.Formats;
using Footprint.Sources.Rootfs;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Sources.Rootfs;

/// <summary>A compressed rootfs tarball is verified to its last byte, and ignored trailing data reaches the report.</summary>
public sealed class RootfsTarSourceTests : IDisposable
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll");
    private static readonly string Alpine = Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Should_ExitZeroAndReportTheOffset_When_GarbageFollowsTheGzip()
    {
        var path = _dir.File("garbage.tar.gz");
        long length = new FileInfo(Alpine).Length;
        File.WriteAllBytes(path, [.. File.ReadAllBytes(Alpine), .. "not gzip at all"u8]);

        var (code, stdout, stderr) = Tool.Run("dotnet", Cli, "measure", "--format", "json", path);

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var warnings = doc.RootElement.GetProperty("artifacts")[0].GetProperty("warnings").EnumerateArray()
            .Where(w => w.GetProperty("code").GetString() == RootfsTarSource.TrailingDataWarning).ToList();
        var warning = Assert.Single(warnings);
        Assert.Equal(length, warning.GetProperty("offset").GetInt64());
        Assert.Contains($"offset {length}", warning.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_MeasureLikeTheOriginal_When_GarbageFollowsTheGzip()
    {
        var path = _dir.File("garbage.tar.gz");
        File.WriteAllBytes(path, [.. File.ReadAllBytes(Alpine), .. "not gzip at all"u8]);

        var original = Load.Measure(Alpine);
        var withGarbage = Load.Measure(path);

        Assert.Equal(original.Installed.ApparentBytes, withGarbage.Installed.ApparentBytes);
        Assert.Equal(original.Installed.Files, withGarbage.Installed.Files);
        Assert.Equal(new FileInfo(Alpine).Length, Assert.Single(withGarbage.Warnings, w => w.Code == RootfsTarSource.TrailingDataWarning).Offset);
    }

    // The tar reader stops at the end-of-archive blocks, long before the gzip trailer: the layer is read to its end
    // anyway, so a flipped CRC-32 byte (or a cut trailer) is an error, not a measured image.
    [Theory]
    [InlineData("crc", "fails its CRC-32 check")]
    [InlineData("cut", "is truncated or corrupt")]
    public void Should_Fail_When_TheGzipTrailerIsDamaged(string damage, string expected)
    {
        var path = _dir.File("damaged.tar.gz");
        byte[] bytes = File.ReadAllBytes(Alpine);
        if (damage == "crc")
        {
            bytes[^8] ^= 1;
        }
        else
        {
            bytes = bytes[..^4];
        }

        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<FootprintFormatException>(() => Load.Measure(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("gzip member at offset 0 " + expected, ex.Message, StringComparison.Ordinal);
    }
}
