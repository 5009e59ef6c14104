namespace Footprint.Advisories.Vex;

/// <summary>
/// The identity part of a package URL (github.com/package-url/purl-spec): type, namespace, name and version, each
/// percent-decoded. Qualifiers (<c>?arch=x86_64&amp;distro=alpine-3.7.3</c>) and the subpath are dropped, so a VEX
/// statement about <c>pkg:apk/alpine/musl@1.1.18-r3</c> matches the installed <c>pkg:apk/alpine/musl@1.1.18-r3?arch=x86_64</c>.
/// </summary>
/// <param name="Type">The purl type, lower-cased ("apk", "deb", "rpm").</param>
/// <param name="Namespace">The namespace ("alpine", "debian"), or empty.</param>
/// <param name="Name">The package name.</param>
/// <param name="Version">The version, or null when the purl names none (then it stands for every version).</param>
public sealed record PackageUrl(string Type, string Namespace, string Name, string? Version)
{
    /// <summary>
    /// Parses <paramref name="text"/> the way the purl spec's "how to parse" section does: strip the scheme, cut the
    /// subpath at the first '#', the qualifiers at the first '?', the version at the last '@', then type / namespace
    /// segments / name at '/'. Null when it is not a package URL (an OpenVEX product may be any IRI).
    /// </summary>
    public static PackageUrl? TryParse(string text)
    {
        if (!text.StartsWith("pkg:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = text.AsSpan(4).TrimStart('/');
        if (rest.IndexOf('#') is var hash and >= 0)
        {
            rest = rest[..hash];
        }

        if (rest.IndexOf('?') is var query and >= 0)
        {
            rest = rest[..query];
        }

        string? version = null;
        var lastSlash = rest.LastIndexOf('/');
        if (rest.LastIndexOf('@') is var at && at > lastSlash)
        {
            version = Decode(rest[(at + 1)..]);
            rest = rest[..at];
        }

        rest = rest.TrimEnd('/');
        var typeEnd = rest.IndexOf('/');
        var nameStart = rest.LastIndexOf('/');
        if (typeEnd <= 0 || nameStart == rest.Length - 1)
        {
            return null;
        }

        var type = rest[..typeEnd].ToString().ToLowerInvariant();
        var ns = nameStart > typeEnd ? Decode(rest[(typeEnd + 1)..nameStart].Trim('/')) : string.Empty;
        var name = Decode(rest[(nameStart + 1)..]);
        return name.Length == 0 ? null : new PackageUrl(type, ns, name, string.IsNullOrEmpty(version) ? null : version);
    }

    /// <summary>
    /// Whether this purl (from a VEX statement) names <paramref name="installed"/>: same type, namespace and name, and
    /// the same version unless this one names no version.
    /// </summary>
    public bool Matches(PackageUrl installed)
        => Type == installed.Type
            && string.Equals(Namespace, installed.Namespace, StringComparison.Ordinal)
            && string.Equals(Name, installed.Name, StringComparison.Ordinal)
            && (Version is null || string.Equals(Version, installed.Version, StringComparison.Ordinal));

    /// <summary>Percent-decoding that leaves a malformed escape as it is (the purl is still compared, never trusted).</summary>
    private static string Decode(ReadOnlySpan<char> part) => Uri.UnescapeDataString(part.ToString());
}
