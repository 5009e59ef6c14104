namespace Footprint.Advisories.Vex;

/// <summary>
/// What a statement is about: a package URL (OpenVEX products and subcomponents, CycloneDX affects[].ref resolved to
/// a component's purl, an ignore-list scope starting with "pkg:"), or a bare package name (an ignore-list scope).
/// </summary>
/// <param name="Purl">The package URL, or null for a bare name.</param>
/// <param name="PackageName">The binary package name, for a bare name; null otherwise.</param>
public sealed record VexProduct(PackageUrl? Purl, string? PackageName)
{
    /// <summary>Whether the product names the installed package <paramref name="name"/> whose purl is <paramref name="purl"/>.</summary>
    public bool Matches(PackageUrl? purl, string name)
        => Purl is { } p ? purl is not null && p.Matches(purl) : string.Equals(PackageName, name, StringComparison.Ordinal);
}
