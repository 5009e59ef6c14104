using Footprint.FileSystem;

namespace Footprint.Sources.Image;

/// <summary>What the report says about layer verification, once every layer was read.</summary>
internal static class LayerVerification
{
    public const string NotVerifiedCode = "layers-not-verified";

    /// <summary>
    /// True when every layer of an image was verified, false (with a warning) when some were not, null for artifacts
    /// that name no digests at all (rootfs tarballs, directories, media: there is nothing to check them against).
    /// </summary>
    public static bool? Summarize(IArtifactSource source, bool verify, List<FsWarning> warnings)
    {
        if (source.Kind.Family != SourceFamily.Image)
        {
            return null;
        }

        if (!verify)
        {
            warnings.Add(new FsWarning(NotVerifiedCode, "--no-verify: layer contents were not checked against their digests", source.Location, null, null));
            return false;
        }

        var unverified = source.Layers.Count(l => !l.Verified);
        if (unverified == 0)
        {
            return true;
        }

        if (!warnings.Any(w => w.Code == NotVerifiedCode))
        {
            warnings.Add(new FsWarning(NotVerifiedCode, $"{unverified} of {source.Layers.Count} layers name no digest: their contents were not verified", source.Location, null, null));
        }

        return false;
    }
}
