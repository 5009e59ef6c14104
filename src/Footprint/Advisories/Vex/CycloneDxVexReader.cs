using Footprint.Advisories.Feeds;

namespace Footprint.Advisories.Vex;

/// <summary>
/// Reads the VEX statements of a CycloneDX 1.4-1.6 JSON BOM: each vulnerabilities[] entry with an
/// <c>analysis.state</c>, about the components its <c>affects[].ref</c> name. A ref is a bom-ref of this BOM
/// (resolved to the component's purl), a BOM-Link (<c>urn:cdx:SERIAL/VERSION#BOM-REF</c>: the part after '#'), or
/// itself a purl (Footprint's own bom-refs are purls). A vulnerability without analysis state says nothing about
/// exploitability and is skipped. Fields are type-checked; a wrong one throws FootprintFormatException with its path.
/// </summary>
public static class CycloneDxVexReader
{
    /// <summary>CycloneDX 1.6 impactAnalysisState.</summary>
    private static readonly HashSet<string> States = new(StringComparer.Ordinal)
    {
        "resolved", "resolved_with_pedigree", "exploitable", "in_triage", "false_positive", "not_affected",
    };

    /// <summary>CycloneDX 1.6 impactAnalysisJustification.</summary>
    private static readonly HashSet<string> Justifications = new(StringComparer.Ordinal)
    {
        "code_not_present", "code_not_reachable", "requires_configuration", "requires_dependency", "requires_environment",
        "protected_by_compiler", "protected_at_runtime", "protected_at_perimeter", "protected_by_mitigating_control",
    };

    /// <summary>Whether <paramref name="root"/> is a CycloneDX BOM (bomFormat "CycloneDX").</summary>
    public static bool Recognises(FeedNode root)
        => root.Kind == FeedNodeKind.Mapping && root.Get("bomFormat") is { Kind: FeedNodeKind.String, Scalar: "CycloneDX" };

    public static List<VexStatement> Read(FeedNode root)
    {
        if (!Recognises(root))
        {
            throw root.Error("not a CycloneDX BOM (no \"bomFormat\": \"CycloneDX\")");
        }

        var purls = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.Get("metadata") is { Kind: not FeedNodeKind.Null } metadata && metadata.ExpectMapping().Get("component") is { Kind: not FeedNodeKind.Null } subject)
        {
            Collect(subject, purls);
        }

        foreach (var component in root.OptionalList("components"))
        {
            Collect(component, purls);
        }

        var statements = new List<VexStatement>();
        foreach (var node in root.OptionalList("vulnerabilities"))
        {
            node.ExpectMapping();
            var ids = new List<string> { node.RequiredString("id") };
            foreach (var reference in node.OptionalList("references"))
            {
                ids.Add(reference.RequiredString("id"));
            }

            var analysis = node.Get("analysis");
            if (analysis is null || analysis.Kind == FeedNodeKind.Null || analysis.ExpectMapping().OptionalString("state") is not { } state)
            {
                continue;
            }

            if (!States.Contains(state))
            {
                throw analysis.Required("state").Error($"unknown analysis state '{FeedNode.Clip(state)}'");
            }

            var justification = analysis.OptionalString("justification");
            if (justification is not null && !Justifications.Contains(justification))
            {
                throw analysis.Required("justification").Error($"unknown justification '{FeedNode.Clip(justification)}'");
            }

            var products = new List<VexProduct>();
            foreach (var affect in node.OptionalList("affects"))
            {
                var reference = affect.RequiredString("ref");
                if (reference.StartsWith("urn:cdx:", StringComparison.Ordinal) && reference.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0)
                {
                    reference = Uri.UnescapeDataString(reference[(hash + 1)..]);
                }

                var purl = purls.TryGetValue(reference, out var p) ? p : reference;
                if (PackageUrl.TryParse(purl) is { } parsed)
                {
                    products.Add(new VexProduct(parsed, null));
                }
            }

            statements.Add(new VexStatement(ids, products, AllPackages: false, state, justification, analysis.OptionalString("detail"), node.File, node.Path));
        }

        return statements;
    }

    /// <summary>bom-ref to purl for a component and its nested components (depth is bounded by the JSON parser's cap).</summary>
    private static void Collect(FeedNode component, Dictionary<string, string> purls)
    {
        component.ExpectMapping();
        if (component.OptionalString("bom-ref") is { } bomRef && component.OptionalString("purl") is { } purl)
        {
            purls.TryAdd(bomRef, purl);
        }

        foreach (var child in component.OptionalList("components"))
        {
            Collect(child, purls);
        }
    }
}
