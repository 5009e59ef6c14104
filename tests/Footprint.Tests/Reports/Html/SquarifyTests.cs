using Footprint.Reports.Html;

namespace Footprint.Tests.Reports.Html;

public sealed class SquarifyTests
{
    [Fact]
    public void Should_give_each_item_an_area_in_proportion_inside_the_space_without_overlap()
    {
        // The example of Bruls et al.: 6, 6, 4, 3, 2, 2, 1 in a 6 x 4 rectangle.
        double[] weights = [6, 6, 4, 3, 2, 2, 1];
        var space = new TreemapRect(10, 20, 6, 4);
        var rects = Squarify.Layout(weights, space);

        Assert.Equal(weights.Length, rects.Length);
        for (var i = 0; i < rects.Length; i++)
        {
            Assert.Equal(weights[i], rects[i].Area, 6);
            Assert.InRange(rects[i].X, space.X - 1e-9, space.X + space.Width + 1e-9);
            Assert.InRange(rects[i].X + rects[i].Width, space.X - 1e-9, space.X + space.Width + 1e-9);
            Assert.InRange(rects[i].Y + rects[i].Height, space.Y - 1e-9, space.Y + space.Height + 1e-9);
            for (var j = 0; j < i; j++)
            {
                var overlapX = Math.Min(rects[i].X + rects[i].Width, rects[j].X + rects[j].Width) - Math.Max(rects[i].X, rects[j].X);
                var overlapY = Math.Min(rects[i].Y + rects[i].Height, rects[j].Y + rects[j].Height) - Math.Max(rects[i].Y, rects[j].Y);
                Assert.False(overlapX > 1e-9 && overlapY > 1e-9, $"rects {i} and {j} overlap");
            }
        }

        // The paper's first row: the two 6s side by side in a column 3 wide (aspect 3:2 each).
        Assert.Equal((10, 20, 3, 2), (rects[0].X, rects[0].Y, rects[0].Width, rects[0].Height));
        Assert.Equal((10, 22, 3, 2), (rects[1].X, rects[1].Y, rects[1].Width, rects[1].Height));
    }

    [Fact]
    public void Should_lay_out_nothing_in_an_empty_space_or_for_zero_weights()
    {
        Assert.All(Squarify.Layout([1, 2], new TreemapRect(0, 0, 0, 5)), r => Assert.Equal(0, r.Area));
        Assert.All(Squarify.Layout([0, 0], new TreemapRect(0, 0, 5, 5)), r => Assert.Equal(0, r.Area));
    }
}
