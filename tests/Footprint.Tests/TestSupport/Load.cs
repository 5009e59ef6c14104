using Footprint.FileSystem;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Sources;

namespace Footprint.Tests.TestSupport;

/// <summary>Runs Footprint's own pipeline the way the CLI does.</summary>
internal static class Load
{
    public static ArtifactReport Measure(string reference, MeasureOptions? options = null)
        => ReportAssembler.Measure(reference, options ?? new MeasureOptions());

    public static (LayeredFileSystem Fs, List<FsWarning> Warnings) FileSystem(string reference, LayerReadOptions? options = null)
    {
        var warnings = new List<FsWarning>();
        using var source = ArtifactOpener.Open(reference, null, warnings);
        var fs = new ArtifactLoader([], options ?? new LayerReadOptions()).Load(source, warnings);
        return (fs, warnings);
    }

    /// <summary>The squashed view in <see cref="GroundTruth.Listing"/>'s format.</summary>
    public static SortedSet<string> Listing(LayeredFileSystem fs)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (path, node) in LayeredFileSystem.Enumerate(fs.Squashed))
        {
            set.Add(node.Kind switch
            {
                Footprint.Formats.FileKind.Regular => $"f {path} {node.SizeBytes}",
                Footprint.Formats.FileKind.Directory => $"d {path}",
                Footprint.Formats.FileKind.Symlink => $"l {path} -> {node.LinkTarget}",
                Footprint.Formats.FileKind.CharDevice or Footprint.Formats.FileKind.BlockDevice => $"{(node.Kind == Footprint.Formats.FileKind.CharDevice ? 'c' : 'b')} {path}",
                Footprint.Formats.FileKind.Fifo => $"p {path}",
                _ => $"s {path}",
            });
        }

        return set;
    }
}
