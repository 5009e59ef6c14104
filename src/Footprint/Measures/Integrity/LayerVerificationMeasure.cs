using Footprint.Analyzers;
using Footprint.FileSystem;
using Footprint.Sources.Image;

namespace Footprint.Measures.Integrity;

/// <summary>Summarises the verification the load did, layer by layer (<see cref="LayerVerification"/>).</summary>
public sealed class LayerVerificationMeasure : IProducer<LayerVerificationResult>
{
    public string Id => "layer-verification";

    public int Version => 1;

    public bool IsCore => true;

    public LayerVerificationResult Produce(AnalysisContext context)
    {
        // The summary says nothing twice: it sees what the open and the load already warned about.
        var warnings = new List<FsWarning>(context.Load.Warnings);
        var earlier = warnings.Count;
        var verified = LayerVerification.Summarize(context.Source, context.Options.Verify, warnings);
        foreach (var warning in warnings.Skip(earlier))
        {
            context.Warn(warning);
        }

        return new LayerVerificationResult(verified);
    }
}
