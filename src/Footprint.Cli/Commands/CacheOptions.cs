using System.CommandLine;
using Footprint.Cli.Rendering;
using Footprint.Store;

namespace Footprint.Cli.Commands;

/// <summary>
/// `--cache-dir DIR` and `--no-cache`, shared by every command that reads artifacts. The CLI caches by default
/// (in $XDG_CACHE_HOME/footprint, else ~/.cache/footprint); the library does not unless given a cache.
/// </summary>
internal sealed class CacheOptions
{
    private readonly Option<string?> _directory = new("--cache-dir")
    {
        Description = "Keep the per-layer cache in DIR (default: $XDG_CACHE_HOME/footprint, else ~/.cache/footprint)",
    };

    private readonly Option<bool> _off = new("--no-cache") { Description = "Neither read nor write the per-layer cache" };

    public Option[] Options => [_directory, _off];

    /// <summary>
    /// The cache to use, or null (`--no-cache`, or no usable directory: then a note on standard error and the run
    /// goes on without it, as the cache never changes a figure).
    /// </summary>
    public LayerCache? Open(ParseResult parse)
    {
        if (parse.GetValue(_off))
        {
            return null;
        }

        var directory = parse.GetValue(_directory) ?? LayerCache.DefaultDirectory();
        if (directory is null)
        {
            return null;
        }

        try
        {
            return LayerCache.Open(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            Console.Error.WriteLine($"footprint: note: layer cache in {TerminalText.Escape(directory)} unavailable ({TerminalText.Escape(e.Message)}); measuring without it");
            return null;
        }
    }
}
