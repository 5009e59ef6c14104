namespace Footprint.Analyzers.Reachability;

/// <summary>A program the artifact starts, and where that is said.</summary>
/// <param name="Kind">"image-config" (Entrypoint+Cmd), "init" (/sbin/init), "systemd" (a unit's ExecStart),
/// "inittab" (a process field), "procd" (an /etc/init.d script's procd_set_param command), "explicit" (given by the caller).</param>
/// <param name="Command">argv[0] as written (a name looked up in PATH, or a path).</param>
/// <param name="Arguments">The rest of argv, as written.</param>
/// <param name="Origin">Where it was read: "config.Entrypoint+Cmd", "/lib/systemd/system/ssh.service: ExecStart=...", ...</param>
public sealed record Entrypoint(string Kind, string Command, IReadOnlyList<string> Arguments, string Origin);
