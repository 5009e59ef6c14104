using Footprint.FileSystem;

namespace Footprint.Tests.FileSystem;

public sealed class ImagePathTests
{
    [Theory]
    [InlineData("./usr/bin/env", "usr/bin/env")]
    [InlineData("/etc//passwd", "etc/passwd")]
    [InlineData("a/./b/../c", "a/c")]
    [InlineData("./", "")]
    [InlineData("dir/", "dir")]
    public void Should_normalize(string name, string expected) => Assert.Equal(expected, ImagePath.Normalize(name));

    [Fact]
    public void Should_normalize_every_short_name_as_splitting_on_slashes_does()
    {
        // Every name of up to five pieces: the fast paths ("./x", "/x", "x/") must agree with the plain definition.
        string[] pieces = ["/", "./", ".", "..", "a", "b/", "../", ".a", "//"];
        var names = new List<string> { string.Empty };
        IEnumerable<string> round = names;
        for (var length = 0; length < 5; length++)
        {
            round = round.SelectMany(n => pieces.Select(p => n + p)).ToList();
            names.AddRange(round);
        }

        foreach (var name in names.Distinct())
        {
            Assert.True(Reference(name) == ImagePath.Normalize(name), $"'{name}': '{ImagePath.Normalize(name)}', expected '{Reference(name)}'");
            Assert.True(Reference(name) == ImagePath.Normalize(name.AsSpan()), $"'{name}' (span): '{ImagePath.Normalize(name.AsSpan())}', expected '{Reference(name)}'");
        }

        static string? Reference(string name)
        {
            var parts = new List<string>();
            foreach (var segment in name.Split('/').Where(s => s.Length > 0 && s != "."))
            {
                if (segment == "..")
                {
                    if (parts.Count == 0)
                    {
                        return null;
                    }

                    parts.RemoveAt(parts.Count - 1);
                }
                else
                {
                    parts.Add(segment);
                }
            }

            return string.Join('/', parts);
        }
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("./../x")]
    public void Should_reject_names_that_climb_out(string name) => Assert.Null(ImagePath.Normalize(name));

    [Theory]
    [InlineData("..foo/bar", "..foo/bar")]
    [InlineData("a/..b", "a/..b")]
    public void Should_not_mistake_dotted_names_for_parent_references(string name, string expected)
        => Assert.Equal(expected, ImagePath.Normalize(name));

    [Theory]
    [InlineData("usr/bin/env")]
    [InlineData("a")]
    [InlineData("")]
    public void Should_return_a_normal_name_itself(string name) => Assert.Same(name, ImagePath.Normalize(name));

    [Theory]
    [InlineData(ImagePath.MaxComponents, false)]
    [InlineData(ImagePath.MaxComponents + 1, true)]
    public void Should_limit_the_number_of_components(int components, bool exceeds)
        => Assert.Equal(exceeds, ImagePath.ExceedsLimits(string.Join('/', Enumerable.Repeat("a", components))) is not null);

    [Theory]
    [InlineData(ImagePath.MaxPathBytes, false)]
    [InlineData(ImagePath.MaxPathBytes + 1, true)]
    public void Should_limit_the_length_in_bytes(int bytes, bool exceeds)
        => Assert.Equal(exceeds, ImagePath.ExceedsLimits(new string('x', bytes)) is not null);

    [Fact]
    public void Should_cut_long_names_short_for_warnings()
    {
        Assert.Equal("short", ImagePath.Abbreviate("short"));
        Assert.Equal(new string('x', 120) + "... (5000 characters)", ImagePath.Abbreviate(new string('x', 5000)));
    }

    [Theory]
    [InlineData("var/log/packages/bash-5.2", "var/log/packages", true)]
    [InlineData("var/log/packages", "var/log", true)]
    [InlineData("var/log/packages/sub/bash", "var/log/packages", false)]
    [InlineData("var/log/packagesX/bash", "var/log/packages", false)]
    [InlineData("xvar/log/packages/bash", "var/log/packages", false)]
    [InlineData("bash", "", true)]
    [InlineData("bash", "var", false)]
    [InlineData("var/", "var", true)]
    public void Should_tell_a_parent_as_parent_does(string path, string directory, bool expected)
    {
        Assert.Equal(expected, ImagePath.ParentIs(path, directory));
        Assert.Equal(ImagePath.Parent(path) == directory, ImagePath.ParentIs(path, directory));
        Assert.Equal(expected, ImagePath.ParentIsAny(path, ["elsewhere", directory]));
        Assert.False(ImagePath.ParentIsAny(path, []));
    }
}
