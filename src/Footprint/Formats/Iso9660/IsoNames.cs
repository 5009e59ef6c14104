namespace Footprint.Formats.Iso9660;

/// <summary>Which of an ISO image's name spaces <see cref="IsoReader"/> presents.</summary>
public enum IsoNames
{
    /// <summary>Rock Ridge if the primary tree carries it, else Joliet if present, else plain ISO 9660 names.</summary>
    Auto,

    /// <summary>The primary tree with its Rock Ridge (RRIP) names, modes, owners, links and relocations.</summary>
    RockRidge,

    /// <summary>The Joliet tree of the supplementary volume descriptor (UCS-2 big-endian names).</summary>
    Joliet,

    /// <summary>The primary tree's ECMA-119 names, version (";1") and a trailing "." stripped; SUSP ignored.</summary>
    Plain,
}
