using Footprint.Reports.Catalog;

namespace Footprint.Reports.Choices;

/// <summary>
/// `footprint choose`: checks every catalog entry against the constraints and ranks those that pass (docs/choose.md).
/// Measured figures decide; a published figure decides only an axis no measured figure decides, and says so.
/// </summary>
public static class Chooser
{
    public const string RankRule = "candidates are ranked by the room left on their binding constraint (the limit they come closest to, "
        + "as a fraction of that limit: more room first; systems with no figure on any size or budget constraint come after), "
        + "then by installed size on disk (smaller first), then by name";

    /// <summary>
    /// Chooses among <paramref name="candidates"/>; a user entry hides a shipped entry of the same name.
    /// </summary>
    public static Choice Choose(IReadOnlyList<CatalogCandidate> candidates, IReadOnlyList<PublishedFigure> published, ChoiceConstraints constraints, ToolInfo tool)
    {
        var userNames = candidates.Where(c => c.Origin == CatalogCandidate.User).Select(c => c.Entry.Name).ToHashSet(StringComparer.Ordinal);
        var considered = candidates.Where(c => c.Origin == CatalogCandidate.User || !userNames.Contains(c.Entry.Name)).ToList();
        var judged = considered.Select(c => Judge(c, published, constraints)).ToList();
        var passed = judged.Where(j => j.Axes.All(a => a.Passed))
            .OrderBy(j => j.BindingRoom is null)
            .ThenByDescending(j => j.BindingRoom)
            .ThenBy(j => j.Candidate.Entry.Sizes.InstalledOnDiskBytes)
            .ThenBy(j => j.Candidate.Entry.Name, StringComparer.Ordinal)
            .Select((j, i) => j.ToCandidate(i + 1))
            .ToList();
        var excluded = judged.Where(j => !j.Axes.All(a => a.Passed))
            .OrderBy(j => j.Candidate.Entry.Name, StringComparer.Ordinal)
            .Select(j => j.ToCandidate(null))
            .ToList();
        return new Choice
        {
            Tool = tool,
            Constraints = constraints,
            Rule = RankRule,
            ShippedEntries = considered.Count(c => c.Origin == CatalogCandidate.Shipped),
            UserEntries = considered.Count(c => c.Origin == CatalogCandidate.User),
            Candidates = passed,
            Excluded = excluded,
        };
    }

    private static Judgement Judge(CatalogCandidate candidate, IReadOnlyList<PublishedFigure> published, ChoiceConstraints c)
    {
        var e = candidate.Entry;
        var figures = published.Where(p => string.Equals(p.OsId, e.Identity.OsId, StringComparison.OrdinalIgnoreCase)).ToList();
        PublishedFigure? Published(string kind) => figures.Where(f => f.Figure == kind).OrderByDescending(f => f.Bytes).FirstOrDefault();
        var axes = new List<AxisVerdict>();
        if (c.World is { } world)
        {
            axes.Add(Identity("world", e.Identity.World == world, e.Identity.World == world ? $"a {world} system" : $"a {e.Identity.World} system, not {world}"));
        }

        if (c.Architecture is { } arch)
        {
            var have = Architectures.Normalize(e.Identity.Architecture);
            var ok = have is not null && have == Architectures.Normalize(arch);
            axes.Add(Identity("architecture", ok, ok ? $"runs on {have}" : have is null ? "architecture not known" : $"built for {have}, not {Architectures.Normalize(arch)}"));
        }

        if (c.Libc is { } libc)
        {
            var ok = e.Libc.Name == libc;
            axes.Add(Identity("libc", ok, ok ? $"uses {Libc(e)}" : $"uses {Libc(e)}, not {libc}"));
        }

        if (c.InitAllowed.Count > 0 || c.InitDenied.Count > 0)
        {
            var init = e.Init;
            var ok = init is not null && !c.InitDenied.Contains(init) && (c.InitAllowed.Count == 0 || c.InitAllowed.Contains(init));
            axes.Add(Identity("init", ok, init is null ? "init system not known" : ok ? $"init is {init}" : $"init is {init}"
                + (c.InitDenied.Contains(init) ? $", which is refused" : $", not {string.Join(" or ", c.InitAllowed)}")));
        }

        foreach (var need in c.Needs)
        {
            var package = e.Packages.FirstOrDefault(p => p.Name == need);
            var command = e.Commands.Contains(need, StringComparer.Ordinal);
            axes.Add(Identity("need", package is not null || command,
                package is not null ? $"has {need} (package {need} {package.Version}{(command ? ", and the command" : "")})"
                : command ? $"has {need} (command on PATH)" : $"lacks {need} (no package or command of that name)"));
        }

        if (c.RamBytes is { } ram)
        {
            axes.Add(Ram(e, ram, Published(PublishedFigures.MinimumRam)));
        }

        if (c.DiskBytes is { } disk)
        {
            var firmware = e.Artifact.Kind == "firmware";
            var value = firmware ? e.Sizes.DownloadBytes : e.Sizes.InstalledOnDiskBytes;
            axes.Add(Size("disk", disk, value, firmware ? "the firmware image (written to flash as is)" : "installed on disk", Published(PublishedFigures.Flash)));
        }

        if (c.DownloadBytes is { } download)
        {
            axes.Add(Size("download", download, e.Sizes.DownloadBytes, "download", Published(PublishedFigures.Download)));
        }

        if (c.MaxVulnerabilities is { } maxVulns)
        {
            axes.Add(Budget("vulnerabilities", maxVulns, e.Vulnerabilities?.Total, "vulnerabilities", "catalog add --db"));
        }

        if (c.MaxReachable is { } maxReachable)
        {
            axes.Add(Budget("reachable", maxReachable, e.Vulnerabilities?.Reachable, "reachable vulnerabilities", "catalog add --db with reachability"));
        }

        return new Judgement(candidate, axes, figures);
    }

    private static AxisVerdict Identity(string constraint, bool passed, string text) => new(constraint, passed, "identity", null, null, null, text);

    /// <summary>
    /// RAM: a measured minimum (booted k of k times) decides; without it a measured RAM-resident size above the limit
    /// excludes (the system holds at least that much), and one that fits keeps the system as "RAM not measured (lower
    /// bound X fits)"; only when nothing is measured does a published minimum decide; else the system is kept.
    /// </summary>
    private static AxisVerdict Ram(CatalogEntry e, long limit, PublishedFigure? published)
    {
        if (e.RunningMemory?.MinimumRamBytes is { } minimum)
        {
            var boots = e.RunningMemory.MinimumRamBoots is { } b ? $", booted {b.Booted} of {b.Tried}" : "";
            return Numeric("ram", "measured", limit, minimum, minimum <= limit
                ? $"needs {ByteText.Format(minimum)} RAM (measured{boots}), {ByteText.Format(limit - minimum)} to spare"
                : $"needs {ByteText.Format(minimum)} RAM (measured{boots}), you have {ByteText.Format(limit)}");
        }

        // A RAM-resident size of 0 (a firmware that runs from flash, a layout with nothing to copy) bounds nothing.
        if (e.Sizes.RamResidentBytes is { } resident && resident > 0)
        {
            if (resident > limit)
            {
                return Numeric("ram", "lower-bound", limit, resident,
                    $"holds at least {ByteText.Format(resident)} in RAM (RAM-resident, a lower bound), you have {ByteText.Format(limit)}");
            }

            // Something measured exists, so a published figure does not decide: it is only mentioned.
            var note = published is null ? string.Empty
                : $"; published minimum {ByteText.Format(published.Bytes)}{(published.Bytes > limit ? " would not fit" : " fits")}";
            return new AxisVerdict("ram", true, "lower-bound", limit, resident, limit - resident, $"RAM not measured (lower bound {ByteText.Format(resident)} fits{note})");
        }

        if (published is not null)
        {
            return Numeric("ram", "published", limit, published.Bytes, (published.Bytes <= limit ? "fits" : "fails")
                + $" by published figure: needs {ByteText.Format(published.Bytes)} RAM (published: \"{published.Quote}\"), you have {ByteText.Format(limit)}");
        }

        return new AxisVerdict("ram", true, "not-measured", limit, null, null, "RAM not measured (no lower bound: boot it to measure)");
    }

    /// <summary>A size: the measured figure decides; a published one only when nothing is measured; else kept, not measured.</summary>
    private static AxisVerdict Size(string constraint, long limit, long? value, string what, PublishedFigure? published)
    {
        if (value is { } v)
        {
            return Numeric(constraint, "measured", limit, v, v <= limit
                ? $"{ByteText.Format(v)} {what}, {ByteText.Format(limit - v)} to spare"
                : $"needs {ByteText.Format(v)} {what}, you have {ByteText.Format(limit)}");
        }

        if (published is not null)
        {
            return Numeric(constraint, "published", limit, published.Bytes, (published.Bytes <= limit ? "fits" : "fails")
                + $" by published figure: {ByteText.Format(published.Bytes)} {what} (published: \"{published.Quote}\"), you have {ByteText.Format(limit)}");
        }

        return new AxisVerdict(constraint, true, "not-measured", limit, null, null, $"{what} not measured");
    }

    /// <summary>A budget of findings: only a measured count can pass it.</summary>
    private static AxisVerdict Budget(string constraint, long limit, long? value, string what, string how)
        => value is { } v
            ? Numeric(constraint, "measured", limit, v, v <= limit ? $"{v} {what}, within {limit}" : $"{v} {what}, more than {limit}")
            : new AxisVerdict(constraint, false, "not-measured", limit, null, null, $"{what} not measured ({how}): a budget only a measured count can meet");

    private static AxisVerdict Numeric(string constraint, string basis, long limit, long value, string text)
        => new(constraint, value <= limit, basis, limit, value, limit - value, text);

    private static string Libc(CatalogEntry e) => e.Libc.Version is { } v ? $"{e.Libc.Name} {v}" : e.Libc.Name;

    private sealed record Judgement(CatalogCandidate Candidate, IReadOnlyList<AxisVerdict> Axes, IReadOnlyList<PublishedFigure> Published)
    {
        /// <summary>Room left on the tightest numeric axis, as a fraction of its limit; null when no numeric axis has a figure.</summary>
        public double? BindingRoom => Binding is { Margin: not null, Limit: not null } b ? Room(b) : null;

        public AxisVerdict? Binding
        {
            get
            {
                // A constraint failed without a figure to measure the miss by (an identity, an unmeasured budget) binds first.
                if (Axes.FirstOrDefault(a => !a.Passed && a.Margin is null) is { } failed)
                {
                    return failed;
                }

                var passed = Axes.All(a => a.Passed);
                return Axes.Where(a => a.Margin is not null && a.Limit is not null && (passed || !a.Passed)).OrderBy(Room).FirstOrDefault();
            }
        }

        private static double Room(AxisVerdict a) => a.Limit == 0 ? (a.Margin >= 0 ? 0 : double.MinValue) : (double)a.Margin!.Value / a.Limit!.Value;

        public ChoiceCandidate ToCandidate(int? rank)
        {
            var e = Candidate.Entry;
            var binding = Binding;
            var passed = Axes.All(a => a.Passed);
            var summary = binding is null
                ? passed ? "fits: no constraint bounds it" : "fails"
                : binding.Text.StartsWith("fits", StringComparison.Ordinal) || binding.Text.StartsWith("fails", StringComparison.Ordinal)
                    ? binding.Text
                    : (passed ? "fits: " : "fails: ") + binding.Text;
            return new ChoiceCandidate(rank, e.Name, Candidate.Origin, e.Identity.World, e.Identity.OsName, e.Identity.Architecture, Libc(e), e.Init,
                binding?.Constraint, summary, Axes, Published);
        }
    }
}
