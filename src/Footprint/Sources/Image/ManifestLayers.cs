using Footprint.FileSystem;
using Footprint.Formats;

namespace Footprint.Sources.Image;

/// <summary>The layer list of an image manifest, checked against its config the same way for a layout and a registry.</summary>
internal static class ManifestLayers
{
    /// <summary>
    /// <c>$.layers</c>: required (absent, null or an object is a damaged manifest; an empty list is a valid, empty image,
    /// with a warning), as many entries as the config has rootfs.diff_ids, at most <see cref="ImageLimits.MaxLayers"/>.
    /// </summary>
    public static List<JsonFields> Read(JsonFields manifest, ImageConfig config, string source, string configSource, ICollection<FsWarning> warnings)
    {
        var list = manifest.Required("layers").Items(ImageLimits.MaxLayers).ToList();
        if (list.Count != config.DiffIds.Count)
        {
            throw new FootprintFormatException(source, null, $"$.layers lists {list.Count} layers but the config ({configSource}) has {config.DiffIds.Count} rootfs.diff_ids");
        }

        if (list.Count == 0)
        {
            warnings.Add(new FsWarning("image-has-no-layers", "the manifest lists no layers: the image is empty", source, null, null));
        }

        return list;
    }
}
