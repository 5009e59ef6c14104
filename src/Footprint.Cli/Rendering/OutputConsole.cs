using System.Globalization;
using Spectre.Console;

namespace Footprint.Cli.Rendering;

/// <summary>
/// The console tables are written to, and how wide it is. Spectre.Console falls back to 80 columns whenever stdout is
/// not a terminal, which split long names across lines (`footprint inventory X | grep libapt-pkg6.0` found nothing).
/// Rule: COLUMNS when set (also for a terminal); else the terminal's width; else (a pipe or a file) no limit, so
/// that every cell stays on one line.
/// </summary>
internal static class OutputConsole
{
    /// <summary>"No limit": wide enough for any cell, small enough that Spectre's width arithmetic cannot overflow.</summary>
    public const int UnlimitedWidth = 1 << 20;

    /// <summary>The console for standard output.</summary>
    public static IAnsiConsole Stdout()
    {
        var console = AnsiConsole.Console;
        if (Width(Environment.GetEnvironmentVariable("COLUMNS"), isTerminal: !Console.IsOutputRedirected) is { } width)
        {
            console.Profile.Width = width;
        }

        return console;
    }

    /// <summary>A plain console (no colour, no ANSI) writing to <paramref name="writer"/>, a file.</summary>
    public static IAnsiConsole Plain(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), ColorSystem = ColorSystemSupport.NoColors, Ansi = AnsiSupport.No });
        console.Profile.Width = Width(Environment.GetEnvironmentVariable("COLUMNS"), isTerminal: false) ?? UnlimitedWidth;
        return console;
    }

    /// <summary>The width to force, or null to keep the terminal's own.</summary>
    /// <param name="columns">The COLUMNS variable, if any.</param>
    /// <param name="isTerminal">Whether the output is a terminal.</param>
    internal static int? Width(string? columns, bool isTerminal)
    {
        if (int.TryParse(columns, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            return Math.Min(n, UnlimitedWidth);
        }

        return isTerminal ? null : UnlimitedWidth;
    }
}
