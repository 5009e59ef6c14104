using Footprint.Pipeline;
using Footprint.Reports;

namespace Footprint.Cli.Commands;

/// <summary>
/// Measures several artifacts for `compare` and `diff`: each exactly once (through the layer and report caches, as
/// `measure` does), two at a time like `measure --list`, results in input order. When some fail, the failure of the
/// first failing input (in input order) is rethrown as it was, so the message names that file.
/// </summary>
internal static class ArtifactMeasurements
{
    /// <summary>How many artifacts are measured at once: `measure --list`'s default.</summary>
    private const int Parallel = 2;

    public static IReadOnlyList<ArtifactReport> MeasureAll(IReadOnlyList<string> inputs, MeasureOptions options)
    {
        var results = new ArtifactReport?[inputs.Count];
        var errors = new Exception?[inputs.Count];
        System.Threading.Tasks.Parallel.For(0, inputs.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallel }, i =>
        {
            try
            {
                results[i] = ReportCache.Measure(inputs[i], options);
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        });
        if (errors.FirstOrDefault(e => e is not null) is { } first)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }

        return results.Select(r => r!).ToList();
    }
}
