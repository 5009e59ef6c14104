using Footprint.Analyzers.Packages.Dpkg;

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
}
