namespace Footprint.Analyzers.Surface;

/// <summary>
/// <para>Version: vfs_cap_data revision: 1, 2 or 3.</para>
/// <para>Effective: The effective bit: permitted capabilities are raised at exec.</para>
/// <para>RootId: Version 3 only: the namespace root user id the capabilities apply to.</para>
/// <para>Text: As getcap(8) prints it, e.g. "cap_net_raw=ep".</para>
/// </summary>
public sealed record FileCapabilityReport(string Path, int? Layer, int Version, bool Effective, IReadOnlyList<string> Permitted,
    IReadOnlyList<string> Inheritable, long? RootId, string Text);
