namespace Footprint.Analyzers.Reachability;

/// <summary>One package's class for one entrypoint, with the evidence for it.</summary>
/// <param name="Ecosystem">The package's database kind ("apk", "deb", ...).</param>
/// <param name="Name">The binary package's name; findings are reported per binary package.</param>
/// <param name="Version">Its version as recorded.</param>
/// <param name="Class">Its class for this entrypoint.</param>
/// <param name="Evidence">Loaded: the chain of paths from the entrypoint to the package's file. Unknown: each reason.
/// Present, not loaded: why nothing reaches it.</param>
public sealed record PackageReachability(string Ecosystem, string Name, string Version, ReachabilityClass Class, IReadOnlyList<string> Evidence);
