using Footprint.Analyzers;

namespace Footprint.Pipeline;

/// <summary>
/// Which producers run (`--disable ID`, `--only ID`). `--only` keeps the named producers, the producers of every
/// result type they consume (transitively) and the core ones; an input declared as an interface is an aggregate
/// (package inventories from every ecosystem) and pulls in nothing: the consumer reads whatever of it ran, so
/// `--only apk-db` reads the apk database alone. `--disable` drops producers, never a core one. A consumer whose
/// input was dropped still runs and reads null: each producer decides what that means for its own result, and the
/// report lists what did not run.
/// </summary>
public sealed record AnalyzerSelection
{
    public IReadOnlyList<string> Disable { get; init; } = [];

    public IReadOnlyList<string> Only { get; init; } = [];

    public bool IsDefault => Disable.Count == 0 && Only.Count == 0;

    /// <summary>The producers to run, in registry order, and each skipped producer's id with the reason.</summary>
    public (IReadOnlyList<IProducer> Run, IReadOnlyList<(IProducer Producer, string Reason)> Skipped) Apply(IReadOnlyList<IProducer> all, AnalysisOptions options)
    {
        Check(all, Disable, "--disable");
        Check(all, Only, "--only");
        foreach (var id in Disable)
        {
            if (all.First(p => p.Id == id).IsCore)
            {
                throw new ArgumentException($"--disable {id}: '{id}' is a core measurement and always runs (core: {string.Join(", ", all.Where(p => p.IsCore).Select(p => p.Id))})");
            }
        }

        var keep = new HashSet<IProducer>(ReferenceEqualityComparer.Instance);
        if (Only.Count == 0)
        {
            keep.UnionWith(all);
        }
        else
        {
            var pending = new Stack<IProducer>(all.Where(p => p.IsCore || Only.Contains(p.Id)));
            while (pending.TryPop(out var p))
            {
                if (!keep.Add(p))
                {
                    continue;
                }

                foreach (var input in p.Consumes.Where(t => !t.IsInterface))
                {
                    foreach (var producer in all.Where(q => input.IsAssignableFrom(q.Produces) && !Disable.Contains(q.Id)))
                    {
                        pending.Push(producer);
                    }
                }
            }
        }

        var run = new List<IProducer>();
        var skipped = new List<(IProducer, string)>();
        foreach (var p in all)
        {
            if (!p.IsWanted(options))
            {
                continue;
            }

            if (Disable.Contains(p.Id))
            {
                skipped.Add((p, "disabled"));
            }
            else if (!keep.Contains(p))
            {
                skipped.Add((p, "not selected by --only"));
            }
            else
            {
                run.Add(p);
            }
        }

        return (run, skipped);
    }

    private static void Check(IReadOnlyList<IProducer> all, IReadOnlyList<string> ids, string option)
    {
        foreach (var id in ids)
        {
            if (all.Any(p => p.Id == id))
            {
                continue;
            }

            // A prefix (`dpkg` for dpkg-db) or a near miss (`hardenig`) gets a suggestion.
            var ranked = all.Select(p => p.Id).FirstOrDefault(known => known.StartsWith(id, StringComparison.Ordinal))
                ?? all.Select(p => p.Id).OrderBy(known => Distance(id, known)).First();
            var hint = ranked.StartsWith(id, StringComparison.Ordinal) || Distance(id, ranked) <= Math.Max(2, id.Length / 3) ? $"; did you mean '{ranked}'?" : string.Empty;
            throw new ArgumentException($"{option} {id}: no analyzer has this id{hint} (`footprint analyzers` lists them)");
        }
    }

    /// <summary>Edit distance, for the "did you mean" of a mistyped id.</summary>
    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }

        return row[b.Length];
    }
}
