using Footprint.Analyzers;

namespace Footprint.Pipeline;

/// <summary>
/// Runs producers after the walk in the order their declarations give: a producer starts as soon as every producer of
/// each type it consumes has finished, beside whatever else is running (up to one per core when the caller allows
/// concurrency), not when a whole wave has. On the host the loader and the symlink check, which need no package
/// inventory, then run beside the inventory instead of after it. Results and warnings are kept per producer, so what
/// reaches the report never depends on timing.
/// </summary>
internal static class ProducerScheduler
{
    /// <summary>
    /// The result of each producer (null when it found nothing), indexed like <paramref name="producers"/>. When some
    /// fail, the failure reported is the one the wave order would meet first (the lowest wave, then registry order),
    /// so the same bad input always gives the same message: every producer whose inputs succeeded still runs.
    /// </summary>
    public static object?[] Run(IReadOnlyList<IProducer> producers, Func<IProducer, Func<Type, IReadOnlyList<object>>, AnalysisContext> contextFor,
        bool concurrent, Action<IProducer, AnalysisContext> finished, CancellationToken cancel, Action<string, TimeSpan>? timed = null)
    {
        var count = producers.Count;
        var results = new object?[count];
        var done = new bool[count];
        IReadOnlyList<object> Lookup(Type type)
        {
            var found = new List<object>();
            for (var i = 0; i < count; i++)
            {
                if (Volatile.Read(ref done[i]) && results[i] is { } result && type.IsInstanceOfType(result))
                {
                    found.Add(result);
                }
            }

            return found;
        }

        var depth = new int[count];
        var waves = Waves(producers);
        for (var w = 0; w < waves.Count; w++)
        {
            foreach (var i in waves[w])
            {
                depth[i] = w;
            }
        }

        var dependents = new List<int>[count];
        var waiting = new int[count];
        for (var i = 0; i < count; i++)
        {
            dependents[i] = [];
        }

        for (var i = 0; i < count; i++)
        {
            foreach (var j in Inputs(producers, i))
            {
                dependents[j].Add(i);
                waiting[i]++;
            }
        }

        var contexts = new AnalysisContext[count];
        var errors = new Exception?[count];
        var blocked = new bool[count];
        var gate = new object();
        var ready = new SortedSet<int>(Enumerable.Range(0, count).Where(i => waiting[i] == 0));
        var running = 0;
        var slots = concurrent ? Math.Max(1, Environment.ProcessorCount) : 1;

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

        // Under the gate: a finished (or skipped) producer releases its dependents; one that failed or was skipped
        // blocks them, as their input is missing.
        void Release(int i)
        {
            Volatile.Write(ref done[i], true);
            foreach (var d in dependents[i])
            {
                blocked[d] |= blocked[i] || errors[i] is not null;
                if (--waiting[d] == 0)
                {
                    ready.Add(d);
                }
            }
        }

        void Completed(int i)
        {
            lock (gate)
            {
                running--;
                Release(i);
                Monitor.PulseAll(gate);
            }
        }

        while (true)
        {
            int next;
            lock (gate)
            {
                while (true)
                {
                    while (ready.Count > 0 && blocked[ready.Min])
                    {
                        var skipped = ready.Min;
                        ready.Remove(skipped);
                        Release(skipped);
                    }

                    if (!cancel.IsCancellationRequested && ready.Count > 0 && running < slots)
                    {
                        next = ready.Min;
                        ready.Remove(next);
                        running++;
                        break;
                    }

                    if (running == 0)
                    {
                        next = -1;
                        break;
                    }

                    Monitor.Wait(gate);
                }
            }

            if (next < 0)
            {
                break;
            }

            if (slots == 1)
            {
                RunOne(next);
                Completed(next);
            }
            else
            {
                var i = next;
                _ = Task.Run(() =>
                {
                    RunOne(i);
                    Completed(i);
                }, CancellationToken.None);
            }
        }

        cancel.ThrowIfCancellationRequested();
        var failed = Enumerable.Range(0, count).Where(i => errors[i] is not null).OrderBy(i => depth[i]).ThenBy(i => i).FirstOrDefault(-1);
        if (failed >= 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(errors[failed]!).Throw();
        }

        for (var i = 0; i < count; i++)
        {
            finished(producers[i], contexts[i]);
        }

        return results;
    }

    /// <summary>The producers whose results producer <paramref name="i"/> consumes.</summary>
    private static IEnumerable<int> Inputs(IReadOnlyList<IProducer> producers, int i)
    {
        for (var j = 0; j < producers.Count; j++)
        {
            if (j != i && producers[i].Consumes.Any(input => input.IsAssignableFrom(producers[j].Produces)))
            {
                yield return j;
            }
        }
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
