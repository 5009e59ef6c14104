using Footprint.Walk;

namespace Footprint.Analyzers.Loader;

/// <summary>One problem the loader (or the kernel, for a script) would meet.</summary>
/// <param name="Severity">error, warning or info.</param>
/// <param name="Code">elf-damaged, interpreter-missing, interpreter-damaged, library-missing, library-damaged, symbol-version-missing, wrong-architecture, script-interpreter-missing.</param>
/// <param name="Path">The program, library or script concerned.</param>
/// <param name="Detail">What is wrong, in words.</param>
/// <param name="Evidence">What was read: the PT_INTERP, DT_NEEDED, version need, the directories searched.</param>
public sealed record LintFinding(string Severity, string Code, string Path, string Detail, IReadOnlyList<Evidence> Evidence);
