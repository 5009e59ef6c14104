namespace Footprint.Sources.Image;

/// <summary>Bounds on the lists an image's metadata may hold, checked before any item is read.</summary>
internal static class ImageLimits
{
    /// <summary>
    /// Layers per image. Docker refuses to chain more than 125 (moby layer/layer_store.go, <c>maxLayerDepth = 125</c>:
    /// "the 127 max in some graphdrivers plus the 2 additional layers used to create a rwlayer"; overlay2 mounts at
    /// most 128 lower directories), so 500 leaves room for other builders while a manifest listing 100,000 layers
    /// fails at once instead of reading the same blob 100,000 times.
    /// </summary>
    public const int MaxLayers = 500;

    /// <summary>Manifests in one image index (multi-platform indexes list a few dozen at most, with attestations).</summary>
    public const int MaxManifests = 10_000;

    /// <summary>Images in a docker manifest.json, tags per image, entries of a config's string lists.</summary>
    public const int MaxListItems = 100_000;
}
