using Footprint.Store;

namespace Footprint.Tests.Store;

/// <summary>Cache writes behind the caller run one at a time in order, Flush waits for all of them, and a failure is not lost.</summary>
public sealed class BackgroundWritesTests
{
    [Fact]
    public void Should_run_writes_one_at_a_time_in_the_order_queued_and_flush_after_the_last()
    {
        var writes = new BackgroundWrites();
        var done = new List<int>();
        var running = 0;
        var overlapped = false;
        for (var i = 0; i < 50; i++)
        {
            var n = i;
            writes.Queue(() =>
            {
                overlapped |= Interlocked.Increment(ref running) > 1;
                Thread.Sleep(n % 7 == 0 ? 5 : 0);
                done.Add(n);
                Interlocked.Decrement(ref running);
            });
        }

        writes.Flush();

        Assert.False(overlapped);
        Assert.Equal(Enumerable.Range(0, 50), done);
    }

    [Fact]
    public void Should_not_hold_the_caller_while_a_write_runs()
    {
        var writes = new BackgroundWrites();
        using var gate = new ManualResetEventSlim();
        var finished = false;
        writes.Queue(() =>
        {
            // Bounded: a Queue that ran the write itself would come back after it, and fail below instead of hanging.
            gate.Wait(TimeSpan.FromSeconds(10));
            finished = true;
        });

        // Queue returned with the write still waiting: the caller went on.
        Assert.False(finished);
        gate.Set();
        writes.Flush();
        Assert.True(finished);
    }

    [Fact]
    public void Should_throw_a_failed_write_from_the_next_flush_once_and_still_run_the_later_writes()
    {
        var writes = new BackgroundWrites();
        var later = false;
        writes.Queue(() => throw new InvalidOperationException("disk said no"));
        writes.Queue(() => later = true);

        var thrown = Assert.Throws<InvalidOperationException>(writes.Flush);
        Assert.Equal("disk said no", thrown.Message);
        Assert.True(later);
        writes.Flush();
    }
}
