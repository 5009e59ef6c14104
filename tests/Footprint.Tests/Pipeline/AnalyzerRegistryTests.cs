using System.Text.RegularExpressions;
using Footprint.Analyzers;
using Footprint.Pipeline;

namespace Footprint.Tests.Pipeline;

public sealed partial class AnalyzerRegistryTests
{
    private static readonly IReadOnlyList<IProducer> All = AnalyzerRegistry.Create(new AnalysisOptions());

    [Fact]
    public void Should_give_every_producer_a_unique_kebab_case_id()
    {
        Assert.Equal(All.Count, All.Select(p => p.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(All, p => Assert.Matches(KebabCase(), p.Id));
        Assert.All(All, p => Assert.True(p.Version >= 1, p.Id));
    }

    [Fact]
    public void Should_have_a_producer_for_every_exact_type_consumed_and_no_cycle()
    {
        foreach (var p in All)
        {
            foreach (var input in p.Consumes)
            {
                Assert.True(All.Any(q => q != p && input.IsAssignableFrom(q.Produces)), $"{p.Id} consumes {input.Name}, which nothing produces");
            }
        }

        var waves = ProducerScheduler.Waves(All);
        Assert.Equal(All.Count, waves.Sum(w => w.Count));
        Assert.True(waves.Count >= 3, "the registry has consumers of consumers (loader after libc after the package databases)");
    }

    [Fact]
    public void Should_keep_the_core_measurements_core()
    {
        Assert.Equal(["installed-footprint", "layer-verification", "inventory", "download"], All.Where(p => p.IsCore).Select(p => p.Id));
    }

    [Fact]
    public void Should_make_fresh_instances_for_every_run()
    {
        var again = AnalyzerRegistry.Create(new AnalysisOptions());
        Assert.All(All.Zip(again), pair => Assert.NotSame(pair.First, pair.Second));
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();
}
