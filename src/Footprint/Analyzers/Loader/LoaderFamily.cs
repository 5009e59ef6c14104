namespace Footprint.Analyzers.Loader;

/// <summary>Which dynamic loader's rules apply.</summary>
public enum LoaderFamily
{
    /// <summary>glibc's ld.so (ld-linux-*.so.*, ld64.so.*, ld.so.1): RPATH, RUNPATH, ld.so.cache, default dirs, symbol versions.</summary>
    Glibc,

    /// <summary>musl's ld-musl-ARCH.so.1: RPATH/RUNPATH up the chain of loaders, /etc/ld-musl-ARCH.path or the defaults; no symbol versions.</summary>
    Musl,
}
