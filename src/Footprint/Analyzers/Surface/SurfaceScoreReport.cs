namespace Footprint.Analyzers.Surface;

/// <summary>
/// <para>Total: Sum of <see cref="Classes"/> points.</para>
/// </summary>
public sealed record SurfaceScoreReport(int Total, IReadOnlyList<SurfaceScoreClass> Classes);
