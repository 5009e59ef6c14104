namespace Footprint.Analyzers.Loader;

/// <summary>One object of a closure.</summary>
/// <param name="Name">The DT_NEEDED name it was asked for.</param>
/// <param name="Path">The path the loader opened.</param>
/// <param name="RealPath">That path with symlinks resolved.</param>
/// <param name="ViaLoader">Satisfied by the dynamic loader itself (glibc: its soname is loaded first; musl: libc.*, libpthread.*, libm.* ... are the loader).</param>
public sealed record LoadedObject(string Name, string Path, string RealPath, bool ViaLoader);
