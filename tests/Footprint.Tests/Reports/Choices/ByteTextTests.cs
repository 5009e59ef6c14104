using Footprint.Reports.Choices;

namespace Footprint.Tests.Reports.Choices;

public sealed class ByteTextTests
{
    [Theory]
    [InlineData("64M", 64L << 20)]
    [InlineData("64MiB", 64L << 20)]
    [InlineData("64 mib", 64L << 20)]
    [InlineData("1G", 1L << 30)]
    [InlineData("1.5G", 3L << 29)]
    [InlineData("500MB", 500_000_000L)]
    [InlineData("4096", 4096L)]
    [InlineData("8k", 8192L)]
    public void Should_read_sizes_as_people_write_them(string text, long bytes) => Assert.Equal(bytes, ByteText.Parse("--ram", text));

    [Theory]
    [InlineData("")]
    [InlineData("M")]
    [InlineData("-1M")]
    [InlineData("64X")]
    [InlineData("1e9")]
    [InlineData("99999999999999999T")]
    public void Should_refuse_what_is_not_a_size(string text) => Assert.Throws<FormatException>(() => ByteText.Parse("--ram", text));

    [Theory]
    [InlineData(128L << 20, "128 MiB")]
    [InlineData(900L, "900 B")]
    [InlineData(3L << 29, "1.5 GiB")]
    [InlineData(-(32L << 20), "-32 MiB")]
    public void Should_write_binary_units(long bytes, string text) => Assert.Equal(text, ByteText.Format(bytes));
}
