namespace Footprint.Analyzers.Reachability;

/// <summary>Whether an entrypoint can run a package's code.</summary>
public enum ReachabilityClass
{
    /// <summary>A file of the package is in the entrypoint's loader closure: its code is mapped at start-up.</summary>
    Loaded,

    /// <summary>
    /// The image alone cannot tell: the entrypoint is a shell or interpreter, something loaded spawns processes or
    /// dlopen()s a name of the package, a needed library is missing, the program is static, or its imports are
    /// unreadable. Never read this as "not affected".
    /// </summary>
    Unknown,

    /// <summary>Installed, but nothing the entrypoint loads or can start reaches it; or the package ships no executable code.</summary>
    PresentNotLoaded,
}
