using Footprint.Analyzers;
using Footprint.FileSystem;
using Footprint.Pipeline;
using Footprint.Sources;

namespace Footprint.Tests.Pipeline;

public sealed class ProducerSchedulerTests
{
    private static readonly IArtifactSource Source = new EmptySource();

    [Fact]
    public void Should_run_a_consumer_after_every_producer_of_what_it_consumes()
    {
        // Registered consumer first: only the declarations can put it last.
        IProducer[] producers =
        [
            new FakeProducer("combined", typeof(Combined), [typeof(IFakeFacts)], c => new Combined(c.All<IFakeFacts>().Sum(f => f.Value))),
            new FakeProducer("first", typeof(FirstFact), [], _ => new FirstFact(2)),
            new FakeProducer("second", typeof(SecondFact), [], _ => new SecondFact(40)),
        ];
        var results = Run(producers, concurrent: false);
        Assert.Equal(new Combined(42), results[0]);
        Assert.Equal([[1, 2], [0]], ProducerScheduler.Waves(producers).Select(w => w.ToArray()).ToArray());
    }

    [Fact]
    public void Should_run_independent_producers_at_the_same_time()
    {
        // Each waits for the other at a barrier: run one after the other, the first would time out alone.
        using var barrier = new Barrier(2);
        object Meet(object result) => barrier.SignalAndWait(TimeSpan.FromSeconds(20)) ? result : throw new TimeoutException("ran alone");
        IProducer[] producers =
        [
            new FakeProducer("first", typeof(FirstFact), [], _ => Meet(new FirstFact(1))),
            new FakeProducer("second", typeof(SecondFact), [], _ => Meet(new SecondFact(2))),
        ];
        var results = Run(producers, concurrent: true);
        Assert.Equal([new FirstFact(1), new SecondFact(2)], results);
    }

    [Fact]
    public void Should_start_a_consumer_once_its_own_inputs_are_done_not_its_whole_wave()
    {
        // "after-fast" consumes only what "fast" makes; it must meet "slow" (a wave before it) while "slow" still runs.
        using var barrier = new Barrier(2);
        object Meet(object result) => barrier.SignalAndWait(TimeSpan.FromSeconds(20)) ? result : throw new TimeoutException("ran alone");
        IProducer[] producers =
        [
            new FakeProducer("slow", typeof(FirstFact), [], _ => Meet(new FirstFact(1))),
            new FakeProducer("fast", typeof(SecondFact), [], _ => new SecondFact(2)),
            new FakeProducer("after-fast", typeof(Combined), [typeof(SecondFact)], c => Meet(new Combined(c.Get<SecondFact>()!.Value))),
        ];
        var results = Run(producers, concurrent: true);
        Assert.Equal([new FirstFact(1), new SecondFact(2), new Combined(2)], results);
    }

    [Fact]
    public void Should_report_the_failure_of_the_earliest_wave_and_not_run_what_consumes_a_failed_result()
    {
        // "late" fails a wave after "early" does, but sits first in the registry: the earlier wave's failure is the one
        // reported, however the threads run. "needs-early" consumes what "early" failed to make: it never runs.
        var ranNeedsEarly = 0;
        IProducer[] producers =
        [
            new FakeProducer("late", typeof(Combined), [typeof(SecondFact)], _ => throw new FormatException("late broke")),
            new FakeProducer("early", typeof(FirstFact), [], _ => { Thread.Sleep(50); throw new FormatException("early broke"); }),
            new FakeProducer("second", typeof(SecondFact), [], _ => new SecondFact(2)),
            new FakeProducer("needs-early", typeof(ThirdFact), [typeof(FirstFact)], _ => { Interlocked.Increment(ref ranNeedsEarly); return new ThirdFact(3); }),
        ];
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("early broke", Assert.Throws<FormatException>(() => Run(producers, concurrent: true)).Message);
            Assert.Equal("early broke", Assert.Throws<FormatException>(() => Run(producers, concurrent: false)).Message);
        }

        Assert.Equal(0, ranNeedsEarly);
    }

    [Fact]
    public void Should_refuse_to_read_a_result_that_was_not_declared()
    {
        IProducer[] producers =
        [
            new FakeProducer("first", typeof(FirstFact), [], _ => new FirstFact(1)),
            new FakeProducer("sneaky", typeof(Combined), [], c => new Combined(c.Get<FirstFact>()!.Value)),
        ];
        var error = Assert.Throws<InvalidOperationException>(() => Run(producers, concurrent: false));
        Assert.Contains("FirstFact is read but not declared in Consumes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_report_the_first_failure_in_registry_order()
    {
        IProducer[] producers =
        [
            new FakeProducer("first", typeof(FirstFact), [], _ => throw new FormatException("first broke")),
            new FakeProducer("second", typeof(SecondFact), [], _ => throw new FormatException("second broke")),
        ];
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("first broke", Assert.Throws<FormatException>(() => Run(producers, concurrent: true)).Message);
        }
    }

    [Fact]
    public void Should_refuse_declarations_with_a_cycle()
    {
        IProducer[] producers =
        [
            new FakeProducer("a", typeof(FirstFact), [typeof(SecondFact)], _ => null),
            new FakeProducer("b", typeof(SecondFact), [typeof(FirstFact)], _ => null),
        ];
        Assert.Contains("cycle", Assert.Throws<InvalidOperationException>(() => ProducerScheduler.Waves(producers)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_keep_warnings_in_registry_order_whatever_the_timing()
    {
        IProducer[] producers =
        [
            new FakeProducer("slow", typeof(FirstFact), [], c => { Thread.Sleep(200); c.Warn(new FsWarning("slow", "slow", "x", null, null)); return new FirstFact(1); }),
            new FakeProducer("fast", typeof(SecondFact), [], c => { c.Warn(new FsWarning("fast", "fast", "x", null, null)); return new SecondFact(2); }),
        ];
        var warnings = new List<string>();
        ProducerScheduler.Run(producers, (p, lookup) => Context(p, lookup), concurrent: true, (_, c) => warnings.AddRange(c.Warnings.Select(w => w.Code)), default);
        Assert.Equal(["slow", "fast"], warnings);
    }

    private static object?[] Run(IReadOnlyList<IProducer> producers, bool concurrent)
        => ProducerScheduler.Run(producers, (p, lookup) => Context(p, lookup), concurrent, (_, _) => { }, default);

    private static AnalysisContext Context(IProducer producer, Func<Type, IReadOnlyList<object>> lookup)
        => new(new LayeredFileSystem(), Source, new AnalysisOptions(), new LoadFacts(new Dictionary<int, Footprint.Sources.Image.PushSize>(), []), producer.Consumes, lookup);

    private sealed class EmptySource : IArtifactSource
    {
        public SourceKind Kind => SourceKind.Directory;

        public string Location => "empty";

        public ImageConfig? Config => null;

        public IReadOnlyList<LayerDescriptor> Layers => [];

        public long? ManifestBytes => null;

        public long? ConfigBytes => null;

        public string? ManifestDigest => null;

        public bool InterpretWhiteouts => false;

        public ILayerReader OpenLayer(LayerDescriptor layer, LayerReadOptions options) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
