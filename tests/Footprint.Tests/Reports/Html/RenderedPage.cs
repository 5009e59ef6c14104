using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Footprint.Tests.Reports.Html;

/// <summary>A report page opened in Chromium, with the console errors and page errors it raised while loading.</summary>
internal sealed class RenderedPage : IAsyncDisposable
{
    private RenderedPage(IBrowserContext context, IPage page, List<string> errors, TimeSpan loadTime)
        => (Context, Page, Errors, LoadTime) = (context, page, errors, loadTime);

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public List<string> Errors { get; }

    /// <summary>Navigation start to the end of the load event, as the page's Navigation Timing reports it.</summary>
    public TimeSpan LoadTime { get; }

    public static async Task<RenderedPage> OpenAsync(IBrowser browser, string file, bool javaScript = true)
    {
        var context = await browser.NewContextAsync(new() { JavaScriptEnabled = javaScript, ViewportSize = new() { Width = 1100, Height = 900 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                errors.Add($"console {m.Type}: {m.Text}");
            }
        };
        page.PageError += (_, e) => errors.Add($"page error: {e}");
        page.Dialog += (_, d) => errors.Add($"dialog: {d.Message}");
        page.Request += (_, r) =>
        {
            if (!r.Url.StartsWith("file:", StringComparison.Ordinal))
            {
                errors.Add($"request: {r.Url}");
            }
        };
        await page.GotoAsync("file://" + file, new() { WaitUntil = WaitUntilState.Load });
        // The browser's own navigation timing: from the start of the navigation to the end of the load event.
        var loaded = await page.EvaluateAsync<double>("() => performance.getEntriesByType('navigation')[0].loadEventEnd");
        return new RenderedPage(context, page, errors, TimeSpan.FromMilliseconds(loaded));
    }

    /// <summary>Every figure in the DOM: its JSON path, raw value, text and title.</summary>
    public async Task<List<(string Path, long Value, string Text, string? Title)>> FiguresAsync()
    {
        var raw = await Page.EvaluateAsync<string[][]>(
            "() => Array.from(document.querySelectorAll('[data-json]')).map(e => [e.getAttribute('data-json'), e.getAttribute('data-value'), e.tagName.toLowerCase() === 'span' ? e.textContent : '', e.getAttribute('title') || ''])");
        return raw.Select(r => (r[0], long.Parse(r[1], CultureInfo.InvariantCulture), r[2], string.IsNullOrEmpty(r[3]) ? null : r[3])).ToList();
    }

    /// <summary>The number at <paramref name="path"/> ("artifacts[0].installed.layers[1].addedBytes") of a JSON report.</summary>
    public static long Resolve(JsonNode report, string path)
    {
        JsonNode? node = report;
        foreach (var segment in path.Split('.'))
        {
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? segment : segment[..bracket];
            node = node?[name];
            while (bracket >= 0)
            {
                var close = segment.IndexOf(']', bracket);
                node = node?[int.Parse(segment[(bracket + 1)..close], CultureInfo.InvariantCulture)];
                bracket = segment.IndexOf('[', close);
            }
        }

        return node?.GetValue<long>() ?? throw new InvalidOperationException($"{path}: not in the JSON report");
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
