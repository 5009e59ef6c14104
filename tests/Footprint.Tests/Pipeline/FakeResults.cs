namespace Footprint.Tests.Pipeline;

/// <summary>Result types for <see cref="FakeProducer"/>: two independent ones, one consuming both, and an aggregate.</summary>
internal sealed record FirstFact(int Value) : IFakeFacts;

internal sealed record SecondFact(int Value) : IFakeFacts;

internal sealed record Combined(int Sum);

internal interface IFakeFacts
{
    int Value { get; }
}
