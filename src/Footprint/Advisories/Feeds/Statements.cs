using Footprint.Advisories.Model;

namespace Footprint.Advisories.Feeds;

/// <summary>The feed rules shared by the importers: fixed version 0, invalid versions, identifier lists.</summary>
internal static class Statements
{
    /// <summary>
    /// A statement from fixed versions: all "0" means not affected (Debian, Alpine, Wolfi use 0 for "never
    /// vulnerable"); any version that fails the scheme's syntax makes the state Unknown, with the version kept.
    /// </summary>
    public static Advisory FromFixedVersions(string id, IReadOnlyList<string> aliases, DistroRelease release, string package, IReadOnlyList<string> versions,
        DistroTriage triage, string? note, AdvisorySeverity? severity, DateTimeOffset? published, DateTimeOffset? modified, AdvisoryOrigin origin)
    {
        var state = FixState.Fixed;
        var real = versions.Where(v => v != "0").Distinct(StringComparer.Ordinal).ToList();
        if (real.Count == 0)
        {
            return new Advisory(id, aliases, release, package, FixState.NotAffected, [], [], triage == DistroTriage.None ? DistroTriage.ZeroVersion : triage, note,
                severity, published, modified, origin);
        }

        var invalid = real.FirstOrDefault(v => !VersionSyntax.IsValid(release.Scheme, v));
        if (invalid is not null)
        {
            state = FixState.Unknown;
            note = $"fixed version '{FeedNode.Clip(invalid)}' is not a valid {release.Scheme.ToString().ToLowerInvariant()} version" + (note is null ? "" : "; " + note);
        }

        return new Advisory(id, aliases, release, package, state, real, [], triage, note, severity, published, modified, origin);
    }

    /// <summary>Splits "CVE-2019-5060 TALOS-2019-0844" or "CVE-2018-16808 (AoE)" into the first id, the other ids and the note.</summary>
    public static (string Id, List<string> Aliases, string? Note) SplitIdentifiers(string text)
    {
        var note = default(string);
        var open = text.IndexOf('(', StringComparison.Ordinal);
        if (open >= 0)
        {
            note = text[open..].Trim().Trim('(', ')').Trim();
            text = text[..open];
        }

        var tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var ids = tokens.Where(LooksLikeId).ToList();
        if (ids.Count == 0)
        {
            // Kept, not dropped: "CVE-????-?????" is still a record the distro fixed something for.
            return (tokens.Length > 0 ? tokens[0] : text.Trim(), [], note ?? "unparsed identifier");
        }

        return (ids[0], ids.Skip(1).Distinct(StringComparer.Ordinal).ToList(), note);
    }

    /// <summary>CVE-2019-14697, XSA-295, TALOS-2019-0844, GHSA-xxxx-xxxx-xxxx, CGA-..., DSA-5218-1.</summary>
    public static bool LooksLikeId(string token)
    {
        var dash = token.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || dash == token.Length - 1 || token.Length > 128)
        {
            return false;
        }

        for (var i = 0; i < dash; i++)
        {
            if (!char.IsAsciiLetterUpper(token[i]) && !(i > 0 && char.IsAsciiDigit(token[i])))
            {
                return false;
            }
        }

        for (var i = dash + 1; i < token.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(token[i]) && token[i] is not ('-' or '_' or '.' or ':'))
            {
                return false;
            }
        }

        return true;
    }
}
