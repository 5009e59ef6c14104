namespace Footprint.Advisories.Database;

/// <summary>What importing one feed file did.</summary>
public enum ImportOutcome
{
    /// <summary>A feed key the database did not hold.</summary>
    Added,

    /// <summary>A new copy of a feed it held: the old statements were replaced.</summary>
    Replaced,

    /// <summary>The same bytes (same SHA-256) as the copy it holds: nothing changed.</summary>
    Unchanged,
}
