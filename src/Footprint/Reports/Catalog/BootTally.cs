namespace Footprint.Reports.Catalog;

/// <summary>k of k: how many boots were tried at a size and how many reached the prompt.</summary>
public sealed record BootTally(int Booted, int Tried);
