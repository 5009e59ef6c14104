using System.Formats.Tar;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Footprint.Reports.Html;
using Footprint.Tests.TestSupport;
using Xunit.Abstractions;

namespace Footprint.Tests.Reports.Html;

/// <summary>
/// The page `footprint report` writes, rendered in headless Chromium (Debian's package, through Playwright): every
/// figure equals the JSON report's, charts have a size, the screenshot is not blank, the tables are there without
/// JavaScript, hostile names stay text, and 50,000 files still load quickly.
/// </summary>
public sealed class HtmlReportWriterTests(ChromiumFixture chromium, ITestOutputHelper output) : IClassFixture<ChromiumFixture>
{
    private const string Alpine = "alpine/alpine-minirootfs-3.10.3-x86_64.tar.gz";

    [Fact]
    public async Task Should_show_every_figure_of_the_json_report_for_a_two_layer_image_beside_an_alpine_rootfs()
    {
        using var dir = new TempDir();
        string[] inputs = [Repo.Fixture("debian/oci") + ":two", Repo.CorpusFile(Alpine)];
        var (html, json) = Generate(dir, inputs);

        await using var page = await RenderedPage.OpenAsync(chromium.Browser, html);
        Assert.Empty(page.Errors);
        var figures = await page.FiguresAsync();
        AssertFiguresMatch(figures, json);

        // Every layer's added, removed and wasted bytes, every listed package and the measurements are shown.
        var paths = figures.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        for (var a = 0; a < inputs.Length; a++)
        {
            var artifact = json["artifacts"]![a]!;
            foreach (var field in new[] { "download.totalBytes", "installed.apparentBytes", "installed.onDiskBytes", "breakdown.ownedBytes", "breakdown.unownedBytes" })
            {
                Assert.Contains($"artifacts[{a}].{field}", paths);
            }

            for (var l = 0; l < artifact["installed"]!["layers"]!.AsArray().Count; l++)
            {
                foreach (var field in new[] { "addedBytes", "removedBytes", "wastedBytes", "modifiedBytes" })
                {
                    Assert.Contains($"artifacts[{a}].installed.layers[{l}].{field}", paths);
                }
            }

            for (var p = 0; p < artifact["breakdown"]!["packages"]!.AsArray().Count; p++)
            {
                Assert.Contains($"artifacts[{a}].breakdown.packages[{p}].bytes", paths);
            }
        }

        Assert.Equal(2, json["artifacts"]![0]!["installed"]!["layers"]!.AsArray().Count);

        // Charts: four per artifact (two treemaps, layers) plus the side-by-side bars, each with a size on screen.
        var charts = await page.Page.QuerySelectorAllAsync("svg.chart");
        Assert.Equal(1 + 3 * inputs.Length, charts.Count);
        foreach (var chart in charts)
        {
            var box = await chart.BoundingBoxAsync();
            Assert.True(box is { Width: > 100, Height: > 20 }, $"chart {await chart.GetAttributeAsync("data-chart")} has no size");
            Assert.True(await chart.EvaluateAsync<int>("c => Array.from(c.querySelectorAll('rect')).filter(r => { const b = r.getBBox(); return b.width > 0 && b.height > 0; }).length") > 0);
        }

        var colours = await DistinctColoursAsync(await page.Page.ScreenshotAsync(new() { FullPage = true }));
        output.WriteLine($"screenshot: {colours.Count} distinct colours");
        Assert.True(colours.Count > 50, $"only {colours.Count} colours: blank page?");
        Assert.Contains(0x4e79a7, colours); // owned
        Assert.Contains(0xf28e2b, colours); // unowned

        // Without JavaScript: the same figures, and the tables complete.
        await using var still = await RenderedPage.OpenAsync(chromium.Browser, html, javaScript: false);
        Assert.Empty(still.Errors);
        AssertFiguresMatch(await still.FiguresAsync(), json);
        for (var a = 0; a < inputs.Length; a++)
        {
            var artifact = json["artifacts"]![a]!;
            var section = $"#artifact-{a}";
            Assert.Equal(artifact["installed"]!["layers"]!.AsArray().Count, await still.Page.Locator($"{section} table.layers tbody tr").CountAsync());
            var packages = artifact["breakdown"]!["packages"]!.AsArray().Count + (artifact["breakdown"]!["otherPackages"]!.GetValue<int>() > 0 ? 1 : 0);
            Assert.Equal(packages, await still.Page.Locator($"{section} table.packages tbody tr").CountAsync());
            var classes = artifact["surface"]!["score"]!["classes"]!.AsArray().Count;
            Assert.Equal(classes, await still.Page.Locator($"{section} table.surface-score tbody tr").CountAsync());
            var shallow = artifact["breakdown"]!["directories"]!.AsArray().Count(d => d!["path"]!.GetValue<string>().Count(c => c == '/') <= 2);
            Assert.Equal(shallow, await still.Page.Locator($"{section} table.directories tbody tr").CountAsync());
        }

        Assert.Equal(7, await still.Page.Locator("table.measurements tbody tr").CountAsync());
        Assert.True(await still.Page.Locator("table.measurements").IsVisibleAsync());
    }

    [Fact]
    public async Task Should_list_every_vulnerability_finding_with_its_reachability_when_a_database_is_given()
    {
        using var dir = new TempDir();
        var db = dir.File("alpine.db");
        var (importCode, _, importErr) = FootprintProcess.Run(dir.Path, null, ["db", "import", "--db", db, Repo.CorpusFile("vulndata/alpine-secdb/v3.4")]);
        Assert.True(importCode == 0, importErr);
        var (html, json) = Generate(dir, [Repo.CorpusFile("alpine-old/alpine-3.4-rootfs.tar.xz"), "--db", db], measureToo: false);
        Assert.Empty(Schemas.Errors(Schemas.Report, json.ToJsonString()));
        var vulnerabilities = json["artifacts"]![0]!["vulnerabilities"]!;
        var findings = vulnerabilities["findings"]!.AsArray();
        Assert.NotEmpty(findings);
        Assert.NotNull(vulnerabilities["byReachability"]);

        await using var page = await RenderedPage.OpenAsync(chromium.Browser, html, javaScript: false);
        Assert.Empty(page.Errors);
        var figures = await page.FiguresAsync();
        AssertFiguresMatch(figures, json);
        Assert.Contains(figures, f => f.Path.StartsWith("artifacts[0].vulnerabilities.byReachability.", StringComparison.Ordinal));
        Assert.Equal(vulnerabilities["bySeverity"]!.AsObject().Count, figures.Count(f => f.Path.StartsWith("artifacts[0].vulnerabilities.bySeverity.", StringComparison.Ordinal)) / 2);
        var rows = await page.Page.EvaluateAsync<string[][]>("() => Array.from(document.querySelectorAll('table.findings tbody tr')).map(r => Array.from(r.cells).map(c => c.textContent))");
        Assert.Equal(findings.Count, rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal((string)findings[i]!["id"]!, rows[i][0]);
            Assert.Equal((string)findings[i]!["package"]!, rows[i][1]);
            Assert.Equal((string?)findings[i]!["reachability"] ?? "", rows[i][6]);
        }
    }

    [Fact]
    public async Task Should_keep_hostile_names_from_the_artifact_as_text()
    {
        using var dir = new TempDir();
        string[] names = ["<script>alert(1)</script>", "a\"b'c&d onmouseover=alert(2)", "esc\u001b[31mred", "\u202Egnp.exe", "<img src=x onerror=alert(3)>"];
        var tar = dir.File("hostile.tar");
        var db = new StringBuilder("P:<img src=x onerror=alert(4)>\nV:1.0-r0\u202E\nA:x86_64\n");
        using (var stream = File.Create(tar))
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "srv/"));
            foreach (var name in names)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, $"srv/{name}/"));
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"srv/{name}/big.bin") { DataStream = new MemoryStream(new byte[100_000]) });
                db.Append(CultureInfo.InvariantCulture, $"F:srv/{name}\nR:big.bin\n");
            }

            var installed = Encoding.UTF8.GetBytes(db.Append('\n').ToString());
            foreach (var d in new[] { "lib/", "lib/apk/", "lib/apk/db/" })
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, d));
            }

            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "lib/apk/db/installed") { DataStream = new MemoryStream(installed) });
        }

        var (html, json) = Generate(dir, [tar]);
        var text = File.ReadAllText(html);
        Assert.DoesNotContain("\u202E", text);
        Assert.DoesNotContain("\u001b", text);
        Assert.DoesNotContain("<script>alert", text);
        Assert.DoesNotContain("<img", text);
        Assert.DoesNotContain("onmouseover=alert(2)\"", text);
        Assert.Equal(1, CountOf(text, "<script>"));

        await using var page = await RenderedPage.OpenAsync(chromium.Browser, html);
        Assert.Empty(page.Errors);
        AssertFiguresMatch(await page.FiguresAsync(), json);
        Assert.Equal(1, await page.Page.EvaluateAsync<int>("() => document.scripts.length"));
        Assert.Equal(0, await page.Page.EvaluateAsync<int>("() => document.querySelectorAll('img,[onerror],[onmouseover],[onload]').length"));
        var body = await page.Page.EvaluateAsync<string>("() => document.body.textContent");
        Assert.Contains("/srv/<script>alert(1)</script>", body);
        Assert.Contains("/srv/a\"b'c&d onmouseover=alert(2)", body);
        Assert.Contains("/srv/esc\\u{001B}[31mred", body);
        Assert.Contains("/srv/\\u{202E}gnp.exe", body);
        Assert.Contains("<img src=x onerror=alert(4)>", body);
        Assert.Equal(5 * 100_000, json["artifacts"]![0]!["breakdown"]!["packages"]![0]!["bytes"]!.GetValue<long>());
    }

    [Fact]
    public async Task Should_load_an_image_of_50000_files_quickly_with_a_bounded_number_of_shapes()
    {
        using var dir = new TempDir();
        var tar = dir.File("many.tar");
        using (var stream = File.Create(tar))
        using (var writer = new TarWriter(stream, TarEntryFormat.Ustar))
        {
            var data = new byte[64];
            for (var d = 0; d < 500; d++)
            {
                writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, $"data/d{d:D3}/"));
                for (var f = 0; f < 100; f++)
                {
                    writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, $"data/d{d:D3}/f{f:D3}") { DataStream = new MemoryStream(data, 0, 1 + (d * 100 + f) % 64) });
                }
            }
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (html, json) = Generate(dir, [tar], measureToo: true);
        output.WriteLine($"report + measure of 50,000 files: {watch.Elapsed.TotalSeconds:F1} s, page {new FileInfo(html).Length} bytes");
        Assert.Equal(50_000, json["artifacts"]![0]!["installed"]!["files"]!.GetValue<long>());

        await using var page = await RenderedPage.OpenAsync(chromium.Browser, html);
        output.WriteLine($"page load: {page.LoadTime.TotalMilliseconds:F0} ms");
        Assert.Empty(page.Errors);
        Assert.True(page.LoadTime < TimeSpan.FromSeconds(5), $"load took {page.LoadTime}");
        var shapes = await page.Page.EvaluateAsync<int>("() => document.querySelectorAll('svg[data-chart=directories] rect').length");
        Assert.InRange(shapes, 500, DirectoryTreemap.MaxRects);
        AssertFiguresMatch(await page.FiguresAsync(), json);
    }

    /// <summary>`report` and `measure --breakdown -f json` of the same inputs; the page and the JSON of `measure`.</summary>
    private static (string Html, JsonNode Json) Generate(TempDir dir, string[] inputs, bool measureToo = true)
    {
        var html = dir.File("report.html");
        var reportJson = dir.File("report.json");
        var (code, _, stderr) = FootprintProcess.Run(dir.Path, null, ["report", "-q", "--no-cache", .. inputs, "-o", html, "--json", reportJson]);
        Assert.True(code == 0, stderr);
        if (!measureToo)
        {
            return (html, JsonNode.Parse(File.ReadAllText(reportJson))!);
        }

        var (measureCode, measured, measureErr) = FootprintProcess.Run(dir.Path, null, ["measure", "-q", "--no-cache", "--breakdown", "-f", "json", .. inputs]);
        Assert.True(measureCode == 0, measureErr);
        // The page was made from the very report `measure` writes, and that report, breakdown included, is valid.
        Assert.Equal(measured, File.ReadAllText(reportJson));
        Assert.Empty(Schemas.Errors(Schemas.Report, measured));
        return (html, JsonNode.Parse(measured)!);
    }

    private static void AssertFiguresMatch(List<(string Path, long Value, string Text, string? Title)> figures, JsonNode json)
    {
        Assert.NotEmpty(figures);
        foreach (var (path, value, text, title) in figures)
        {
            Assert.True(RenderedPage.Resolve(json, path) == value, $"{path}: page {value}, JSON {RenderedPage.Resolve(json, path)}");
            if (title is not null)
            {
                // Bytes: the exact count in the title, and the text within rounding of it.
                Assert.Equal(value, long.Parse(new string(title.Where(char.IsAsciiDigit).ToArray()), CultureInfo.InvariantCulture));
                var parts = text.Split(' ');
                var unit = parts[1] switch { "B" => 1L, "KiB" => 1L << 10, "MiB" => 1L << 20, "GiB" => 1L << 30, _ => throw new InvalidOperationException(text) };
                Assert.InRange(double.Parse(parts[0], CultureInfo.InvariantCulture) * unit, value - 0.05 * unit, value + 0.05 * unit);
            }
            else if (text.Length > 0)
            {
                Assert.Equal(value.ToString(CultureInfo.InvariantCulture), text);
            }
        }
    }

    /// <summary>The colours of a PNG, decoded by the browser itself (a blank page has one).</summary>
    private async Task<HashSet<int>> DistinctColoursAsync(byte[] png)
    {
        var context = await chromium.Browser.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            var colours = await page.EvaluateAsync<int[]>("""
                async b64 => {
                  const img = new Image(); img.src = 'data:image/png;base64,' + b64; await img.decode();
                  const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
                  const x = c.getContext('2d'); x.drawImage(img, 0, 0);
                  const d = x.getImageData(0, 0, c.width, c.height).data; const s = new Set();
                  for (let i = 0; i < d.length; i += 4) { s.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]); }
                  return Array.from(s);
                }
                """, Convert.ToBase64String(png));
            return [.. colours];
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private static int CountOf(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
