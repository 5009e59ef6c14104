using System.Text.Json;
using Footprint.Reports.Comparisons;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Reports.Comparisons;

public sealed class ComparisonJsonWriterTests
{
    [Fact]
    public void Should_write_what_the_compare_schema_accepts_and_the_schema_should_refuse_a_wrong_unit()
    {
        var comparison = ComparisonBuilder.Build([Sample.Report("a", 10, download: 3), Sample.Report("b", 4)], Sample.Tool, baseline: 1);
        using var stream = new MemoryStream();
        ComparisonJsonWriter.Write(comparison, stream);
        var json = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        var schema = Schemas.Compare;
        Assert.True(schema.Evaluate(JsonDocument.Parse(json).RootElement).IsValid, json);
        Assert.Contains("\"differences\": [\n        6,\n        0\n      ]", json.Replace("\r", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.False(schema.Evaluate(JsonDocument.Parse(json.Replace("\"bytes\"", "\"octets\"", StringComparison.Ordinal)).RootElement).IsValid);
    }

    [Fact]
    public void Should_write_what_the_diff_schema_accepts()
    {
        var old = Sample.Report("old", 10, packages: [Sample.Package("apk", "a", "1-r0", 5)], files: [Sample.File("/x", 1, "a")]);
        var @new = Sample.Report("new", 12, packages: [Sample.Package("apk", "a", "1-r1", 7)], files: [Sample.File("/x", 3, "b")]);
        using var stream = new MemoryStream();
        ComparisonJsonWriter.Write(DiffBuilder.Build(old, @new, Sample.Tool), stream);
        var json = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        var schema = Schemas.Diff;
        Assert.True(schema.Evaluate(JsonDocument.Parse(json).RootElement).IsValid, json);
        Assert.False(schema.Evaluate(JsonDocument.Parse(json.Replace("\"upgraded\"", "\"newer\"", StringComparison.Ordinal)).RootElement).IsValid);
    }

    [Fact]
    public void Should_refuse_to_diff_reports_without_their_file_list()
        => Assert.Throws<ArgumentException>(() => DiffBuilder.Build(Sample.Report("old", 1), Sample.Report("new", 1, files: []), Sample.Tool));
}
