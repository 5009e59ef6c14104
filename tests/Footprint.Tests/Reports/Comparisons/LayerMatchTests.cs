using Footprint.Reports.Comparisons;

namespace Footprint.Tests.Reports.Comparisons;

public sealed class LayerMatchTests
{
    [Fact]
    public void Should_share_layers_only_up_to_the_first_difference()
    {
        // Layer 2 has the same diffID in both, but sits on another layer 1: it is not the same filesystem change.
        var old = Sample.Report("old", 1, layers: [Sample.Layer(0, "sha256:base"), Sample.Layer(1, "sha256:x"), Sample.Layer(2, "sha256:top")]);
        var @new = Sample.Report("new", 1, layers: [Sample.Layer(0, "sha256:base"), Sample.Layer(1, "sha256:y"), Sample.Layer(2, "sha256:top"), Sample.Layer(3, "sha256:more")]);
        var layers = LayerMatch.Of(old, @new)!;
        Assert.Equal(["shared 0 sha256:base", "removed 1 sha256:x", "removed 2 sha256:top", "added 1 sha256:y", "added 2 sha256:top", "added 3 sha256:more"],
            layers.Select(l => $"{l.Status} {l.Index} {l.DiffId}"));
    }

    [Fact]
    public void Should_have_no_layers_unless_both_are_images()
        => Assert.Null(LayerMatch.Of(Sample.Report("rootfs", 1), Sample.Report("image", 1, layers: [Sample.Layer(0, "sha256:a")])));
}
