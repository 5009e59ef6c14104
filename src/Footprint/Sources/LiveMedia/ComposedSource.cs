namespace Footprint.Sources.LiveMedia;

/// <summary>
/// A system composed from the pieces of a medium (live ISO, disk image, firmware, a bare squashfs or initramfs): each
/// component is a layer of the one layered view, stacked in the distro's order (<see cref="DistroRules"/>). Reading a
/// layer streams the component out of the medium; nothing is extracted to disk.
/// </summary>
public sealed class ComposedSource : IArtifactSource, IComposedMedium
{
    private readonly Func<Component, LayerReadOptions, ComponentStats, ILayerReader> _open;
    private readonly ComponentStats[] _stats;
    private readonly IDisposable? _owned;

    public ComposedSource(string kind, string location, long mediumBytes, Composition composition, MediumInfo medium,
        Func<Component, LayerReadOptions, ComponentStats, ILayerReader> open, IDisposable? owned = null)
    {
        Kind = SourceKind.Named(kind);
        Location = location;
        MediumBytes = mediumBytes;
        Composition = composition;
        Medium = medium;
        _open = open;
        _owned = owned;
        _stats = composition.Components.Select(_ => new ComponentStats()).ToArray();
        Layers = composition.Components
            .Select(c => new LayerDescriptor(c.Layer, null, null, null, c.StoredBytes, c.Path.Length == 0 ? location : $"{location}!/{c.Path}"))
            .ToList();
    }

    /// <summary>iso, fat-image, squashfs, initramfs, firmware.</summary>
    public SourceKind Kind { get; }

    public string Location { get; }

    /// <summary>Size of the artifact file: what is downloaded.</summary>
    public long MediumBytes { get; }

    public Composition Composition { get; }

    public MediumInfo Medium { get; }

    /// <summary>What each component put in its layer; filled as the layers are read.</summary>
    public IReadOnlyList<ComponentStats> Stats => _stats;

    public ImageConfig? Config => null;

    public IReadOnlyList<LayerDescriptor> Layers { get; }

    public long? ManifestBytes => null;

    public long? ConfigBytes => null;

    public string? ManifestDigest => null;

    /// <summary>aufs-style whiteouts (.wh.NAME) are markers in the module stacks of Puppy, Slax and Porteus.</summary>
    public bool InterpretWhiteouts => Composition.Rule is "puppy" or "slax" or "porteus";

    public ILayerReader OpenLayer(LayerDescriptor layer, LayerReadOptions options)
    {
        var stats = _stats[layer.Index];
        stats.Files = stats.Entries = stats.ApparentBytes = stats.PageBytes = 0;
        return _open(Composition.Components[layer.Index], options with { MeasurePushSize = false }, stats);
    }

    public void Dispose() => _owned?.Dispose();
}
