namespace Footprint.Tests.TestSupport;

/// <summary>
/// Tests that measure the process's memory run alone: other test classes allocating in parallel
/// would otherwise be counted against them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection
{
    public const string Name = "memory-measuring";
}
