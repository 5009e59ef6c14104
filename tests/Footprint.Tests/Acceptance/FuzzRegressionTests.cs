using Footprint.Formats;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Acceptance;

/// <summary>Inputs the fuzzers (fuzz/run.sh) once crashed on: each must now be a clear format error.</summary>
public sealed class FuzzRegressionTests
{
    public static TheoryData<string> Artifacts()
    {
        var data = new TheoryData<string>();
        foreach (var target in new[] { "layer", "compressed" })
        {
            foreach (var f in Directory.GetFiles(Path.Combine(Repo.Root, "fuzz", "regressions", target)).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(Repo.Root, f));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Artifacts))]
    public void Should_report_a_format_error_for_a_crashing_artifact(string relative)
    {
        var path = Path.Combine(Repo.Root, relative);
        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_report_a_format_error_for_a_catalog_with_invalid_utf8()
    {
        var path = Path.Combine(Repo.Root, "fuzz", "regressions", "catalog", "invalid-utf8-in-string.json");
        var bytes = File.ReadAllBytes(path);
        Assert.Throws<FootprintFormatException>(() => Footprint.Reports.Catalog.CatalogReader.Document(path, bytes));
        Assert.Throws<FootprintFormatException>(() => Footprint.Reports.Catalog.CatalogReader.Entry(path, bytes));
        Assert.Throws<FootprintFormatException>(() => Footprint.Reports.Catalog.PublishedFigures.Read(path, bytes));
    }

    [Fact]
    public void Should_report_a_format_error_for_an_image_config_with_invalid_utf8()
    {
        var bytes = File.ReadAllBytes(Path.Combine(Repo.Root, "fuzz", "regressions", "image-config", "invalid-utf8-string.json"));
        var e = Assert.Throws<FootprintFormatException>(() => Footprint.Sources.ImageConfig.Parse(bytes, "config.json"));
        Assert.Contains("config.json", e.Message, StringComparison.Ordinal);
    }
}
