using Footprint.Reports.Choices;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Footprint.Cli.Rendering;

/// <summary>`footprint choose` for the terminal: the ranked candidates with their margins, then every excluded system with why. Renderables only.</summary>
internal static class ChooseTable
{
    public static IRenderable Render(Choice c)
    {
        var parts = new List<IRenderable>
        {
            new Markup(TerminalText.Cell($"{c.ShippedEntries} shipped and {c.UserEntries} of your catalog entries considered; {c.Candidates.Count} fit, {c.Excluded.Count} excluded") + "\n"),
        };
        if (c.Candidates.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumns("#", "system", "world", "arch", "libc", "init", "binding", "margins (measured unless marked)", "published");
            foreach (var k in c.Candidates)
            {
                table.AddRow(
                    k.Rank?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                    TerminalText.Cell(k.Name) + (k.Origin == "user" ? " [dim](yours)[/]" : string.Empty) + "\n[dim]" + TerminalText.Cell(k.Os ?? "-") + "[/]",
                    TerminalText.Cell(k.World),
                    TerminalText.Cell(k.Architecture ?? "-"),
                    TerminalText.Cell(k.Libc),
                    TerminalText.Cell(k.Init ?? "-"),
                    TerminalText.Cell(k.Binding ?? "-"),
                    string.Join("\n", k.Axes.Where(a => a.Limit is not null).Select(Margin)) is { Length: > 0 } m ? m : "-",
                    Published(k));
            }

            parts.Add(table);
        }

        if (c.Excluded.Count > 0)
        {
            var excluded = new Table().Border(TableBorder.Rounded).AddColumns("excluded", "world", "why");
            foreach (var k in c.Excluded)
            {
                excluded.AddRow(TerminalText.Cell(k.Name) + (k.Origin == "user" ? " [dim](yours)[/]" : string.Empty), TerminalText.Cell(k.World),
                    string.Join("\n", k.Axes.Where(a => !a.Passed && a.Constraint != k.Binding).Select(a => TerminalText.Cell($"{a.Constraint}: {a.Text}"))
                        .Prepend(TerminalText.Cell($"{k.Binding}: {k.Summary}"))));
            }

            parts.Add(excluded);
        }

        parts.Add(new Markup(TerminalText.Cell("rank: " + c.Rule) + "\n"));
        return new Rows(parts);
    }

    private static string Margin(AxisVerdict a)
    {
        var basis = a.Basis switch
        {
            "measured" => string.Empty,
            "published" => " [bold](by published figure)[/]",
            "lower-bound" => " (lower bound)",
            _ => " (not measured)",
        };
        var margin = a.Margin is not { } m ? "?" : a.Constraint is "vulnerabilities" or "reachable" ? $"{m} to spare" : ByteText.Format(m) + " to spare";
        return TerminalText.Cell($"{a.Constraint}: {margin}") + basis;
    }

    private static string Published(ChoiceCandidate k)
        => k.Published.Count == 0 ? "-" : string.Join("\n", k.Published.Select(p => TerminalText.Cell($"{p.Figure.Replace("-bytes", "", StringComparison.Ordinal)} {ByteText.Format(p.Bytes)} (published; {p.Section})")));
}
