using Footprint.FileSystem;
using Footprint.Walk;

namespace Footprint.Store;

/// <summary>
/// Watches one read of a layer that missed the cache: for every regular file it asks each analyzer for its need
/// (what <see cref="Walker.Need"/> does, one analyzer at a time), so each analyzer's needs can be stored under its
/// own (id, version) and a later version bump invalidates only that analyzer's entry.
/// </summary>
public sealed class LayerRecorder
{
    private readonly List<(FileData Data, ContentNeed[] Needs)> _files = [];

    internal LayerRecorder(LayerCacheRequest request)
    {
        Request = request;
    }

    public LayerCacheRequest Request { get; }

    internal IReadOnlyList<(FileData Data, ContentNeed[] Needs)> Files => _files;

    /// <summary>The strongest need any analyzer has for the regular file just read (the same answer as <see cref="Walker.Need"/>).</summary>
    public ContentNeed Need(string path, FsNode node)
    {
        var analyzers = Request.Analyzers;
        ContentNeed[]? needs = null;
        var max = ContentNeed.None;
        for (var i = 0; i < analyzers.Count; i++)
        {
            var need = analyzers[i].Required(path, node);
            if (need == ContentNeed.None)
            {
                continue;
            }

            needs ??= new ContentNeed[analyzers.Count];
            needs[i] = need;
            if (need > max)
            {
                max = need;
            }
        }

        if (needs is not null && node.Data is { } data)
        {
            _files.Add((data, needs));
        }

        return max;
    }
}
