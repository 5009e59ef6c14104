using Footprint.Advisories.Feeds;

namespace Footprint.Advisories.Vex;

/// <summary>
/// Reads the statements of an OpenVEX document (github.com/openvex/spec, v0.2.0; the 0.0.x shapes too: a
/// vulnerability given as a bare string, products as bare strings). Every field is type-checked and a wrong one
/// throws FootprintFormatException naming the file and JSON path. A product with subcomponents is an image or
/// bundle: the statement is then about its subcomponents (the packages); a product or subcomponent that is not a
/// package URL names nothing Footprint reports and matches nothing.
/// </summary>
public static class OpenVexReader
{
    /// <summary>The statuses OpenVEX 0.2.0 defines (spec, "Status Labels").</summary>
    private static readonly HashSet<string> Statuses = new(StringComparer.Ordinal) { "not_affected", "affected", "fixed", "under_investigation" };

    /// <summary>The justifications OpenVEX 0.2.0 defines for not_affected (spec, "Status Justifications").</summary>
    private static readonly HashSet<string> Justifications = new(StringComparer.Ordinal)
    {
        "component_not_present", "vulnerable_code_not_present", "vulnerable_code_not_in_execute_path",
        "vulnerable_code_cannot_be_controlled_by_adversary", "inline_mitigations_already_exist",
    };

    /// <summary>Whether <paramref name="root"/> looks like an OpenVEX document (its @context is openvex.dev's).</summary>
    public static bool Recognises(FeedNode root)
        => root.Kind == FeedNodeKind.Mapping && root.Get("@context") is { Kind: FeedNodeKind.String } context
            && context.Scalar!.StartsWith("https://openvex.dev/ns", StringComparison.Ordinal);

    public static List<VexStatement> Read(FeedNode root)
    {
        if (!Recognises(root))
        {
            throw root.Error("not an OpenVEX document (no \"@context\": \"https://openvex.dev/ns/...\")");
        }

        var statements = new List<VexStatement>();
        foreach (var node in root.Required("statements").ExpectSequence().Items())
        {
            node.ExpectMapping();
            var vulnerability = node.Required("vulnerability");
            var ids = new List<string>();
            if (vulnerability.Kind == FeedNodeKind.String)
            {
                ids.Add(vulnerability.Scalar!);
            }
            else
            {
                vulnerability.ExpectMapping();
                ids.Add(vulnerability.OptionalString("name") ?? vulnerability.OptionalString("@id") ?? throw vulnerability.Error("missing 'name'"));
                ids.AddRange(vulnerability.OptionalStrings("aliases"));
            }

            var products = new List<VexProduct>();
            foreach (var product in node.Required("products").ExpectSequence().Items())
            {
                AddProduct(product, products);
            }

            var status = node.RequiredString("status");
            if (!Statuses.Contains(status))
            {
                throw node.Required("status").Error($"unknown status '{FeedNode.Clip(status)}' (not_affected, affected, fixed, under_investigation)");
            }

            var justification = node.OptionalString("justification");
            if (justification is not null && !Justifications.Contains(justification))
            {
                throw node.Required("justification").Error($"unknown justification '{FeedNode.Clip(justification)}'");
            }

            var detail = node.OptionalString("impact_statement") ?? node.OptionalString("status_notes") ?? node.OptionalString("action_statement");
            statements.Add(new VexStatement(ids, products, AllPackages: false, status, justification, detail, node.File, node.Path));
        }

        return statements;
    }

    /// <summary>A product: a bare string (0.0.x), or a component with @id, identifiers.purl and subcomponents.</summary>
    private static void AddProduct(FeedNode product, List<VexProduct> products)
    {
        if (product.Kind == FeedNodeKind.String)
        {
            Add(product.Scalar!, products);
            return;
        }

        product.ExpectMapping();
        var subcomponents = product.OptionalList("subcomponents").ToList();
        if (subcomponents.Count > 0)
        {
            foreach (var sub in subcomponents)
            {
                sub.ExpectMapping();
                AddComponent(sub, products);
            }

            return;
        }

        AddComponent(product, products);
    }

    private static void AddComponent(FeedNode component, List<VexProduct> products)
    {
        var id = component.OptionalString("@id");
        var identifiers = component.ExpectMapping().Get("identifiers");
        var purl = identifiers is null || identifiers.Kind == FeedNodeKind.Null ? null : identifiers.ExpectMapping().OptionalString("purl");
        if (purl is not null)
        {
            Add(purl, products);
        }

        if (id is not null && id != purl)
        {
            Add(id, products);
        }
    }

    private static void Add(string identifier, List<VexProduct> products)
    {
        if (PackageUrl.TryParse(identifier) is { } purl)
        {
            products.Add(new VexProduct(purl, null));
        }
    }
}
