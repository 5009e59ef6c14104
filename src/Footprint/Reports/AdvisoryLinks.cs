namespace Footprint.Reports;

/// <summary>Where a vulnerability id is described on the web: one mapping for every writer that links to it.</summary>
public static class AdvisoryLinks
{
    /// <summary>
    /// The page of the advisory: the distro's tracker for a CVE when the release is Debian, Ubuntu or Alpine (it gives
    /// the distro's own fix and triage), NVD for other CVEs, the Debian tracker for DSA/DLA ids, GitHub for GHSA, OSV
    /// for the rest (every id OSV imports resolves there).
    /// </summary>
    public static string Page(string id, string? distro)
    {
        var escaped = Uri.EscapeDataString(id);
        if (id.StartsWith("CVE-", StringComparison.Ordinal))
        {
            return distro switch
            {
                "debian" => "https://security-tracker.debian.org/tracker/" + escaped,
                "ubuntu" => "https://ubuntu.com/security/" + escaped,
                "alpine" => "https://security.alpinelinux.org/vuln/" + escaped,
                _ => "https://nvd.nist.gov/vuln/detail/" + escaped,
            };
        }

        if (id.StartsWith("DSA-", StringComparison.Ordinal) || id.StartsWith("DLA-", StringComparison.Ordinal))
        {
            return "https://security-tracker.debian.org/tracker/" + escaped;
        }

        return id.StartsWith("GHSA-", StringComparison.Ordinal) ? "https://github.com/advisories/" + escaped : "https://osv.dev/vulnerability/" + escaped;
    }

    /// <summary>The distro-neutral page of a CVE (NVD) or GHSA (GitHub) id; null for any other id.</summary>
    public static string? Global(string id)
        => id.StartsWith("CVE-", StringComparison.Ordinal) || id.StartsWith("GHSA-", StringComparison.Ordinal) ? Page(id, null) : null;
}
