using Footprint.Reports.Catalog;

namespace Footprint.Reports.Choices;

/// <summary>A catalog entry and where it came from: shipped (catalog/shipped.json) or user (the store).</summary>
public sealed record CatalogCandidate(CatalogEntry Entry, string Origin)
{
    public const string Shipped = "shipped";

    public const string User = "user";
}
