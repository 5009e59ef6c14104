namespace Footprint.Reports.Choices;

/// <summary>
/// One constraint checked against one system.
/// </summary>
/// <param name="Constraint">ram, disk, download, architecture, libc, init, need, world, vulnerabilities, reachable.</param>
/// <param name="Passed">Whether the system meets it (a figure that is not measured passes, with the basis saying so).</param>
/// <param name="Basis">What decided: measured, lower-bound (a measured RAM-resident size, a floor of running memory),
/// published (a figure from catalog/published.json, used only when nothing measured decides), not-measured, or
/// identity (what the artifact is: world, libc, init, packages, commands).</param>
/// <param name="Limit">The limit asked for, in bytes or findings.</param>
/// <param name="Value">The system's figure the limit was compared with.</param>
/// <param name="Margin">Limit minus value: what is left (negative: by how much it fails).</param>
/// <param name="Text">The verdict in words ("needs 256 MiB RAM, you have 128 MiB").</param>
public sealed record AxisVerdict(string Constraint, bool Passed, string Basis, long? Limit, long? Value, long? Margin, string Text);
