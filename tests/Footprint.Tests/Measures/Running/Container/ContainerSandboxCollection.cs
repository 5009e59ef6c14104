namespace Footprint.Tests.Measures.Running.Container;

/// <summary>
/// Tests that run entrypoints in sandboxes and read their memory run one at a time and alone: a measurement compared
/// with an independent run must not share the machine's 2 cores (or its page cache churn) with other tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ContainerSandboxCollection
{
    public const string Name = "container-sandboxes";
}
