namespace Footprint.Analyzers.KernelModules;

/// <summary>The `kernelModules` section: the module trees of a root filesystem, one per kernel version.</summary>
/// <param name="Trees">By path.</param>
public sealed record KernelModulesReport(IReadOnlyList<KernelModuleTree> Trees);
