using System.Security.Cryptography;
using Footprint.FileSystem;
using Footprint.Pipeline;
using Footprint.Sources;

namespace Footprint.Reports.Catalog;

/// <summary>
/// What a catalog entry needs beyond the measure report: the artifact's digest and the commands on its PATH. The
/// report lists regular files only (and only with --files), so the PATH is read from the artifact's squashed view:
/// one more load of its layers, without analyzers and without the cache (a load without analyzers must not leave
/// cache rows a measuring run would then have to complete).
/// </summary>
public static class ArtifactFacts
{
    public static (string? Digest, IReadOnlyList<string> Commands) Read(string input, MeasureOptions options, CancellationToken cancel = default)
    {
        var warnings = new List<FsWarning>();
        using var source = ArtifactOpener.Open(input, options.Platform, warnings, options.Limits, options.Registry);
        IFileSystemView view = source.Capability<IDiskBacked>() is { } disk
            ? disk.OpenView()
            : new ArtifactLoader([], new LayerReadOptions { Limits = options.Limits, Verify = options.Verify }).Load(source, warnings, cancel);
        var commands = PathCommands.List(view);
        return (source.ManifestDigest ?? FileDigest(input), commands);
    }

    /// <summary>sha256 of a file artifact's bytes (a rootfs tarball, an ISO, a firmware image); null for anything else.</summary>
    private static string? FileDigest(string input)
    {
        if (!File.Exists(input))
        {
            return null;
        }

        using var file = File.OpenRead(input);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(file));
    }
}
