namespace Footprint.Walk;

/// <summary>Bounds on what is kept in memory from a layer stream.</summary>
public static class ContentLimits
{
    public const int HeadBytes = 4096;

    /// <summary>Config and database files are small; anything larger is kept as a head only and marked incomplete.</summary>
    public const int MaxWholeBytes = 8 << 20;
}
