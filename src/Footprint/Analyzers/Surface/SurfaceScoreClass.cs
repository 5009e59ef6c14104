namespace Footprint.Analyzers.Surface;

/// <summary>One class of item in the score: how many were counted, at how many points each.</summary>
public sealed record SurfaceScoreClass(string Class, int Count, int Weight, int Points);
