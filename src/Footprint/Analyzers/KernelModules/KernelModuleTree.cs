namespace Footprint.Analyzers.KernelModules;

/// <summary>One kernel version's module tree.</summary>
/// <param name="Path">The tree, e.g. "/lib/modules/6.1.0-57-amd64" or "/usr/lib/modules/6.1.0-57-amd64".</param>
/// <param name="Version">The directory name: the release the modules were built for.</param>
/// <param name="Files">Regular files under it, hard links once.</param>
/// <param name="ApparentBytes">Their apparent size (what `du -sb --apparent-size` counts for the files).</param>
/// <param name="Modules">Files ending in .ko, .ko.gz, .ko.xz or .ko.zst.</param>
/// <param name="ModuleBytes">Apparent bytes of those module files.</param>
public sealed record KernelModuleTree(string Path, string Version, long Files, long ApparentBytes, long Modules, long ModuleBytes);
