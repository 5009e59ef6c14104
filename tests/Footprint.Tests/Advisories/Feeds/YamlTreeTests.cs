using Footprint.Advisories.Feeds;
using Footprint.Formats;

namespace Footprint.Tests.Advisories.Feeds;

/// <summary>The bounded YAML loader under hostile documents.</summary>
public sealed class YamlTreeTests
{
    [Fact]
    public void Should_refuse_nesting_deeper_than_the_cap()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 1000)) + string.Concat(Enumerable.Repeat("]", 1000));
        var e = Assert.Throws<FootprintFormatException>(() => YamlTree.Load(deep, "deep.yaml"));
        Assert.Equal($"deep.yaml: line 1: YAML nested deeper than {YamlTree.MaxDepth} levels", e.Message);
    }

    [Fact]
    public void Should_refuse_aliases_so_a_billion_laughs_cannot_expand()
    {
        var laughs = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n";
        var e = Assert.Throws<FootprintFormatException>(() => YamlTree.Load(laughs, "lol.yaml"));
        Assert.Equal("lol.yaml: line 2: YAML alias *a refused (aliases can expand without bound)", e.Message);
    }

    [Fact]
    public void Should_refuse_duplicate_keys_and_complex_keys()
    {
        Assert.Equal("d.yaml: $.a (line 2): duplicate key 'a'", Assert.Throws<FootprintFormatException>(() => YamlTree.Load("a: 1\na: 2\n", "d.yaml")).Message);
        Assert.Equal("k.yaml: line 1: a mapping or list used as a mapping key",
            Assert.Throws<FootprintFormatException>(() => YamlTree.Load("? [a, b]\n: c\n", "k.yaml")).Message);
    }

    [Fact]
    public void Should_keep_scalars_as_text_and_name_lines()
    {
        var root = YamlTree.Load("v: 1.10\nn: 99999999999999999999999999999999\nz:\nlist:\n  - x\n", "t.yaml");
        Assert.Equal("1.10", root.RequiredString("v"));
        Assert.Equal("99999999999999999999999999999999", root.RequiredString("n"));
        Assert.Null(root.OptionalString("z"));
        Assert.Equal(5, root.Required("list").Items().Single().Line);
    }

    [Fact]
    public void Should_turn_syntax_errors_into_format_errors_with_the_line()
    {
        var e = Assert.Throws<FootprintFormatException>(() => YamlTree.Load("a: b: c\n", "s.yaml"));
        Assert.StartsWith("s.yaml: line 1: YAML: ", e.Message, StringComparison.Ordinal);
        // YamlDotNet's scanner throws InvalidOperationException on this one: still a format error.
        var flow = Assert.Throws<FootprintFormatException>(() => YamlTree.Load("a: [1, 2\nb: 3\n", "f.yaml"));
        Assert.StartsWith("f.yaml: YAML: malformed document", flow.Message, StringComparison.Ordinal);
        // Found by fuzzing (advisory-json, through detection): TagName throws ArgumentException on "!!:::".
        var tag = Assert.Throws<FootprintFormatException>(() => YamlTree.Load("!!:::::3:::+H:F\0\u0010\0:", "t.yaml"));
        Assert.StartsWith("t.yaml: YAML: malformed document (Global tags must be valid URIs.", tag.Message, StringComparison.Ordinal);
    }
}
