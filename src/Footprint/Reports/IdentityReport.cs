using Footprint.Analyzers.Identity;

namespace Footprint.Reports;

public sealed record IdentityReport(OsReport? Os, ArchitectureReport? Architecture);
