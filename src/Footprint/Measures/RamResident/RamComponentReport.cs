namespace Footprint.Measures.RamResident;

/// <param name="Layer">The component's layer.</param>
/// <param name="Path">Where it is in the artifact.</param>
/// <param name="Residency">expanded-in-ram, compressed-in-ram, on-media (default options).</param>
/// <param name="Bytes">What it holds in RAM with the default options.</param>
/// <param name="ToRamResidency">The same with copy-to-RAM.</param>
/// <param name="ToRamBytes">What it holds in RAM with copy-to-RAM.</param>
public sealed record RamComponentReport(int Layer, string Path, string Residency, long Bytes, string ToRamResidency, long ToRamBytes);
