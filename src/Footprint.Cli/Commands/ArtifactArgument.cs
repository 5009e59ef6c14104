using System.CommandLine;
using Footprint.Cli.Rendering;

namespace Footprint.Cli.Commands;

/// <summary>
/// The artifact argument every command takes. System.CommandLine hands an unknown option (`--formt`) to a
/// positional argument, which then failed later as "--formt: no such file" (an input error, not a usage error).
/// An artifact starting with '-' is rejected here as an unknown option, with the closest real one; a file whose
/// name starts with '-' is still reachable as ./-name.
/// </summary>
internal static class ArtifactArgument
{
    /// <summary>Adds the check to <paramref name="argument"/>, whose options are those of <paramref name="command"/>.</summary>
    public static void RejectOptions(Argument argument, Command command)
        => argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.Length > 1 && token.Value[0] == '-')
                {
                    var names = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name));
                    var closest = Suggestion.Closest(token.Value.Split('=')[0], names);
                    result.AddError($"unknown option '{TerminalText.Escape(token.Value)}'" + (closest is null ? string.Empty : $"; did you mean '{closest}'?"));
                }
            }
        });
}
