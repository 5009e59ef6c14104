using System.Text;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Reports.Json;
using Footprint.Store;

namespace Footprint.Tests.Store;

/// <summary>Measures through the pipeline with or without a cache and renders the report as the CLI's JSON.</summary>
internal static class CachedRun
{
    public static string Json(string reference, LayerCache? cache, MeasureOptions? options = null)
    {
        var report = ReportAssembler.Measure(reference, (options ?? new MeasureOptions()) with { LayerCache = cache });
        return Json(report);
    }

    public static string Json(ArtifactReport report)
    {
        using var stream = new MemoryStream();
        JsonReportWriter.Write(new Report { Tool = new ToolInfo("footprint", "test"), Artifacts = [report] }, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The report without the cache's own warnings (a damaged cache file is reported; nothing else may differ).</summary>
    public static string WithoutCacheWarnings(string reference, LayerCache cache, out List<string> cacheWarnings, MeasureOptions? options = null)
    {
        var report = ReportAssembler.Measure(reference, (options ?? new MeasureOptions()) with { LayerCache = cache });
        cacheWarnings = report.Warnings.Where(w => w.Code == LayerCache.RebuiltCode).Select(w => w.Message).ToList();
        return Json(report with { Warnings = report.Warnings.Where(w => w.Code != LayerCache.RebuiltCode).ToList() });
    }
}
