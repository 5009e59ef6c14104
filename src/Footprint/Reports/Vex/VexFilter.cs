using Footprint.Advisories.Vex;
using Footprint.Analyzers.Vulnerabilities;

namespace Footprint.Reports.Vex;

/// <summary>
/// Applies VEX statements and ignore lists to a report's findings (docs/vulnerabilities.md, "VEX and ignore files as
/// input"). A statement matches a finding when one of its vulnerability ids is the finding's id or an alias, and one
/// of its products names the finding's package (purl type, namespace, name and, when the statement gives one,
/// version; qualifiers ignored), or it is an unscoped ignore-list line. When several match, the last one of
/// <c>statements</c> wins (the CLI lists the --vex files in the order given, then the --ignore lists): a later
/// document updates an earlier one, as VEX intends, and the user's ignore list has the last word.
/// An ignore-list line past its <c>exp:</c> date matches nothing. Suppressed findings stay in the list with their
/// <c>vex</c> and leave the counts; the report says how many each file suppressed.
/// </summary>
public static class VexFilter
{
    public static ArtifactReport Apply(ArtifactReport report, IReadOnlyList<VexStatement> statements, DateOnly today)
    {
        if (report.Vulnerabilities is not { } v)
        {
            return report;
        }

        // Index by vulnerability id, so a finding looks at its own statements only.
        var byId = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < statements.Count; i++)
        {
            if (statements[i].Expires is { } expires && expires <= today)
            {
                continue;
            }

            foreach (var id in statements[i].Vulnerabilities.Distinct(StringComparer.Ordinal))
            {
                (byId.TryGetValue(id, out var list) ? list : byId[id] = []).Add(i);
            }
        }

        var purls = new Dictionary<(string, string, string), PackageUrl?>();
        foreach (var p in report.Inventory?.Packages ?? [])
        {
            purls.TryAdd((p.Ecosystem, p.Name, p.Version), PackageUrl.TryParse(p.Purl));
        }

        var findings = new List<VulnerabilityFindingReport>(v.Findings.Count);
        var suppressedBy = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var f in v.Findings)
        {
            var purl = purls.GetValueOrDefault((f.Ecosystem, f.Package, f.Version));
            var last = -1;
            foreach (var id in f.Aliases.Prepend(f.Id))
            {
                foreach (var i in byId.GetValueOrDefault(id) ?? [])
                {
                    if (i > last && (statements[i].AllPackages || statements[i].Products.Any(p => p.Matches(purl, f.Package))))
                    {
                        last = i;
                    }
                }
            }

            if (last < 0)
            {
                findings.Add(f);
                continue;
            }

            var s = statements[last];
            if (s.Suppresses)
            {
                suppressedBy[s.File] = suppressedBy.GetValueOrDefault(s.File) + 1;
            }

            findings.Add(f with { Vex = new FindingVexReport(s.Status, s.Suppresses, $"{s.File} {s.Location}", s.Justification, s.Detail) });
        }

        var counted = findings.Where(f => f.Vex?.Suppressed != true).ToList();
        return report with
        {
            Vulnerabilities = v with
            {
                Findings = findings,
                BySeverity = VulnerabilityAnalyzer.Count(counted.Select(f => f.Severity)),
                ByStatus = VulnerabilityAnalyzer.Count(counted.Select(f => f.Status)),
                ByReachability = v.ByReachability is null ? null : VulnerabilityAnalyzer.Count(counted.Select(f => f.Reachability!)),
                Suppressed = findings.Count - counted.Count,
                SuppressedBy = suppressedBy,
            },
        };
    }
}
