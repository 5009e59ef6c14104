namespace Footprint.Reports.Html;

/// <summary>
/// The page's own style and script, inline (the report is one file, read offline: nothing is fetched). The script is
/// optional: everything, tables and charts included, is in the markup; it only names the shape under the pointer
/// below each treemap. The content security policy forbids every fetch, so even a bug elsewhere cannot reach out.
/// </summary>
public static class HtmlAssets
{
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

    public const string Style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:1.5em auto;max-width:1000px;color:#222;background:#fff;padding:0 1em}
        h1{font-size:1.5em}h2{border-bottom:2px solid #ccc;padding-bottom:.2em;margin-top:2em}h3{margin-top:1.5em}
        table{border-collapse:collapse;margin:.5em 0;font-size:13px}th,td{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
        thead th{background:#f2f2f2}td.num{text-align:right;white-space:nowrap}td.path,td.digest{font-family:monospace;word-break:break-all}
        .method{color:#555;font-size:12px}.na{color:#999}.fig{white-space:nowrap}
        svg.chart{width:100%;height:auto;display:block;font-size:11px}svg text{fill:#222;pointer-events:none}
        .treemap rect{stroke:#fff;stroke-width:.5}.treemap rect.dir{fill:#e8e8e8;stroke:#888}
        .owned,.swatch.owned,.pkg{fill:#4e79a7;background:#4e79a7}.pkg.other{fill:#9db4cf}.treemap .pkg+text,.treemap .owned+text{fill:#fff}
        .unowned,.swatch.unowned{fill:#f28e2b;background:#f28e2b}
        .added{fill:#59a14f}.modified{fill:#edc948}.removed{fill:#e15759}.wasted{fill:#b07aa1}
        .s0{fill:#4e79a7;background:#4e79a7}.s1{fill:#f28e2b;background:#f28e2b}.s2{fill:#59a14f;background:#59a14f}
        .s3{fill:#e15759;background:#e15759}.s4{fill:#76b7b2;background:#76b7b2}.s5{fill:#b07aa1;background:#b07aa1}
        .swatch{display:inline-block;width:.8em;height:.8em;margin-right:.3em;vertical-align:middle}
        figure{margin:.5em 0}figcaption{min-height:1.4em;font-size:12px;color:#333}
        .warning{color:#8a4b00}
        @media print{body{max-width:none;margin:0}section,figure,table{break-inside:avoid}details>summary{display:none}a{color:inherit}}
        """;

    /// <summary>Shows the title of the shape under the pointer in the figure's caption; nothing else depends on it.</summary>
    public const string Script = """
        (function () {
          document.querySelectorAll('figure').forEach(function (figure) {
            var caption = figure.querySelector('figcaption.pick');
            if (!caption) { return; }
            figure.addEventListener('mouseover', function (e) {
              var title = e.target && e.target.querySelector ? e.target.querySelector('title') : null;
              caption.textContent = title ? title.textContent : '';
            });
          });
        })();
        """;
}
