using Footprint.Analyzers;
using Footprint.Sources.LiveMedia;

namespace Footprint.Measures.RamResident;

/// <summary>How a composed system was put together from its medium (<see cref="RamResidentMeasure.Describe"/>).</summary>
public sealed class CompositionMeasure : IProducer<CompositionReport>
{
    public string Id => "composition";

    public int Version => 1;

    public CompositionReport? Produce(AnalysisContext context)
        => context.Source.Capability<IComposedMedium>() is { } medium ? RamResidentMeasure.Describe(medium) : null;
}
