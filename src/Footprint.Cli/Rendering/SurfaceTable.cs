using System.Globalization;
using Footprint.Analyzers.Surface;
using Footprint.Analyzers.Vulnerabilities;
using Footprint.Reports;
using Spectre.Console.Rendering;
using Spectre.Console;

namespace Footprint.Cli.Rendering;

/// <summary>The attack surface for the terminal: a summary by default, every item with its evidence with --details; produces renderables only.</summary>
internal static class SurfaceTable
{
    /// <summary>How many names the summary shows per item class before "... (N more names)".</summary>
    private const int SummaryNames = 8;

    /// <summary>Default view: the score, one line per item class (count and the first names), accounts, hardening coverage.</summary>
    public static IRenderable Render(Report report) => Render(report, details: false);

    /// <summary>With <paramref name="details"/>, every item, every account and every ELF file with its evidence.</summary>
    public static IRenderable Render(Report report, bool details)
        => new Rows(report.Artifacts.Select(a => RenderArtifact(a, details)));

    /// <summary>The one line `footprint measure` shows: score, shells, SUID count, hardening coverage.</summary>
    public static string Summary(SurfaceReport s)
    {
        var sh = s.Shells.FirstOrDefault(x => x.Name == "sh");
        var shells = s.Shells.Count == 0 ? "no shell" : $"shells: {string.Join(' ', s.Shells.Select(x => x.Name).Distinct(StringComparer.Ordinal))}"
            + (sh is not null && sh.Why.StartsWith("sh is BusyBox ash", StringComparison.Ordinal) ? " (sh is BusyBox ash)" : string.Empty);
        var suid = s.SetIdFiles.Count(f => f.SetUid);
        string Cover(string flag) => s.Hardening.Coverage.FirstOrDefault(c => c.Flag == flag) is { } c ? c.Percent.ToString("0.#", CultureInfo.InvariantCulture) + "%" : "?";
        var elf = s.Hardening.Coverage.FirstOrDefault(c => c.Flag == "nx")?.Applicable ?? 0;
        return $"{shells}; {suid} SUID; hardening of {Plural.Of(elf, "ELF file")}: PIE {Cover("pie")}, full RELRO {Cover("relro-full")}, NX {Cover("nx")}, canary {Cover("canary")}";
    }

    private static IRenderable RenderArtifact(ArtifactReport a, bool details)
    {
        if (a.Surface is not { } s)
        {
            return new Markup($"[bold]{TerminalText.Cell(a.Input)}[/]: no surface report\n");
        }

        var parts = new List<IRenderable>();
        // Heading and context as lines of their own: a table wraps its title and caption to the table's width, which
        // split a long input path or entrypoint over several lines.
        parts.Add(new Markup($"[bold]{TerminalText.Cell(a.Input)}[/] surface score [bold]{s.Score.Total}[/] (lower is smaller)\n"));
        var score = new Table().Border(TableBorder.Rounded)
            .AddColumn("Class").AddColumn(new TableColumn("Count").RightAligned()).AddColumn(new TableColumn("Weight").RightAligned()).AddColumn(new TableColumn("Points").RightAligned());
        foreach (var c in s.Score.Classes)
        {
            score.AddRow(TerminalText.Cell(c.Class), Num(c.Count), Num(c.Weight), Num(c.Points));
        }

        var context = new Markup(TerminalText.Cell($"init: {s.Init.System}; CA bundle: {s.CaCertificates?.Path ?? "none"}"
            + (s.Image is { } img ? $"; user: {(string.IsNullOrEmpty(img.User) ? "(root by default)" : img.User)}; exposed: {(img.ExposedPorts.Count == 0 ? "none" : string.Join(' ', img.ExposedPorts))}"
                + (img.Entrypoint is { Count: > 0 } ep ? $"; entrypoint: {string.Join(' ', ep)}" : string.Empty) : string.Empty)) + "\n");
        parts.Add(score);
        parts.Add(context);
        if (a.Vulnerabilities is { } v)
        {
            parts.Add(new Markup(TerminalText.Cell(VulnerabilityLine(v)) + "\n"));
        }
        if (!details)
        {
            parts.Add(ItemSummary(s));
            parts.Add(Coverage(s));
            parts.Add(new Markup("[grey]Every item, account and ELF file with its evidence: --details[/]\n"));
            return new Rows(parts);
        }

        var items = new Table().Border(TableBorder.Simple).Title("Items").AddColumn("Class").AddColumn("Name").AddColumn("Path").AddColumn("Layer").AddColumn("Why");
        void Add(string cls, IEnumerable<SurfaceItem> list)
        {
            foreach (var i in list)
            {
                items.AddRow(cls, TerminalText.Cell(i.Name), TerminalText.Cell(i.Path), Layer(i.Layer), TerminalText.Cell(i.Why));
            }
        }

        Add("shell", s.Shells);
        Add("package manager", s.PackageManagers);
        Add("interpreter", s.Interpreters);
        Add("world-writable", s.WorldWritable);
        Add("account", s.Accounts.Findings);
        Add("service", s.Init.Services);
        foreach (var f in s.SetIdFiles)
        {
            items.AddRow(f.SetUid ? "setuid" : "setgid", TerminalText.Cell(Path.GetFileName(f.Path)), TerminalText.Cell(f.Path), Layer(f.Layer), TerminalText.Cell($"mode {f.Mode}, owner {f.Uid}:{f.Gid}"));
        }

        foreach (var c in s.Capabilities)
        {
            items.AddRow("capabilities", TerminalText.Cell(Path.GetFileName(c.Path)), TerminalText.Cell(c.Path), Layer(c.Layer), TerminalText.Cell(c.Text));
        }

        foreach (var d in s.Daemons)
        {
            items.AddRow("daemon", TerminalText.Cell(d.Name), TerminalText.Cell(d.Path), Layer(d.Layer),
                TerminalText.Cell($"ports {(d.Ports.Count == 0 ? "-" : string.Join(',', d.Ports))} ({d.PortSource}); {d.Why}"));
        }

        parts.Add(items);

        var users = new Table().Border(TableBorder.Simple).Title(AccountsTitle(s))
            .AddColumn("User").AddColumn(new TableColumn("Uid").RightAligned()).AddColumn("Shell").AddColumn("Password");
        foreach (var u in s.Accounts.Users)
        {
            users.AddRow(TerminalText.Cell(u.Name), Num(u.Uid), TerminalText.Cell(u.Shell) + (u.LoginShell ? " [yellow](login)[/]" : string.Empty), TerminalText.Cell(u.Password));
        }

        parts.Add(users);

        parts.Add(Coverage(s));
        var files = new Table().Border(TableBorder.Simple).Title("ELF files").AddColumn("Path").AddColumn("Kind").AddColumn("PIE").AddColumn("RELRO")
            .AddColumn("NX").AddColumn("Canary").AddColumn("Fortify").AddColumn("RPATH/RUNPATH").AddColumn("Symbols");
        foreach (var f in s.Hardening.Files)
        {
            files.AddRow(TerminalText.Cell(f.Path), TerminalText.Cell(f.Kind), TerminalText.Cell(f.Pie), TerminalText.Cell(f.Relro), TerminalText.Cell(f.Nx), TerminalText.Cell(f.Canary), TerminalText.Cell(f.Fortify), TerminalText.Cell(f.Rpath ?? f.Runpath ?? "-"), f.Symbols ? "yes" : "no");
        }

        parts.Add(files);
        return new Rows(parts);
    }

    /// <summary>
    /// The known vulnerabilities in one line (surface --db): counts by severity and by reachability class, and the
    /// packages whose findings an entrypoint loads, named (at most <see cref="SummaryNames"/>); the findings
    /// themselves are `footprint vulns`'s.
    /// </summary>
    public static string VulnerabilityLine(VulnerabilityReport v)
    {
        if (!v.Covered)
        {
            return $"vulnerabilities: not covered ({v.NotCoveredReason}): nothing is known, which is not the same as none";
        }

        static string Counts(IEnumerable<KeyValuePair<string, int>> counts) => string.Join(", ", counts.Select(kv => $"{kv.Value} {kv.Key}"));
        var line = $"vulnerabilities: {Plural.Of(v.Findings.Count, "finding")}";
        if (v.Findings.Count == 0)
        {
            return line;
        }

        line += $" ({Counts(v.BySeverity.OrderByDescending(kv => Reports.Sarif.SarifWriter.Rank(kv.Key)))})";
        if (v.ByReachability is { } reach)
        {
            line += $"; reachability: {Counts(reach.OrderBy(kv => VulnerabilityAnalyzer.ReachRank(kv.Key)))}";
            var loaded = v.Findings.Where(f => f.Reachability == "loaded").Select(f => f.Package).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (loaded.Count > 0)
            {
                line += $"; loaded: {string.Join(", ", loaded.Take(SummaryNames))}" + (loaded.Count > SummaryNames ? $", ... ({Plural.Of(loaded.Count - SummaryNames, "more package")})" : string.Empty);
            }
        }

        return line;
    }

    /// <summary>One row per item class: how many, and the first distinct names (escaped), so a large image stays one screen.</summary>
    private static Table ItemSummary(SurfaceReport s)
    {
        var table = new Table().Border(TableBorder.Simple).Title("Items").AddColumn("Class").AddColumn(new TableColumn("Count").RightAligned()).AddColumn("Names");
        void Add(string cls, IReadOnlyCollection<string> names)
        {
            if (names.Count == 0)
            {
                return;
            }

            var distinct = names.Distinct(StringComparer.Ordinal).ToList();
            var shown = string.Join(", ", distinct.Take(SummaryNames)) + (distinct.Count > SummaryNames ? $", ... ({Plural.Of(distinct.Count - SummaryNames, "more name")})" : string.Empty);
            table.AddRow(cls, Num(names.Count), TerminalText.Cell(shown));
        }

        Add("shell", [.. s.Shells.Select(i => i.Name)]);
        Add("package manager", [.. s.PackageManagers.Select(i => i.Name)]);
        Add("interpreter", [.. s.Interpreters.Select(i => i.Name)]);
        Add("world-writable", [.. s.WorldWritable.Select(i => i.Path)]);
        Add("account", [.. s.Accounts.Findings.Select(i => i.Name)]);
        Add("service", [.. s.Init.Services.Select(i => i.Name)]);
        Add("setuid", [.. s.SetIdFiles.Where(f => f.SetUid).Select(f => f.Path)]);
        Add("setgid", [.. s.SetIdFiles.Where(f => !f.SetUid).Select(f => f.Path)]);
        Add("capabilities", [.. s.Capabilities.Select(c => $"{c.Path} {c.Text}")]);
        Add("daemon", [.. s.Daemons.Select(d => d.Ports.Count == 0 ? d.Name : $"{d.Name} ({string.Join(',', d.Ports)})")]);
        var logins = s.Accounts.Users.Where(u => u.LoginShell).Select(u => u.Name).ToList();
        table.AddRow("users", Num(s.Accounts.Users.Count), TerminalText.Cell($"{Plural.Of(s.Accounts.Groups, "group")}; "
            + (logins.Count == 0 ? "none with a login shell" : $"login shell: {string.Join(", ", logins.Take(SummaryNames))}{(logins.Count > SummaryNames ? ", ..." : string.Empty)}")));
        return table;
    }

    private static Table Coverage(SurfaceReport s)
    {
        var coverage = new Table().Border(TableBorder.Simple).Title("ELF hardening coverage").AddColumn("Flag")
            .AddColumn(new TableColumn("Files").RightAligned()).AddColumn(new TableColumn("Yes").RightAligned()).AddColumn(new TableColumn("%").RightAligned());
        foreach (var c in s.Hardening.Coverage)
        {
            coverage.AddRow(TerminalText.Cell(c.Flag), Num(c.Applicable), Num(c.Yes), c.Percent.ToString("0.0", CultureInfo.InvariantCulture));
        }

        return coverage;
    }

    private static string AccountsTitle(SurfaceReport s)
        => $"Accounts ({Plural.Of(s.Accounts.Users.Count, "user")}, {Plural.Of(s.Accounts.Groups, "group")})";

    private static string Num(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Layer(int? layer) => layer?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
