namespace Footprint.Measures.Inventory;

/// <summary>The base-versus-added split: a base is known when its layers are the first layers of the image.</summary>
public sealed record BaseSplitReport
{
    /// <summary>The base as given.</summary>
    public required string Reference { get; init; }

    /// <summary>True when the base's layers (diff ids, else blob digests) are a prefix of the image's.</summary>
    public bool Matched { get; init; }

    /// <summary>Why the base does not match, when it does not.</summary>
    public string? Reason { get; init; }

    /// <summary>Layers of the image that come from the base (0..BaseLayers-1).</summary>
    public int BaseLayers { get; init; }

    public int BasePackages { get; init; }

    /// <summary>Packages the base brought that a later layer changed (upgraded, downgraded or rebuilt).</summary>
    public int ChangedPackages { get; init; }

    public int AddedPackages { get; init; }

    /// <summary>Bytes the added layers wrote (added plus modified files).</summary>
    public long AddedBytes { get; init; }

    /// <summary>Bytes of the base the added layers deleted or overwrote.</summary>
    public long RemovedBytes { get; init; }
}
