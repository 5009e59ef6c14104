using Footprint.FileSystem;
using Footprint.Formats;

namespace Footprint.Tests.FileSystem;

public sealed class ChildTableTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(5_000)]
    public void Should_find_every_child_and_keep_insertion_order(int count)
    {
        var table = new ChildTable();
        var names = Enumerable.Range(0, count).Select(i => $"n{(i * 7919) % count}").ToList();
        foreach (var name in names)
        {
            table.Set(new FsNode(name, FileKind.Regular));
        }

        Assert.Equal(count, table.Count);
        Assert.Equal(names, table.Select(n => n.Name));
        Assert.All(names, name => Assert.Equal(name, table.Get(name.AsSpan())!.Name));
        Assert.Null(table.Get("missing"));
        Assert.Equal(names.Order(StringComparer.Ordinal), table.Sorted().Select(n => n.Name));
    }

    [Fact]
    public void Should_replace_a_child_in_its_place()
    {
        var table = new ChildTable();
        foreach (var name in new[] { "a", "b", "c" })
        {
            table.Set(new FsNode(name, FileKind.Regular));
        }

        var replacement = new FsNode("b", FileKind.Directory);
        table.Set(replacement);
        Assert.Equal(["a", "b", "c"], table.Select(n => n.Name));
        Assert.Same(replacement, table.Get("b"));
    }

    [Theory]
    [InlineData(6)]
    [InlineData(2_000)]
    public void Should_remove_any_child_and_still_find_the_others(int count)
    {
        var table = new ChildTable();
        for (var i = 0; i < count; i++)
        {
            table.Set(new FsNode($"f{i}", FileKind.Regular));
        }

        // Remove every third one (probe runs get holes in many places), then add new ones.
        for (var i = 0; i < count; i += 3)
        {
            Assert.True(table.Remove($"f{i}", out var removed));
            Assert.Equal($"f{i}", removed!.Name);
        }

        Assert.False(table.Remove("f0", out _));
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(i % 3 != 0, table.Get($"f{i}") is not null);
        }

        for (var i = 0; i < count; i++)
        {
            table.Set(new FsNode($"g{i}", FileKind.Regular));
        }

        Assert.Equal(count - ((count + 2) / 3) + count, table.Count);
        Assert.All(Enumerable.Range(0, count), i => Assert.NotNull(table.Get($"g{i}")));
        Assert.Equal(table.Count, table.Distinct().Count());
    }
}
