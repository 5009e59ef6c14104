using System.Globalization;
using Footprint.Reports;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Footprint.Cli.Rendering;

/// <summary>The attack surface for the terminal (every item with its evidence); produces renderables only.</summary>
internal static class SurfaceTable
{
    public static IRenderable Render(Report report)
        => new Rows(report.Artifacts.Select(RenderArtifact));

    /// <summary>The one line `footprint measure` shows: score, shells, SUID count, hardening coverage.</summary>
    public static string Summary(SurfaceReport s)
    {
        var sh = s.Shells.FirstOrDefault(x => x.Name == "sh");
        var shells = s.Shells.Count == 0 ? "no shell" : $"shells: {string.Join(' ', s.Shells.Select(x => x.Name).Distinct(StringComparer.Ordinal))}"
            + (sh is not null && sh.Why.StartsWith("sh is BusyBox ash", StringComparison.Ordinal) ? " (sh is BusyBox ash)" : string.Empty);
        var suid = s.SetIdFiles.Count(f => f.SetUid);
        string Cover(string flag) => s.Hardening.Coverage.FirstOrDefault(c => c.Flag == flag) is { } c ? c.Percent.ToString("0.#", CultureInfo.InvariantCulture) + "%" : "?";
        var elf = s.Hardening.Coverage.FirstOrDefault(c => c.Flag == "nx")?.Applicable ?? 0;
        return $"{shells}; {suid} SUID; hardening of {elf} ELF files: PIE {Cover("pie")}, full RELRO {Cover("relro-full")}, NX {Cover("nx")}, canary {Cover("canary")}";
    }

    private static IRenderable RenderArtifact(ArtifactReport a)
    {
        if (a.Surface is not { } s)
        {
            return new Markup($"[bold]{Markup.Escape(a.Input)}[/]: no surface report\n");
        }

        var parts = new List<IRenderable>();
        var score = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(a.Input)}[/] surface score [bold]{s.Score.Total}[/] (lower is smaller)")
            .AddColumn("Class").AddColumn(new TableColumn("Count").RightAligned()).AddColumn(new TableColumn("Weight").RightAligned()).AddColumn(new TableColumn("Points").RightAligned());
        foreach (var c in s.Score.Classes)
        {
            score.AddRow(c.Class, Num(c.Count), Num(c.Weight), Num(c.Points));
        }

        score.Caption(Markup.Escape($"init: {s.Init.System}; CA bundle: {s.CaCertificates?.Path ?? "none"}"
            + (s.Image is { } img ? $"; user: {(string.IsNullOrEmpty(img.User) ? "(root by default)" : img.User)}; exposed: {(img.ExposedPorts.Count == 0 ? "none" : string.Join(' ', img.ExposedPorts))}" : string.Empty)));
        parts.Add(score);

        var items = new Table().Border(TableBorder.Simple).Title("Items").AddColumn("Class").AddColumn("Name").AddColumn("Path").AddColumn("Layer").AddColumn("Why");
        void Add(string cls, IEnumerable<SurfaceItem> list)
        {
            foreach (var i in list)
            {
                items.AddRow(cls, Markup.Escape(i.Name), Markup.Escape(i.Path), Layer(i.Layer), Markup.Escape(i.Why));
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
            items.AddRow(f.SetUid ? "setuid" : "setgid", Markup.Escape(Path.GetFileName(f.Path)), Markup.Escape(f.Path), Layer(f.Layer), $"mode {f.Mode}, owner {f.Uid}:{f.Gid}");
        }

        foreach (var c in s.Capabilities)
        {
            items.AddRow("capabilities", Markup.Escape(Path.GetFileName(c.Path)), Markup.Escape(c.Path), Layer(c.Layer), Markup.Escape(c.Text));
        }

        foreach (var d in s.Daemons)
        {
            items.AddRow("daemon", Markup.Escape(d.Name), Markup.Escape(d.Path), Layer(d.Layer),
                Markup.Escape($"ports {(d.Ports.Count == 0 ? "-" : string.Join(',', d.Ports))} ({d.PortSource}); {d.Why}"));
        }

        parts.Add(items);

        var users = new Table().Border(TableBorder.Simple).Title($"Accounts ({s.Accounts.Users.Count} users, {s.Accounts.Groups} groups)")
            .AddColumn("User").AddColumn(new TableColumn("Uid").RightAligned()).AddColumn("Shell").AddColumn("Password");
        foreach (var u in s.Accounts.Users)
        {
            users.AddRow(Markup.Escape(u.Name), Num(u.Uid), Markup.Escape(u.Shell) + (u.LoginShell ? " [yellow](login)[/]" : string.Empty), Markup.Escape(u.Password));
        }

        parts.Add(users);

        var coverage = new Table().Border(TableBorder.Simple).Title("ELF hardening coverage").AddColumn("Flag")
            .AddColumn(new TableColumn("Files").RightAligned()).AddColumn(new TableColumn("Yes").RightAligned()).AddColumn(new TableColumn("%").RightAligned());
        foreach (var c in s.Hardening.Coverage)
        {
            coverage.AddRow(c.Flag, Num(c.Applicable), Num(c.Yes), c.Percent.ToString("0.0", CultureInfo.InvariantCulture));
        }

        parts.Add(coverage);
        var files = new Table().Border(TableBorder.Simple).Title("ELF files").AddColumn("Path").AddColumn("Kind").AddColumn("PIE").AddColumn("RELRO")
            .AddColumn("NX").AddColumn("Canary").AddColumn("Fortify").AddColumn("RPATH/RUNPATH").AddColumn("Symbols");
        foreach (var f in s.Hardening.Files)
        {
            files.AddRow(Markup.Escape(f.Path), f.Kind, f.Pie, f.Relro, f.Nx, f.Canary, f.Fortify, Markup.Escape(f.Rpath ?? f.Runpath ?? "-"), f.Symbols ? "yes" : "no");
        }

        parts.Add(files);
        return new Rows(parts);
    }

    private static string Num(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Layer(int? layer) => layer?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
