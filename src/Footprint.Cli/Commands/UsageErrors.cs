using System.CommandLine;
using Footprint.Cli.Rendering;

namespace Footprint.Cli.Commands;

/// <summary>
/// Parse errors as the user sees them: one `footprint: error:` line each (escaped: they quote what was typed),
/// a "did you mean" for a mistyped command or option, and where the help is; never the whole help page, which
/// buried the one line that mattered. The caller exits 2 (System.CommandLine's default was 1, which `lint` uses
/// for findings).
/// </summary>
internal static class UsageErrors
{
    public static void Write(ParseResult parse, TextWriter error)
    {
        var command = parse.CommandResult.Command;
        var path = CommandPath(parse);
        var unmatched = parse.UnmatchedTokens;
        if (command is RootCommand && unmatched.Count > 0 && !unmatched[0].StartsWith('-'))
        {
            // `footprint mesure x`: the rest of the line belongs to the command that was meant, so one error is enough.
            var closest = Suggestion.Closest(unmatched[0], command.Subcommands.Select(c => c.Name));
            error.WriteLine($"footprint: error: unknown command '{TerminalText.Escape(unmatched[0])}'" + (closest is null ? string.Empty : $"; did you mean '{closest}'?"));
        }
        else
        {
            foreach (var e in parse.Errors)
            {
                error.WriteLine($"footprint: error: {TerminalText.Escape(e.Message)}");
            }

            foreach (var token in unmatched.Where(t => t.StartsWith('-')))
            {
                var names = command.Options.Concat(parse.RootCommandResult.Command.Options.Where(o => o.Recursive)).SelectMany(o => o.Aliases.Prepend(o.Name));
                if (Suggestion.Closest(token.Split('=')[0], names) is { } closest)
                {
                    error.WriteLine($"footprint: did you mean '{closest}' instead of '{TerminalText.Escape(token)}'?");
                }
            }
        }

        error.WriteLine($"Run '{path} --help' for usage.");
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, r.Command is RootCommand ? "footprint" : r.Command.Name);
        }

        return string.Join(' ', names);
    }
}
