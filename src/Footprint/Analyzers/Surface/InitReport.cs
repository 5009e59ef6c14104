using Footprint.Walk;

namespace Footprint.Analyzers.Surface;

/// <summary>
/// <para>System: systemd, openrc, runit, sysvinit, busybox, s6, procd or none.</para>
/// </summary>
public sealed record InitReport(string System, IReadOnlyList<Evidence> Evidence, IReadOnlyList<SurfaceItem> Services);
