using Footprint.Analyzers.Binaries;
using Footprint.Analyzers.Libc;

namespace Footprint.Analyzers.Loader;

/// <summary>
/// What `footprint lint` checks: the C library the image provides and whether every dynamic program and library
/// would load, modelled on the image's own loader (docs/lint.md).
/// </summary>
public sealed record LintReport
{
    /// <summary>The C library the image provides; null when none was found (static-only or empty images).</summary>
    public LibcReport? Libc { get; init; }

    public required LintCounts Counts { get; init; }

    /// <summary>Errors first, then warnings, then info; by path within a severity.</summary>
    public required IReadOnlyList<LintFinding> Findings { get; init; }

    /// <summary>When BusyBox is installed: its version, applet links, and which common commands are its applets.</summary>
    public BusyBoxReport? BusyBox { get; init; }
}
