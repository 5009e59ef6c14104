using System.CommandLine;
using Footprint.Advisories.Database;

namespace Footprint.Cli.Commands;

/// <summary>`--db PATH`, shared by the `db` subcommands (and, later, by the commands that match advisories).</summary>
internal sealed class DbPathOption
{
    public Option<string?> Option { get; } = new("--db")
    {
        Description = "The advisory database (default: $XDG_DATA_HOME/footprint/advisories.db, else ~/.local/share/footprint/advisories.db)",
    };

    public string Resolve(ParseResult parse)
        => parse.GetValue(Option) ?? AdvisoryDatabase.DefaultPath()
            ?? throw new ArgumentException("no data directory: set XDG_DATA_HOME or HOME, or give --db PATH");
}
