using Footprint.Analyzers;

namespace Footprint.Pipeline;

/// <summary>
/// Runs producers after the walk in the order their declarations give: a producer runs once every producer of each
/// type it consumes has finished; producers whose inputs are ready at the same time run concurrently when the view
/// allows concurrent reads. Results and warnings are kept per producer, so what reaches the report never depends on
/// timing.
/// </summary>
internal static class ProducerScheduler
{
    /// <summary>The result of each producer (null when it found nothing), indexed like <paramref name="producers"/>.</summary>
    public static object?[] Run(IReadOnlyList<IProducer> producers, Func<IProducer, Func<Type, IReadOnlyList<object>>, AnalysisContext> contextFor,
        bool concurrent, Action<IProducer, AnalysisContext> finished, CancellationToken cancel, Action<string, TimeSpan>? timed = null)
    {
        var results = new object?[producers.Count];
        var done = new bool[producers.Count];
        IReadOnlyList<object> Lookup(Type type)
        {
            var found = new List<object>();
            for (var i = 0; i < producers.Count; i++)
            {
                if (Volatile.Read(ref done[i]) && results[i] is { } result && type.IsInstanceOfType(result))
                {
                    found.Add(result);
                }
            }

            return found;
        }

        var contexts = new AnalysisContext[producers.Count];
        foreach (var wave in Waves(producers))
        {
            cancel.ThrowIfCancellationRequested();
            var errors = new Exception?[producers.Count];
            void RunOne(int i)
            {
                try
                {
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    contexts[i] = contextFor(producers[i], Lookup);
                    results[i] = producers[i].Produce(contexts[i]);
                    timed?.Invoke(producers[i].Id, System.Diagnostics.Stopwatch.GetElapsedTime(started));
                }
                catch (Exception e)
                {
                    errors[i] = e;
                }
            }

            if (concurrent && wave.Count > 1)
            {
                Parallel.ForEach(wave, new ParallelOptions { CancellationToken = cancel, MaxDegreeOfParallelism = Environment.ProcessorCount }, RunOne);
            }
            else
            {
                foreach (var i in wave)
                {
                    RunOne(i);
                }
            }

            // The first failure in registry order, so the same bad input always gives the same message.
            if (errors.FirstOrDefault(e => e is not null) is { } error)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
            }

            foreach (var i in wave)
            {
                Volatile.Write(ref done[i], true);
            }
        }

        for (var i = 0; i < producers.Count; i++)
        {
            finished(producers[i], contexts[i]);
        }

        return results;
    }

    /// <summary>
    /// Producers grouped by depth: wave 0 consumes nothing produced here, wave n consumes results of earlier waves only.
    /// A cycle among the declarations is a programming error (the architecture tests check the registry has none).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<int>> Waves(IReadOnlyList<IProducer> producers)
    {
        var depth = new int?[producers.Count];
        int Depth(int i, int guard)
        {
            if (depth[i] is { } known)
            {
                return known;
            }

            if (guard > producers.Count)
            {
                throw new InvalidOperationException($"analyzer '{producers[i].Id}' consumes, through others, its own result: the declarations have a cycle");
            }

            var d = 0;
            foreach (var input in producers[i].Consumes)
            {
                for (var j = 0; j < producers.Count; j++)
                {
                    if (j != i && input.IsAssignableFrom(producers[j].Produces))
                    {
                        d = Math.Max(d, Depth(j, guard + 1) + 1);
                    }
                }
            }

            depth[i] = d;
            return d;
        }

        for (var i = 0; i < producers.Count; i++)
        {
            Depth(i, 0);
        }

        return Enumerable.Range(0, producers.Count).GroupBy(i => depth[i]!.Value).OrderBy(g => g.Key).Select(g => (IReadOnlyList<int>)g.ToList()).ToList();
    }
}
