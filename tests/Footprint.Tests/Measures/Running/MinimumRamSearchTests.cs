using Footprint.Measures.Running;

namespace Footprint.Tests.Measures.Running;

/// <summary>The bisection against simulated guests whose boundary is known.</summary>
public sealed class MinimumRamSearchTests
{
    private static Func<int, double, BootAttempt> Guest(Func<int, int, BootOutcome> outcome)
    {
        var calls = new Dictionary<int, int>();
        return (mib, _) =>
        {
            calls[mib] = calls.GetValueOrDefault(mib) + 1;
            return new BootAttempt { MemoryMiB = mib, Outcome = outcome(mib, calls[mib]), Seconds = 1, LastLines = [] };
        };
    }

    [Fact]
    public void Should_find_a_sharp_boundary_within_eight_boots_plus_confirmations()
    {
        var result = MinimumRamSearch.Search(Guest((m, _) => m >= 37 ? BootOutcome.Booted : BootOutcome.Oom), 20, 128, 3, 3, 60);
        Assert.Equal(37, result.MinimumMiB);
        Assert.Empty(result.FlakyMiB);
        Assert.Contains(result.Failures, f => f.MemoryMiB == 36 && f.Outcomes.SequenceEqual(["oom"]));
        Assert.True(result.Boots <= 8 + 2, $"{result.Boots} boots");
        Assert.Equal(3, result.Trials.Count(t => t.MemoryMiB == 37));
        Assert.Equal(15, result.TimeoutSeconds);
    }

    [Fact]
    public void Should_move_up_past_a_flaky_size()
    {
        // 40 boots only on the first try; 41 and up always.
        var result = MinimumRamSearch.Search(Guest((m, n) => m >= 41 || (m == 40 && n == 1) ? BootOutcome.Booted : BootOutcome.Panic), 16, 64, 3, 3, 60);
        Assert.Equal(41, result.MinimumMiB);
        Assert.Equal([40], result.FlakyMiB);
    }

    [Fact]
    public void Should_halve_the_floor_when_the_lower_bound_boots()
    {
        var result = MinimumRamSearch.Search(Guest((m, _) => m >= 10 ? BootOutcome.Booted : BootOutcome.InitramfsError), 30, 128, 3, 2, 60);
        Assert.Equal(10, result.MinimumMiB);
        Assert.Equal(30, result.Trials[0].MemoryMiB);
        Assert.Equal(15, result.Trials[1].MemoryMiB);
    }

    [Fact]
    public void Should_report_no_minimum_when_nothing_confirms()
    {
        var result = MinimumRamSearch.Search(Guest((m, n) => n == 1 && m >= 50 ? BootOutcome.Booted : BootOutcome.Timeout), 40, 52, 3, 3, 60);
        Assert.Null(result.MinimumMiB);
        Assert.NotEmpty(result.FlakyMiB);
    }
}
