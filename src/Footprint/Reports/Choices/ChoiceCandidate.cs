using Footprint.Reports.Catalog;

namespace Footprint.Reports.Choices;

/// <summary>One system of the catalog with its verdict on every constraint asked for.</summary>
/// <param name="Rank">1 for the best candidate; null for an excluded system.</param>
/// <param name="Name">The catalog entry's name.</param>
/// <param name="Origin">shipped (catalog/shipped.json) or user (`catalog add`, `catalog import`).</param>
/// <param name="World">container, revival or embedded.</param>
/// <param name="Os">The system's name and release.</param>
/// <param name="Architecture">Its architecture.</param>
/// <param name="Libc">Its C library family.</param>
/// <param name="Init">Its init system.</param>
/// <param name="Binding">The constraint that binds: for a candidate the one with the least room (relative to its limit),
/// for an excluded system the one it fails first (identity constraints first, then the one it misses by most).</param>
/// <param name="Summary">"fits: ..." or "fails: ..." in words, from the binding constraint.</param>
/// <param name="Axes">Every constraint asked for, in a fixed order.</param>
/// <param name="Published">Published figures for this system (catalog/published.json), shown beside the measured ones.</param>
public sealed record ChoiceCandidate(
    int? Rank,
    string Name,
    string Origin,
    string World,
    string? Os,
    string? Architecture,
    string Libc,
    string? Init,
    string? Binding,
    string Summary,
    IReadOnlyList<AxisVerdict> Axes,
    IReadOnlyList<PublishedFigure> Published);
