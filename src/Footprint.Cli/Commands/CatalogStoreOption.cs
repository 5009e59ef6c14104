using System.CommandLine;
using Footprint.Store;
using Footprint.Store.Catalog;

namespace Footprint.Cli.Commands;

/// <summary>
/// Where the user's catalog is: the layer cache's directory (`--cache-dir DIR`, default $XDG_CACHE_HOME/footprint,
/// else ~/.cache/footprint), in the same layers.db (docs/choose.md, "The catalog").
/// </summary>
internal sealed class CatalogStoreOption
{
    public CatalogStoreOption(Option<string?>? shared = null)
    {
        Option = shared ?? new Option<string?>("--cache-dir")
        {
            Description = "The directory of the cache, whose layers.db holds the catalog (default: $XDG_CACHE_HOME/footprint, else ~/.cache/footprint)",
        };
    }

    public Option<string?> Option { get; }

    public CatalogStore Open(ParseResult parse)
        => CatalogStore.Open(parse.GetValue(Option) ?? LayerCache.DefaultDirectory()
            ?? throw new ArgumentException("no directory for the catalog: give --cache-dir DIR (neither XDG_CACHE_HOME nor HOME is set)"));
}
