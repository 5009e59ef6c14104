using Footprint.Analyzers.Packages;

namespace Footprint.Measures.Inventory;

/// <summary>
/// Resolves each package's dependency expressions to the installed packages that satisfy them, within one
/// database, the way the package manager would pick a provider: by name first, then by what a package
/// provides (apk p:, dpkg/opkg Provides:, rpm PROVIDENAME), then, for a path (apk "/bin/sh", rpm
/// "/usr/bin/perl"), by the package whose file list holds it. Versions are not compared: the database
/// recorded what was installed, and an installed provider is the edge an SBOM consumer wants. What
/// nothing installed provides is kept as written ("unresolved"), which is how a distroless image or a
/// hand-pruned rootfs shows the dependencies it cut.
/// </summary>
public static class PackageDependencies
{
    public sealed record Edges(IReadOnlyList<Package> DependsOn, IReadOnlyList<string> Unresolved);

    /// <summary>Edges for every package of one database (one ecosystem); keys are the given instances.</summary>
    public static Dictionary<Package, Edges> Resolve(IReadOnlyList<Package> packages)
    {
        var byName = new Dictionary<string, Package>(StringComparer.Ordinal);
        var byProvide = new Dictionary<string, Package>(StringComparer.Ordinal);
        var byFile = new Dictionary<string, Package>(StringComparer.Ordinal);
        foreach (var p in packages)
        {
            byName.TryAdd(p.Name, p);
            foreach (var provide in p.Provides ?? [])
            {
                if (Name(p.Ecosystem, provide) is { Length: > 0 } n)
                {
                    byProvide.TryAdd(n, p);
                }
            }

            foreach (var f in p.Files)
            {
                byFile.TryAdd(f.TrimStart('/'), p);
            }
        }

        var result = new Dictionary<Package, Edges>(ReferenceEqualityComparer.Instance);
        foreach (var p in packages)
        {
            var on = new List<Package>();
            var unresolved = new List<string>();
            foreach (var expression in p.Depends)
            {
                if (Ignored(p.Ecosystem, expression))
                {
                    continue;
                }

                Package? provider = null;
                foreach (var alternative in Alternatives(p.Ecosystem, expression))
                {
                    var name = Name(p.Ecosystem, alternative);
                    if (name.Length == 0)
                    {
                        continue;
                    }

                    provider = byName.GetValueOrDefault(name) ?? byProvide.GetValueOrDefault(name)
                        ?? (name[0] == '/' ? byFile.GetValueOrDefault(name.TrimStart('/')) : null);
                    if (provider is not null)
                    {
                        break;
                    }
                }

                if (provider is null)
                {
                    unresolved.Add(expression);
                }
                else if (!ReferenceEquals(provider, p) && !on.Contains(provider))
                {
                    on.Add(provider);
                }
            }

            result[p] = new Edges(on, unresolved);
        }

        return result;
    }

    /// <summary>Conflicts (apk "!name") and rpm's internal feature requirements ("rpmlib(...)") are not dependencies.</summary>
    private static bool Ignored(string ecosystem, string expression) => ecosystem switch
    {
        "apk" => expression.StartsWith('!'),
        "rpm" => expression.StartsWith("rpmlib(", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>deb-style "a (>= 1) | b" lists alternatives; other ecosystems write one requirement per entry.</summary>
    private static string[] Alternatives(string ecosystem, string expression)
        => ecosystem is "deb" or "opkg" or "chisel"
            ? expression.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [expression.Trim()];

    /// <summary>The name a requirement or a provide is keyed by: version constraints and deb ":arch" qualifiers removed.</summary>
    internal static string Name(string ecosystem, string text)
    {
        var t = text.Trim();
        switch (ecosystem)
        {
            case "apk":
                // "so:libc.musl-x86_64.so.1", "musl>=1.2", "cmd:sh=1.36.1-r29", "pc:zlib=1.3.1"
                var cut = t.IndexOfAny(['<', '>', '=', '~']);
                return cut < 0 ? t : t[..cut];
            case "deb" or "opkg" or "chisel":
                // "libc6 (>= 2.34)", "perl:any", "awk"
                var space = t.IndexOfAny([' ', '(']);
                if (space >= 0)
                {
                    t = t[..space];
                }

                var colon = t.IndexOf(':', StringComparison.Ordinal);
                return colon < 0 ? t : t[..colon];
            default:
                // rpm names may contain spaces inside parentheses ("libc.so.6(GLIBC_2.34)(64bit)"); versions are separate tags.
                return t;
        }
    }
}
