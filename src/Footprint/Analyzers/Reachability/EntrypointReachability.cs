namespace Footprint.Analyzers.Reachability;

/// <summary>What one entrypoint reaches.</summary>
/// <param name="Entrypoint">The entrypoint as found.</param>
/// <param name="Program">The file that runs (PATH applied, symlinks followed), null when it is not in the image.</param>
/// <param name="Closure">Real paths of every object mapped at start-up: the program, its interpreter, LD_PRELOAD and
/// /etc/ld.so.preload objects and their dependencies, in load order.</param>
/// <param name="Unknowns">Reasons that make every package outside the closure unknown (shell, spawning, unresolved, static...).</param>
/// <param name="Packages">Every installed package's class, in inventory order.</param>
public sealed record EntrypointReachability(
    Entrypoint Entrypoint,
    string? Program,
    IReadOnlyList<string> Closure,
    IReadOnlyList<string> Unknowns,
    IReadOnlyList<PackageReachability> Packages);
