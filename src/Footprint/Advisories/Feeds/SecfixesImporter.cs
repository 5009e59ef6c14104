using Footprint.Advisories.Model;

namespace Footprint.Advisories.Feeds;

/// <summary>
/// Alpine's secfixes (alpine-secdb vX.Y/REPO.yaml, and the same tree as secdb.alpinelinux.org vX.Y/REPO.json)
/// and the Wolfi/Chainguard secdb (security.json: Alpine's shape without <c>distroversion</c>). Each package's
/// <c>secfixes</c> maps a fixed version to the identifiers it fixes; version <c>0</c> means the package was never
/// affected. One record per (identifier, origin package), with every version that fixes it.
/// </summary>
public static class SecfixesImporter
{
    public static FeedBatch Import(FeedNode root, FeedKind kind)
    {
        root.ExpectMapping();
        var (release, key) = Scope(root, kind);
        var byId = new Dictionary<(string Package, string Id), Entry>();
        foreach (var item in Packages(root))
        {
            var pkg = item.Required("pkg");
            var name = pkg.RequiredString("name");
            if (name.Length == 0)
            {
                throw pkg.Required("name").Error("empty package name");
            }

            var secfixes = pkg.ExpectMapping().Get("secfixes");
            if (secfixes is null || secfixes.Kind == FeedNodeKind.Null || IsEmpty(secfixes))
            {
                continue;
            }

            foreach (var (version, ids) in secfixes.ExpectMapping().Entries())
            {
                if (ids.Kind == FeedNodeKind.Null || IsEmpty(ids))
                {
                    continue;
                }

                foreach (var idNode in ids.ExpectSequence().Items())
                {
                    if (idNode.Kind == FeedNodeKind.Null)
                    {
                        continue;
                    }

                    var (id, aliases, note) = Statements.SplitIdentifiers(idNode.ExpectString());
                    if (!byId.TryGetValue((name, id), out var entry))
                    {
                        entry = new Entry(new AdvisoryOrigin(kind, root.File, idNode.Path, idNode.Line), note);
                        byId.Add((name, id), entry);
                    }

                    entry.Versions.Add(version);
                    entry.Aliases.UnionWith(aliases);
                }
            }
        }

        var advisories = byId.Select(kv => Statements.FromFixedVersions(kv.Key.Id, kv.Value.Aliases.Order(StringComparer.Ordinal).ToList(), release, kv.Key.Package,
            kv.Value.Versions, DistroTriage.None, kv.Value.Note, null, null, null, kv.Value.Origin)).ToList();
        return new FeedBatch(kind, root.File, key, advisories, new HashSet<DistroRelease> { release }, null, 0);
    }

    /// <summary>
    /// The package list. secdb.alpinelinux.org writes an empty repository as <c>"packages": {}</c> (PHP's empty
    /// array), so an empty mapping is an empty list; a non-empty mapping is still a type error.
    /// </summary>
    private static IEnumerable<FeedNode> Packages(FeedNode root)
    {
        var packages = root.Get("packages");
        return packages is not null && IsEmpty(packages) ? [] : root.OptionalList("packages");
    }

    /// <summary><c>{}</c> or <c>[]</c>: PHP writes an empty list as either, for packages, secfixes and a version's ids.</summary>
    private static bool IsEmpty(FeedNode node)
        => (node.Kind == FeedNodeKind.Mapping && !node.Entries().Any()) || (node.Kind == FeedNodeKind.Sequence && !node.Items().Any());

    private static (DistroRelease Release, string Key) Scope(FeedNode root, FeedKind kind)
    {
        var repo = root.OptionalString("reponame") ?? "main";
        if (kind != FeedKind.ApkSecdbJson)
        {
            var version = root.RequiredString("distroversion");
            var release = DistroRelease.Create("alpine", version);
            return (release, $"alpine-secdb:{release.Release}/{repo}");
        }

        var url = root.OptionalString("urlprefix") ?? "";
        var distro = url.Contains("wolfi.dev", StringComparison.OrdinalIgnoreCase) ? "wolfi"
            : url.Contains("cgr.dev", StringComparison.OrdinalIgnoreCase) || repo.Equals("chainguard", StringComparison.OrdinalIgnoreCase) ? "chainguard"
            : url.Contains("mini.dev", StringComparison.OrdinalIgnoreCase) ? "minimos"
            : throw root.Error($"secdb without distroversion from an unknown distro (urlprefix '{FeedNode.Clip(url)}', reponame '{FeedNode.Clip(repo)}')");
        return (DistroRelease.Create(distro, DistroRelease.Rolling), $"{distro}-secdb");
    }

    private sealed class Entry(AdvisoryOrigin origin, string? note)
    {
        public AdvisoryOrigin Origin { get; } = origin;

        public string? Note { get; } = note;

        public List<string> Versions { get; } = [];

        public HashSet<string> Aliases { get; } = new(StringComparer.Ordinal);
    }
}
