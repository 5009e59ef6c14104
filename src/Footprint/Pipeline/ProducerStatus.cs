namespace Footprint.Pipeline;

/// <summary>One analyzer or measure and what happened to it: ran, disabled, or not selected by --only.</summary>
public sealed record ProducerStatus(string Id, int Version, string Status);
