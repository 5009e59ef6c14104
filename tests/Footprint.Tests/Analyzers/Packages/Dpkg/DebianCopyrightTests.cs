using System.Text;
using Footprint.Analyzers.Packages.Dpkg;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Analyzers.Packages.Dpkg;

public sealed class DebianCopyrightTests
{
    [Fact]
    public void Should_take_each_license_field_once_with_its_operators_and_crlf_lines()
    {
        var text = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\r\n\r\n"
            + "Files: *\r\nCopyright: 2000 Someone\r\nLicense: GPL-2+ or Artistic\r\n This program is free software\r\n"
            + "\r\nFiles: lib/*\r\nlicense: Expat\r\n\r\nFiles: doc/*\r\nLicense: GPL-2+ or Artistic\r\n"
            + "License: GPL-3+ with Bison exception\n  License: indented is license text\nLicense:\n";
        Assert.Equal(["(GPL-2+ OR Artistic)", "Expat", "GPL-3+ with Bison exception"], DebianCopyright.Licenses(text));
    }

    [Fact]
    public void Should_name_common_licenses_of_a_free_form_file_only_when_no_license_field_exists()
    {
        var text = "This package is under the GPL.\nSee /usr/share/common-licenses/GPL-2. or /usr/share/common-licenses/LGPL-2.1,\n"
            + "and again /usr/share/common-licenses/GPL-2\n";
        Assert.Equal(["GPL-2", "LGPL-2.1"], DebianCopyright.Licenses(text));
        Assert.Equal(["MIT"], DebianCopyright.Licenses(text + "License: MIT"));
        Assert.Empty(DebianCopyright.Licenses(string.Empty));
    }

    /// <summary>The UTF-8 reader decodes only "License:" lines: it must name what decoding the whole file names.</summary>
    [Fact]
    public void Should_read_utf8_bytes_as_their_decoded_text()
    {
        List<byte[]> samples =
        [
            "License: GPL-2+ or Artistic\r\n text\r\nLICENSE:  Expat \nLicense:\n"u8.ToArray(),
            "\uFEFFLicense: BOM-first\nLicense: second\n"u8.ToArray(),
            "L\u0131cense: dotless-i\nLicen\u017Fe: long-s\nLicense: MIT\n"u8.ToArray(),
            "See /usr/share/common-licenses/GPL-3 \u00ff\n"u8.ToArray(),
            [.. "License: caf\u00e9 "u8, 0xC3, 0x0D, 0x0A, .. "License: \u00e9t\u00e9"u8, 0xF0, 0x9F, 0x0A, .. "License: "u8, 0xE2, 0x82],
            [0x4C, 0x69, 0x63, 0x65, 0x6E, 0x73, 0x65, 0x3A, 0xFF, 0x0A, 0xC3, 0xA9, 0x69, 0x63, 0x65, 0x6E, 0x73, 0x65, 0x3A, 0x20, 0x58],
            [],
        ];

        // And every copyright file of the Debian fixture.
        var rootfs = Repo.Fixture("debian/rootfs.tar");
        using var dir = new TempDir();
        Tool.Output("tar", "-xf", rootfs, "-C", dir.Path, "--wildcards", "./usr/share/doc/*/copyright");
        var files = Directory.GetFiles(Path.Combine(dir.Path, "usr/share/doc"), "copyright", SearchOption.AllDirectories);
        Assert.True(files.Length > 50, $"{files.Length} copyright files");
        samples.AddRange(files.Select(File.ReadAllBytes));

        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
        foreach (var bytes in samples)
        {
            Assert.Equal(DebianCopyright.Licenses(utf8.GetString(bytes)), DebianCopyright.Licenses(bytes));
        }
    }
}
