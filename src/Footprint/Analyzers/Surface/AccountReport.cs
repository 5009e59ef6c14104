namespace Footprint.Analyzers.Surface;

/// <summary>
/// <para>Password: set, empty, locked, disabled ("*": no password login), missing (no shadow line), unknown (no shadow file).</para>
/// <para>LoginShell: The shell is not nologin, false or sync.</para>
/// </summary>
public sealed record AccountReport(string Name, long Uid, long Gid, string Home, string Shell, bool LoginShell, string Password);
