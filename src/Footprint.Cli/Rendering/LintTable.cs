using System.Globalization;
using Footprint.Analyzers.Libc;
using Footprint.Analyzers.Loader;
using Footprint.Reports;
using Spectre.Console.Rendering;
using Spectre.Console;

namespace Footprint.Cli.Rendering;

/// <summary>Renders the lint section for the terminal; produces renderables, never writes to the console itself.</summary>
internal static class LintTable
{
    public static IRenderable Render(Report report)
    {
        var rows = new List<IRenderable>();
        foreach (var a in report.Artifacts)
        {
            var lint = a.Lint;
            var summary = new Table().Border(TableBorder.Rounded).Title($"[bold]{TerminalText.Cell(a.Input)}[/] [grey]({TerminalText.Cell(a.Kind)})[/]")
                .AddColumn("Check").AddColumn(new TableColumn("Value").RightAligned()).AddColumn("How");
            summary.AddRow("C library", TerminalText.Cell(LibcText(lint?.Libc)), TerminalText.Cell(lint?.Libc is { } l ? string.Join("; ", l.Evidence.Select(e => e.Path)) : "no C library installed"));
            if (lint is not null)
            {
                var c = lint.Counts;
                summary.AddRow("Dynamic programs", N(c.DynamicExecutables), $"{Plural.Of(c.SharedLibraries, "shared library", "shared libraries")}, {Plural.Of(c.StaticExecutables, "static program")}");
                summary.AddRow("Resolved", N(c.Resolved), "dynamic objects whose whole closure was found");
                summary.AddRow("Scripts", N(c.Scripts), "executable files starting with #!");
                summary.AddRow("Findings", N(lint.Findings.Count), Counts(lint));
            }

            rows.Add(summary);
            if (lint is { Findings.Count: > 0 })
            {
                var findings = new Table().Border(TableBorder.Simple).AddColumn("Severity").AddColumn("Code").AddColumn("Path").AddColumn("Detail");
                foreach (var f in lint.Findings)
                {
                    var color = f.Severity switch { "error" => "red", "warning" => "yellow", _ => "grey" };
                    findings.AddRow($"[{color}]{TerminalText.Cell(f.Severity)}[/]", TerminalText.Cell(f.Code), TerminalText.Cell(f.Path), TerminalText.Cell(f.Detail));
                }

                rows.Add(findings);
            }
        }

        return new Rows(rows);
    }

    /// <summary>"glibc 2.36", "musl 1.2.5", "none".</summary>
    internal static string LibcText(LibcReport? libc) => libc is null ? "none" : libc.Version is null ? libc.Name : $"{libc.Name} {libc.Version}";

    internal static string Counts(LintReport lint)
        => string.Join(", ", new[] { "error", "warning", "info" }.Select(s => Plural.Of(lint.Findings.Count(f => f.Severity == s), s)));

    private static string N(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
