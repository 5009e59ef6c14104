namespace Footprint.Reports.Comparisons;

/// <summary>The per-layer part of a diff (see <see cref="LayerDiff"/> for the matching rule).</summary>
public static class LayerMatch
{
    /// <summary>Null unless both artifacts are images whose every layer has a diffID.</summary>
    public static IReadOnlyList<LayerDiff>? Of(ArtifactReport old, ArtifactReport @new)
    {
        if (!HasLayers(old) || !HasLayers(@new))
        {
            return null;
        }

        var shared = 0;
        while (shared < old.Download.Layers.Count && shared < @new.Download.Layers.Count
            && string.Equals(old.Download.Layers[shared].DiffId, @new.Download.Layers[shared].DiffId, StringComparison.Ordinal))
        {
            shared++;
        }

        var result = new List<LayerDiff>();
        result.AddRange(Enumerable.Range(0, shared).Select(i => Layer("shared", @new, i)));
        result.AddRange(Enumerable.Range(shared, old.Download.Layers.Count - shared).Select(i => Layer("removed", old, i)));
        result.AddRange(Enumerable.Range(shared, @new.Download.Layers.Count - shared).Select(i => Layer("added", @new, i)));
        return result;
    }

    private static bool HasLayers(ArtifactReport a)
        => a.Download.Layers.Count > 0 && a.Download.Layers.All(l => l.DiffId is not null);

    private static LayerDiff Layer(string status, ArtifactReport a, int index)
    {
        var download = a.Download.Layers[index];
        var usage = a.Installed.Layers.FirstOrDefault(l => l.Index == download.Index);
        return new LayerDiff(status, download.Index, download.DiffId, download.DownloadBytes,
            usage?.AddedBytes ?? 0, usage?.AddedFiles ?? 0, usage?.ModifiedBytes ?? 0, usage?.ModifiedFiles ?? 0, usage?.RemovedBytes ?? 0, usage?.RemovedFiles ?? 0);
    }
}
