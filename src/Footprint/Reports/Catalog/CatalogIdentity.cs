namespace Footprint.Reports.Catalog;

/// <summary>What the system is.</summary>
/// <param name="OsId">os-release ID (alpine, debian, openwrt, tinycore...), when the artifact names one.</param>
/// <param name="OsName">PRETTY_NAME (or NAME, ID) with the exact release, as `compare` prints it.</param>
/// <param name="Version">The exact release (alpine-release, debian_version...), else VERSION_ID.</param>
/// <param name="Architecture">The architecture the identity analyzer settled on (amd64, arm64, mips...).</param>
/// <param name="World">container, revival or embedded (<see cref="Worlds"/>).</param>
/// <param name="WorldReason">Why that world: the rule that decided it, or "given with --world".</param>
public sealed record CatalogIdentity(string? OsId, string? OsName, string? Version, string? Architecture, string World, string WorldReason);
