namespace Footprint.Analyzers.Surface;

/// <summary>
/// <para>Ports: TCP/UDP ports the configuration names, else the program's default.</para>
/// <para>PortSource: The configuration line the ports come from, or "default".</para>
/// </summary>
public sealed record DaemonReport(string Name, string Path, int? Layer, string Why, IReadOnlyList<int> Ports, string PortSource);
