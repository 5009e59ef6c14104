using Footprint.Analyzers;

namespace Footprint.Tests.Pipeline;

/// <summary>A producer made of parts, for testing the scheduler and the selection without a real artifact.</summary>
internal sealed class FakeProducer(string id, Type produces, Type[] consumes, Func<AnalysisContext, object?> produce, bool core = false) : IProducer
{
    public string Id => id;

    public int Version => 1;

    public Type Produces => produces;

    public IReadOnlyList<Type> Consumes => consumes;

    public bool IsCore => core;

    public object? Produce(AnalysisContext context) => produce(context);
}
