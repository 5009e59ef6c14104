namespace Footprint.Reports.Comparisons;

/// <summary>
/// A package that is not the same in both artifacts, matched by (ecosystem, name, architecture).
/// </summary>
/// <param name="Ecosystem">The package database: apk, deb, opkg, rpm...</param>
/// <param name="Name">The package name.</param>
/// <param name="Architecture">Its architecture, when the database records one.</param>
/// <param name="Change">added, removed, upgraded, downgraded (by the ecosystem's own version order), or changed (the
/// versions differ but the ecosystem has no version order here, or it holds them equal).</param>
/// <param name="OldVersion">The old version; null when added.</param>
/// <param name="NewVersion">The new version; null when removed.</param>
/// <param name="OldBytes">Installed size the old database declares.</param>
/// <param name="NewBytes">Installed size the new database declares.</param>
/// <param name="DeltaBytes">New minus old declared size (a missing side counts 0); null when a present side declares none.</param>
/// <param name="OldMeasuredBytes">Bytes of the package's files present in the old view.</param>
/// <param name="NewMeasuredBytes">Bytes of the package's files present in the new view.</param>
/// <param name="VersionProblem">When either version is not valid under the ecosystem's rules: which and why. The
/// direction is still the package manager's order, which is defined for any string.</param>
public sealed record PackageChange(
    string Ecosystem,
    string Name,
    string? Architecture,
    string Change,
    string? OldVersion,
    string? NewVersion,
    long? OldBytes,
    long? NewBytes,
    long? DeltaBytes,
    long? OldMeasuredBytes,
    long? NewMeasuredBytes,
    string? VersionProblem = null);
