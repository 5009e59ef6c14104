using System.CommandLine;
using Footprint.Cli.Rendering;
using Footprint.Reports.Catalog;
using Footprint.Reports.Choices;

namespace Footprint.Cli.Commands;

/// <summary>
/// `footprint choose [--ram SIZE] [--disk|--flash SIZE] [--download SIZE] [--arch A] [--libc L] [--init LIST]
/// [--no-systemd] [--need NAME,...] [--world W] [--max-vulns N] [--max-reachable N] [--no-shipped]`: the catalog's
/// systems that meet every constraint, ranked, and every other one with why (docs/choose.md). Exit 0 when at least one
/// system passes, 1 when none does, 2 for bad input.
/// </summary>
internal static class ChooseCommand
{
    public static Command Create()
    {
        var ram = new Option<string?>("--ram") { Description = "RAM of the machine (64M, 64MiB, 1G, 500MB or bytes)" };
        var disk = new Option<string?>("--disk", "--flash") { Description = "Disk or flash available: installed size on disk, or a firmware image's own size" };
        var download = new Option<string?>("--download") { Description = "Largest download accepted" };
        var arch = new Option<string?>("--arch") { Description = "Architecture (amd64, arm64, 386, arm, mips...; x86_64 and aarch64 accepted)" };
        var libc = new Option<string?>("--libc") { Description = "C library: glibc, musl, uclibc or none" };
        libc.AcceptOnlyFromAmong([.. CatalogEntryBuilder.LibcFamilies]);
        var init = new Option<string[]>("--init")
        {
            Description = "Init systems accepted, comma-separated; '!name' refuses one (--init '!systemd', --init openrc,busybox)",
            AllowMultipleArgumentsPerToken = false,
        };
        var noSystemd = new Option<bool>("--no-systemd") { Description = "Same as --init '!systemd'" };
        var need = new Option<string[]>("--need") { Description = "Packages or commands the system must have, comma-separated (--need python3,curl)" };
        var world = new Option<string?>("--world") { Description = "container, revival or embedded" };
        world.AcceptOnlyFromAmong([.. Worlds.All]);
        var maxVulns = new Option<long?>("--max-vulns") { Description = "At most N known vulnerabilities (entries measured with --db)" };
        var maxReachable = new Option<long?>("--max-reachable") { Description = "At most N vulnerabilities in code an entrypoint loads" };
        var noShipped = new Option<bool>("--no-shipped") { Description = "Only your catalog, not the one shipped with footprint" };
        var format = new Option<string>("--format", "-f") { Description = "table or json (docs/choose.schema.json)", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE instead of standard output" };
        var store = new CatalogStoreOption();
        var command = new Command("choose", "Recommend systems from the catalog for a job: RAM, disk or flash, download, architecture, libc, init, packages, world, CVE budget");
        foreach (var o in new Option[] { ram, disk, download, arch, libc, init, noSystemd, need, world, maxVulns, maxReachable, noShipped, format, output, store.Option })
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            var (allowed, denied) = Inits(parse.GetValue(init) ?? [], parse.GetValue(noSystemd));
            var constraints = new ChoiceConstraints
            {
                RamBytes = parse.GetValue(ram) is { } r ? ByteText.Parse("--ram", r) : null,
                DiskBytes = parse.GetValue(disk) is { } d ? ByteText.Parse("--disk", d) : null,
                DownloadBytes = parse.GetValue(download) is { } w ? ByteText.Parse("--download", w) : null,
                Architecture = parse.GetValue(arch) is { } a ? Architectures.Normalize(a) : null,
                Libc = parse.GetValue(libc),
                InitAllowed = allowed,
                InitDenied = denied,
                Needs = Split(parse.GetValue(need) ?? []),
                World = parse.GetValue(world),
                MaxVulnerabilities = Budget("--max-vulns", parse.GetValue(maxVulns)),
                MaxReachable = Budget("--max-reachable", parse.GetValue(maxReachable)),
            };
            Store.Catalog.CatalogStore? user = null;
            try
            {
                user = store.Open(parse);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not Formats.FootprintFormatException)
            {
                // No usable home for the user's catalog (read-only, no HOME): the shipped catalog still answers.
                Console.Error.WriteLine($"footprint: note: your catalog is unavailable ({TerminalText.Escape(e.Message)}); choosing from the shipped catalog only");
            }

            var candidates = CatalogEntries.Candidates(user, !parse.GetValue(noShipped));
            var choice = Chooser.Choose(candidates, CatalogEntries.Published(), constraints, Program.Tool);
            CompareCommand.Write(parse.GetValue(output), parse.GetValue(format) == "json",
                stream => ChoiceJsonWriter.Write(choice, stream), () => ChooseTable.Render(choice));
            return choice.Candidates.Count > 0 ? 0 : Program.FindingsExitCode;
        });
        return command;
    }

    /// <summary>--init values: names accepted, and '!name' (or --no-systemd) refused.</summary>
    private static (IReadOnlyList<string> Allowed, IReadOnlyList<string> Denied) Inits(string[] values, bool noSystemd)
    {
        var allowed = new List<string>();
        var denied = new List<string>();
        foreach (var item in Split(values))
        {
            var name = item.TrimStart('!');
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                throw new ArgumentException($"--init {item}: an init name (systemd, openrc, runit, sysvinit, busybox, s6, procd, none), '!' in front to refuse it");
            }

            (item.StartsWith('!') ? denied : allowed).Add(name);
        }

        if (noSystemd && !denied.Contains("systemd"))
        {
            denied.Add("systemd");
        }

        return (allowed, denied);
    }

    private static List<string> Split(string[] values)
        => values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToList();

    private static long? Budget(string option, long? value)
        => value is < 0 ? throw new ArgumentException($"{option} {value}: a number of findings, 0 or more") : value;
}
