namespace Footprint.Reports.Comparisons;

/// <summary>A regular file added, removed or changed (its SHA-256 differs) between the two squashed views.</summary>
/// <param name="Path">The file's path in the squashed view.</param>
/// <param name="Change">added, removed or changed.</param>
/// <param name="OldBytes">Its size in the old view, when there.</param>
/// <param name="NewBytes">Its size in the new view, when there.</param>
/// <param name="DeltaBytes">New size minus old size (a missing side counts 0).</param>
/// <param name="OldSha256">Its SHA-256 in the old view, when there.</param>
/// <param name="NewSha256">Its SHA-256 in the new view, when there.</param>
public sealed record FileChange(string Path, string Change, long? OldBytes, long? NewBytes, long DeltaBytes, string? OldSha256, string? NewSha256);
