namespace Footprint.Analyzers.Packages.Rpm;

/// <summary>Everything read from one rpm database.</summary>
/// <param name="Format">Format detected from the content.</param>
/// <param name="Headers">One per package record that parsed, in storage order.</param>
/// <param name="Unknowns">One per record that did not parse.</param>
public sealed record RpmDatabaseContent(RpmDatabaseFormat Format, IReadOnlyList<RpmHeader> Headers, IReadOnlyList<RpmUnknown> Unknowns);
