using System.CommandLine;
using Footprint.Store.Catalog;

namespace Footprint.Cli.Commands;

/// <summary>
/// Where the user's catalog is: the layer cache's directory (`--cache-dir DIR`, default $XDG_CACHE_HOME/footprint,
/// else ~/.cache/footprint), in the same layers.db (docs/choose.md, "The catalog").
/// </summary>
internal sealed class CatalogStoreOption
{
    /// <summary>`--cache-dir`, for the catalog commands that do not measure (the others have CacheOptions' own).</summary>
    public Option<string?> Option { get; } = new("--cache-dir")
    {
        Description = "The directory of the cache, whose layers.db holds the catalog (default: $XDG_CACHE_HOME/footprint, else ~/.cache/footprint)",
    };

    /// <summary>The catalog: in --cache-dir of this option, or of the command's cache options (CacheOptions.Directory), or the default.</summary>
    public CatalogStore Open(ParseResult parse)
        => CatalogStore.Open((parse.CommandResult.Command.Options.Contains(Option) ? parse.GetValue(Option) : null) ?? CacheOptions.Directory(parse)
            ?? throw new ArgumentException("no directory for the catalog: give --cache-dir DIR (neither XDG_CACHE_HOME nor HOME is set)"));
}
