namespace Footprint.Analyzers;

/// <summary>A producer whose result type is checked by the compiler.</summary>
/// <typeparam name="TResult">The one immutable result this producer makes.</typeparam>
public interface IProducer<TResult> : IProducer
    where TResult : class
{
    Type IProducer.Produces => typeof(TResult);

    object? IProducer.Produce(AnalysisContext context) => Produce(context);

    /// <summary>Computes the result after the walk; null when the artifact has nothing of the kind.</summary>
    new TResult? Produce(AnalysisContext context);
}
