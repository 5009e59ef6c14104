using Footprint.Walk;

namespace Footprint.Analyzers.Surface;

public sealed record AccountsReport
{
    /// <summary>Every line of etc/passwd, in file order.</summary>
    public required IReadOnlyList<AccountReport> Users { get; init; }

    public int Groups { get; init; }

    /// <summary>Accounts with an empty password, a missing hash, or uid 0 other than root.</summary>
    public required IReadOnlyList<SurfaceItem> Findings { get; init; }

    /// <summary>The files read (etc/passwd, etc/shadow, etc/group).</summary>
    public required IReadOnlyList<Evidence> Evidence { get; init; }
}
