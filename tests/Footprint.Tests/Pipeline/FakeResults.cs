namespace Footprint.Tests.Pipeline;

/// <summary>Result types for <see cref="FakeProducer"/>: three independent ones, one consuming the first two, and an aggregate.</summary>
internal sealed record FirstFact(int Value) : IFakeFacts;

internal sealed record SecondFact(int Value) : IFakeFacts;

internal sealed record Combined(int Sum);

internal sealed record ThirdFact(int Value);

internal interface IFakeFacts
{
    int Value { get; }
}
