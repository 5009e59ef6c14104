namespace Footprint.Analyzers.Surface;

/// <summary>
/// <para>Mode: Permission bits in octal, e.g. "4755".</para>
/// </summary>
public sealed record SetIdFileReport(string Path, int? Layer, bool SetUid, bool SetGid, long Uid, long Gid, string Mode);
