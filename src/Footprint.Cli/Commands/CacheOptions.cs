using System.CommandLine;
using Footprint.Cli.Rendering;
using Footprint.Store;

namespace Footprint.Cli.Commands;

/// <summary>
/// `--cache-dir DIR`, `--no-cache` and `--rehash`, shared by every command that reads artifacts. The CLI caches by default
/// (in $XDG_CACHE_HOME/footprint, else ~/.cache/footprint); the library does not unless given a cache.
/// </summary>
internal sealed class CacheOptions
{
    private const string DirectoryName = "--cache-dir";

    private readonly Option<string?> _directory = new(DirectoryName)
    {
        Description = "Keep the per-layer cache in DIR (default: $XDG_CACHE_HOME/footprint, else ~/.cache/footprint)",
    };

    private readonly Option<bool> _off = new("--no-cache") { Description = "Neither read nor write the per-layer cache" };

    private readonly Option<bool> _rehash = new("--rehash")
    {
        Description = "On a cache hit, hash every layer blob again even when its file is unchanged (same device, inode, size, mtime and ctime) since a read verified it",
    };

    public Option[] Options => [_directory, _off, _rehash];

    /// <summary>
    /// The cache directory a command line names (`--cache-dir`, else the default), for options of other groups that
    /// keep things beside the cache (`--keep-blobs`); found by name, so it works for any command that has the option.
    /// </summary>
    public static string? Directory(ParseResult parse)
        => (parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == DirectoryName) is Option<string?> option ? parse.GetValue(option) : null)
            ?? LayerCache.DefaultDirectory();

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
            var cache = LayerCache.Open(directory);
            cache.TrustUnchangedBlobs = !parse.GetValue(_rehash);
            return cache;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            Console.Error.WriteLine($"footprint: note: layer cache in {TerminalText.Escape(directory)} unavailable ({TerminalText.Escape(e.Message)}); measuring without it");
            return null;
        }
    }
}
