namespace Footprint.Sources.LiveMedia;

/// <summary>
/// The capability of a source composed from a medium: the medium's own facts and how each component was stored and
/// read. The download and RAM-resident measures ask for it instead of downcasting to <see cref="ComposedSource"/>.
/// </summary>
public interface IComposedMedium
{
    /// <summary>Bytes of the medium file: what is downloaded.</summary>
    long MediumBytes { get; }

    Composition Composition { get; }

    MediumInfo Medium { get; }

    /// <summary>Per component (by layer index): its compression and what reading it found, once it was read.</summary>
    IReadOnlyList<ComponentStats> Stats { get; }
}
