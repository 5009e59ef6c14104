namespace Footprint.Measures.Running.Container;

/// <summary>
/// The image's files exceed <see cref="ContainerOptions.MaxRootfsBytes"/>: a limit the user set, not damage, so the
/// measurement ends as <c>too-large</c> (exit 1) rather than as a format error.
/// </summary>
public sealed class ContainerLimitException(string message) : Exception(message);
