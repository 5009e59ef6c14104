namespace Footprint.Advisories.Model;

/// <summary>The input formats the importers read, detected by content (<c>Feeds.FeedImporter</c>).</summary>
public enum FeedKind
{
    /// <summary>Alpine secfixes YAML (alpine-secdb vX.Y/main.yaml).</summary>
    AlpineSecfixesYaml,

    /// <summary>Alpine secdb JSON (secdb.alpinelinux.org/vX.Y/main.json): the same tree as the YAML.</summary>
    AlpineSecdbJson,

    /// <summary>Wolfi/Chainguard secdb (packages.wolfi.dev/os/security.json): Alpine's shape, no release.</summary>
    ApkSecdbJson,

    /// <summary>Debian security tracker JSON (security-tracker.debian.org/tracker/data/json).</summary>
    DebianTrackerJson,

    /// <summary>Debian security tracker data/DSA/list.</summary>
    DebianDsaList,

    /// <summary>Debian security tracker data/DLA/list (LTS).</summary>
    DebianDlaList,

    /// <summary>Wolfi/Chainguard advisory YAML (wolfi-dev/advisories PACKAGE.advisories.yaml).</summary>
    WolfiAdvisoryYaml,

    /// <summary>One OSV record (JSON).</summary>
    OsvJson,

    /// <summary>An OSV per-ecosystem export (osv-vulnerabilities ECOSYSTEM/all.zip).</summary>
    OsvZip,
}
