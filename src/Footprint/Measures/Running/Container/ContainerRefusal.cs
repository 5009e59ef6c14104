namespace Footprint.Measures.Running.Container;

/// <summary>Why an image's entrypoint is not run: its class (<c>no-entrypoint</c>, <c>not-runnable</c>) and a plain sentence.</summary>
public sealed record ContainerRefusal(string Outcome, string Message);
