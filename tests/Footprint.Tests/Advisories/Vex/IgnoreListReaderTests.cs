using System.Text;
using Footprint.Advisories.Vex;
using Footprint.Formats;

namespace Footprint.Tests.Advisories.Vex;

/// <summary>Ignore lists: trivy's .trivyignore lines (id, exp:, # comments) plus a purl or package-name scope.</summary>
public sealed class IgnoreListReaderTests
{
    [Fact]
    public void Should_read_ids_scopes_expiry_and_comments()
    {
        var text = "# a comment\n\nCVE-2019-14697\r\n  CVE-2018-0732 libssl1.0   # not reachable here\nCVE-2018-0733\texp:2023-01-01 pkg:apk/alpine/libssl1.0@1.0.2n-r0?arch=x86_64\nGHSA-xxxx#not-a-comment\n";
        var s = IgnoreListReader.Read(Encoding.UTF8.GetBytes(text), "ig");
        Assert.Equal(4, s.Count);
        Assert.Equal(["CVE-2019-14697"], s[0].Vulnerabilities);
        Assert.Equal((true, "ignored", "line 3"), (s[0].AllPackages, s[0].Status, s[0].Location));
        Assert.True(s[0].Suppresses);
        Assert.Equal(("libssl1.0", "not reachable here", false), (s[1].Products[0].PackageName, s[1].Detail, s[1].AllPackages));
        Assert.Equal((new PackageUrl("apk", "alpine", "libssl1.0", "1.0.2n-r0"), new DateOnly(2023, 1, 1)), (s[2].Products[0].Purl, s[2].Expires));
        Assert.Equal(["GHSA-xxxx#not-a-comment"], s[3].Vulnerabilities);
    }

    [Theory]
    [InlineData("CVE-1 exp:2023-13-01\n", "ig: line 1: not a date (exp:YYYY-MM-DD): 'exp:2023-13-01'")]
    [InlineData("\nCVE-1 pkg:\n", "ig: line 2: not a package URL: 'pkg:'")]
    [InlineData("CVE-1 musl free text\n", "ig: line 1: unexpected 'free' after the id and scope (a comment starts with #)")]
    [InlineData("CVE-1\0\n", "ig: at offset 5: not a text file (NUL byte)")]
    public void Should_refuse_what_is_not_an_ignore_list_naming_the_line(string text, string message)
        => Assert.Equal(message, Assert.Throws<FootprintFormatException>(() => IgnoreListReader.Read(Encoding.UTF8.GetBytes(text), "ig")).Message);

    [Fact]
    public void Should_refuse_invalid_utf8_and_keep_control_characters_as_data()
    {
        var e = Assert.Throws<FootprintFormatException>(() => IgnoreListReader.Read([0x43, 0x56, 0x45, 0xff, 0x0a], "ig"));
        Assert.Equal("ig: at offset 3: not UTF-8 text", e.Message);

        var s = Assert.Single(IgnoreListReader.Read(Encoding.UTF8.GetBytes("CVE-\u001b[2J\u0085 # \u0007bell\n"), "ig"));
        Assert.Equal("CVE-\u001b[2J\u0085", s.Vulnerabilities[0]);
        Assert.Equal("\u0007bell", s.Detail);
    }

    [Fact]
    public void Should_read_a_huge_line_as_one_entry()
    {
        var id = "CVE-" + new string('9', 4 << 20);
        var s = Assert.Single(IgnoreListReader.Read(Encoding.UTF8.GetBytes(id + " # " + new string('x', 1 << 20)), "ig"));
        Assert.Equal(id, s.Vulnerabilities[0]);
        Assert.Equal(1 << 20, s.Detail!.Length);
    }
}
