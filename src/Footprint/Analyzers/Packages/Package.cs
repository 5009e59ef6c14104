namespace Footprint.Analyzers.Packages;

/// <summary>
/// One installed package as its package database records it. Immutable; every package carries the
/// database line it came from (<see cref="Evidence"/>).
/// </summary>
/// <param name="Ecosystem">The database kind: "apk", "deb", "opkg", "rpm", "tcz", "slackware", "tazpkg", "puppy", "chisel"; "binary" and "go-module" for software found in the files themselves.</param>
/// <param name="Name">Package name as recorded (apk P:, dpkg/opkg Package:).</param>
/// <param name="Version">Full version string as recorded, epoch included ("1:1.35.0-4").</param>
/// <param name="Architecture">apk A:, dpkg/opkg Architecture:, when recorded.</param>
/// <param name="Source">Source / origin package (apk o:, dpkg Source: without its "(version)" suffix, opkg Source:).</param>
/// <param name="License">apk L:, opkg License:, rpm LICENSE; dpkg's from /usr/share/doc/NAME/copyright (see DebianCopyright).</param>
/// <param name="InstalledSizeBytes">Normalised to bytes: dpkg Installed-Size is KiB, apk I: and opkg Installed-Size are bytes.</param>
/// <param name="Depends">Dependency expressions as written, split on the database's separator.</param>
/// <param name="Files">Image-relative paths the database lists for the package (empty when it lists none).</param>
/// <param name="Purl">Package URL (github.com/package-url/purl-spec).</param>
/// <param name="Evidence">Where the record starts (for files-only packages: the file they were found in, line 0).</param>
/// <param name="FoundBy">Set only for software no package database records (BusyBox, Go build info, Buildroot markers):
/// how it was found. Such packages are graded "files-only".</param>
/// <param name="Provides">Virtual names and capabilities the package provides (apk p:, dpkg/opkg Provides:), as written; used to resolve dependencies.</param>
/// <param name="SourceVersion">The source package's version where the database records one of its own: dpkg's
/// "Source: name (version)" (a binNMU or a binary versioned apart from its source), rpm's SOURCERPM
/// NAME-VERSION-RELEASE with the binary's epoch. Null means "same as <paramref name="Version"/>". Vulnerability
/// feeds are keyed by source package and version (see <see cref="SourcePackage"/>); not part of the JSON report.</param>
public sealed record Package(
    string Ecosystem,
    string Name,
    string Version,
    string? Architecture,
    string? Source,
    string? License,
    long? InstalledSizeBytes,
    IReadOnlyList<string> Depends,
    IReadOnlyList<string> Files,
    string Purl,
    PackageEvidence Evidence,
    string? FoundBy = null,
    IReadOnlyList<string>? Provides = null,
    string? SourceVersion = null);
