namespace Footprint.Reports.Comparisons;

/// <summary>An item of the surface section present in one artifact and not the other.</summary>
/// <param name="Class">shell, package-manager, interpreter, setuid, setgid, capability, world-writable, daemon, service,
/// account-finding, login-account or init.</param>
/// <param name="Change">gained or lost.</param>
/// <param name="Name">The item's name (for setuid and setgid files, the path).</param>
/// <param name="Path">The file that shows it.</param>
/// <param name="Detail">What else identifies it (a daemon's ports, a capability's text, a file's mode), when anything does.</param>
public sealed record SurfaceChange(string Class, string Change, string Name, string Path, string? Detail);
