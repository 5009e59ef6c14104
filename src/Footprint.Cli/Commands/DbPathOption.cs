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

    /// <summary>
    /// For commands where matching is optional (`measure`, `sbom`): the database the user named, which must exist, or
    /// null when none was named (no vulnerability matching).
    /// </summary>
    public string? Given(ParseResult parse)
        => parse.GetValue(Option) is not { } path ? null
            : File.Exists(path) ? path
            : throw new FileNotFoundException($"no advisory database at {path}: import feeds first (footprint db import FILE, or footprint db update)");

    public string Resolve(ParseResult parse)
        => parse.GetValue(Option) ?? AdvisoryDatabase.DefaultPath()
            ?? throw new ArgumentException("no data directory: set XDG_DATA_HOME or HOME, or give --db PATH");
}
