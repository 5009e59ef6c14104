using System.CommandLine;
using Footprint.Pipeline;

namespace Footprint.Cli.Commands;

/// <summary>`--disable ID` and `--only ID` (repeatable, or comma lists), shared by every command that measures.</summary>
internal sealed class AnalyzerOptions
{
    public Option<string[]> Disable { get; } = new("--disable")
    {
        Description = "Do not run these analyzers (ids from `footprint analyzers`; repeat or separate with commas). Core measurements always run",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> Only { get; } = new("--only")
    {
        Description = "Run only these analyzers, what they consume, and the core measurements (ids from `footprint analyzers`)",
        AllowMultipleArgumentsPerToken = false,
    };

    public IEnumerable<Option> All => [Disable, Only];

    public AnalyzerSelection Read(ParseResult parse) => new()
    {
        Disable = Split(parse.GetValue(Disable)),
        Only = Split(parse.GetValue(Only)),
    };

    private static List<string> Split(string[]? values)
        => (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToList();
}
