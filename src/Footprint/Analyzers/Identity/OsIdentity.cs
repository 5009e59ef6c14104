namespace Footprint.Analyzers.Identity;

/// <summary>The os-release facts, and every release claim the identity files make (checked against the package databases).</summary>
public sealed record OsIdentity(OsReport? Os, IReadOnlyList<ReleaseConsistency.Claim> Claims);
