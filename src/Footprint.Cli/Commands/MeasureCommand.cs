using System.CommandLine;
using Footprint.Cli.Rendering;
using Footprint.Formats.Compression;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Reports.Json;
using Footprint.Sources;
using Spectre.Console;

namespace Footprint.Cli.Commands;

/// <summary>`footprint measure [ARTIFACT...]`: download and installed footprint, with evidence.</summary>
internal static class MeasureCommand
{
    public static Command Create()
    {
        var artifacts = new Argument<string[]>("artifact")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = "What to measure, detected by content: a docker-archive tar (docker/podman save), an OCI layout (directory) or OCI archive (tar), " +
                "a rootfs tarball (plain, gzip, xz, zstd, bzip2), a directory, an ISO 9660 live image, a squashfs image (.sfs .tcz .sb .xzm), " +
                "an initramfs (cpio, concatenated segments), a FAT floppy or EFI image, router firmware (uImage, TRX, TP-Link, OpenWrt sysupgrade). " +
                "Prefixes docker-archive:, oci:, oci-archive:, dir: force the kind; PATH:TAG picks one image of a layout. " +
                "An image reference that is no existing path (alpine:3.20, registry.example:5000/team/app@sha256:..., docker://REF) is read from its registry. None: this machine (/).",
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "table, json, or jsonl (one JSON line per artifact, written as each completes; what --list writes)",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "json", "jsonl");
        var list = new Option<string?>("--list") { Description = "Measure every path or reference in FILE (one per line, '#' comments; - for standard input), writing JSON lines" };
        var jobs = new Option<int>("--jobs", "-j") { Description = "With --list or -f jsonl: how many artifacts to measure at once", DefaultValueFactory = _ => 2 };
        jobs.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 64)
            {
                r.AddError("--jobs takes 1 to 64");
            }
        });
        var resume = new Option<bool>("--resume") { Description = "With --list and -o FILE: skip the inputs FILE already has a line for (a torn last line is redone)" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to FILE instead of standard output" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress display" };
        var platform = new Option<string?>("--platform") { Description = "os/arch[/variant] to pick from a multi-platform index (default: this machine's)" };
        var have = new Option<string?>("--have") { Description = "An image whose layers are already cached: report the bytes still to pull" };
        var downloadOnly = new Option<bool>("--download-only")
        {
            Description = "For a registry reference: the download size from the manifest and config alone, without fetching any layer",
        };
        var registry = new RegistryCliOptions();
        var baseImage = new Option<string?>("--base") { Description = "The image this one extends: split packages and bytes into base and added" };
        var breakdown = new Option<bool>("--breakdown") { Description = "Add the installed bytes by directory and by package (what `report` draws; docs/report-html.md)" };
        var top = new Option<int>("--top") { Description = "How many largest files to list", DefaultValueFactory = _ => 10 };
        var maxRatio = new Option<double>("--max-ratio") { Description = "Decompression bomb guard: largest output/input ratio allowed", DefaultValueFactory = _ => DecompressionLimits.Default.MaxRatio };
        var noPush = new Option<bool>("--no-push-size") { Description = "Do not gzip uncompressed layers to find their push size" };
        var exactPush = new Option<bool>("--exact-push-size")
        {
            Description = "Gzip all of every uncompressed layer (on all cores) for its push size; by default a layer over 16 MiB is estimated from samples, with an error bound",
        };
        var noVerify = new Option<bool>("--no-verify") { Description = "Do not check image layers against their digests and sizes (the report then says they were not verified)" };
        var boot = new BootOptions("Also boot the artifact in QEMU and add its running memory (idle memory, time to prompt; docs/boot.md)");
        var analyzers = new AnalyzerOptions();
        var cache = new CacheOptions();
        var db = new DbPathOption();
        db.Option.Description = "Match the packages against this advisory database and add a vulnerabilities section (docs/vulnerabilities.md)";
        var command = new Command("measure", "Measure download size and installed footprint of a Linux artifact");
        command.Arguments.Add(artifacts);
        ArtifactArgument.RejectOptions(artifacts, command);
        foreach (var o in new Option[] { format, list, jobs, resume, output, quiet, platform, have, downloadOnly, baseImage, breakdown, top, maxRatio, noPush, exactPush, noVerify, db.Option }.Concat(boot.Options).Concat(registry.Options).Concat(analyzers.All).Concat(cache.Options))
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            var fleet = parse.GetValue(list) is not null || parse.GetValue(format) == "jsonl";
            if (parse.GetValue(resume) && (!fleet || parse.GetValue(output) is null))
            {
                throw new ArgumentException("--resume continues a --list (or -f jsonl) run written to -o FILE");
            }

            var given = parse.GetValue(artifacts) ?? [];
            var inputs = parse.GetValue(list) is { } listFile ? [.. FleetRun.ReadList(listFile), .. given]
                : given.Length > 0 ? given : [ArtifactOpener.HostName];
            Platform? wanted = parse.GetValue(platform) is { } p ? Platform.Parse(p) : null;
            var showProgress = !parse.GetValue(quiet) && !Console.IsErrorRedirected;
            if (parse.GetValue(downloadOnly))
            {
                var downloads = DownloadOnly.MeasureAll(inputs, new MeasureOptions
                {
                    Platform = wanted,
                    Have = parse.GetValue(have),
                    Registry = registry.Read(parse),
                });
                DownloadOnly.Write(downloads, parse.GetValue(format)!, parse.GetValue(output));
                return 0;
            }

            using var layerCache = parse.GetValue(noVerify) ? null : cache.Open(parse);
            var options = new MeasureOptions
            {
                LayerCache = layerCache,
                Platform = wanted,
                Have = parse.GetValue(have),
                Base = parse.GetValue(baseImage),
                LargestFiles = parse.GetValue(top),
                Breakdown = parse.GetValue(breakdown),
                Limits = DecompressionLimits.Default with { MaxRatio = parse.GetValue(maxRatio) },
                MeasurePushSize = !parse.GetValue(noPush),
                ExactPushSize = parse.GetValue(exactPush),
                Verify = !parse.GetValue(noVerify),
                Analyzers = analyzers.Read(parse),
                AdvisoryDatabase = db.Given(parse),
                OnTiming = Environment.GetEnvironmentVariable("FOOTPRINT_TIMINGS") == "1" ? Timing : null,
                Registry = registry.Read(parse),
            };
            if (fleet)
            {
                return MeasureFleet(inputs, options, parse.GetValue(jobs), parse.GetValue(output), parse.GetValue(resume));
            }

            var reports = new List<ArtifactReport>();
            if (inputs.Length == 1 && parse.GetValue(format) == "json" && !boot.Given(parse))
            {
                // One image as JSON: a whole-report cache hit is written as stored, byte for byte what a miss writes.
                var outcome = showProgress ? WithProgress(inputs[0], options, ReportCache.MeasureOrStoredJson) : ReportCache.MeasureOrStoredJson(inputs[0], options);
                if (outcome.Json is { } stored)
                {
                    WriteJson(stored, parse.GetValue(output));
                    return 0;
                }

                reports.Add(outcome.Report!);
            }
            else
            {
                foreach (var input in inputs)
                {
                    reports.Add(showProgress ? WithProgress(input, options, ReportCache.Measure) : ReportCache.Measure(input, options));
                }
            }

            reports = boot.Apply(parse, inputs, reports, new Measures.Running.RunningOptions { Repeats = 1 });

            var report = new Report { Tool = Program.Tool, Artifacts = reports };
            var written = System.Diagnostics.Stopwatch.GetTimestamp();
            Write(report, parse.GetValue(format)!, parse.GetValue(output));
            options.OnTiming?.Invoke("write the report", System.Diagnostics.Stopwatch.GetElapsedTime(written));
            if (options.OnTiming is { } timing && layerCache is not null)
            {
                // What the process waits for before it can exit: the stores still queued (the whole report's).
                var flushed = System.Diagnostics.Stopwatch.GetTimestamp();
                layerCache.Flush();
                timing("wait for the report store", System.Diagnostics.Stopwatch.GetElapsedTime(flushed));
            }

            return 0;
        });
        return command;
    }

    /// <summary>The JSON lines of a --list run (docs/fleet.md); exit code 2 when any input failed, its line says why.</summary>
    private static int MeasureFleet(IReadOnlyList<string> inputs, MeasureOptions options, int jobs, string? outputPath, bool resume)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        using var output = outputPath is null ? Console.OpenStandardOutput()
            : resume ? FleetRun.OpenForResume(outputPath, done)
            // Readable while written: a fleet run's lines are meant to be followed (tail -f) as they come.
            : new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.Read);
        if (done.Count > 0)
        {
            Console.Error.WriteLine($"footprint: resuming: {Plural.Of(inputs.Count(done.Contains), "input")} already in {TerminalText.Escape(outputPath!)}");
        }

        var failed = new FleetRun(input => ReportCache.Measure(input, options)).Run(inputs, jobs, output, done);
        if (failed > 0)
        {
            Console.Error.WriteLine($"footprint: {Plural.Of(failed, "input")} failed; see the error objects in the output");
            return Program.ErrorExitCode;
        }

        return 0;
    }

    /// <summary>`FOOTPRINT_TIMINGS=1`: each stage's wall time on standard error (performance work; bench/README.md).</summary>
    internal static void Timing(string stage, TimeSpan elapsed)
    {
        lock (Console.Error)
        {
            Console.Error.WriteLine($"footprint: timing: {stage,-32} {elapsed.TotalMilliseconds,9:F1} ms");
        }
    }

    internal static ArtifactReport WithProgress(string input, MeasureOptions options, Func<string, MeasureOptions, ArtifactReport>? measure = null)
        => WithProgress<ArtifactReport>(input, options, measure ?? ((i, o) => ReportAssembler.Measure(i, o)));

    internal static T WithProgress<T>(string input, MeasureOptions options, Func<string, MeasureOptions, T> measure)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T? result = default;
        console.Progress().AutoClear(true).HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new SpinnerColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(TerminalText.Cell(input), maxValue: 1);
                task.IsIndeterminate = true;
                var blobs = new BlobProgressTasks(ctx);
                var progress = new Progress<LoadProgress>(p =>
                {
                    task.IsIndeterminate = false;
                    task.MaxValue = p.LayerCount;
                    task.Description = TerminalText.Cell($"{input}: layer {p.LayerIndex + 1}/{p.LayerCount}, {Plural.Of(p.EntriesRead, "entry", "entries")}");
                });
                result = measure(input, options with
                {
                    Progress = progress,
                    Registry = options.Registry with { Progress = new Progress<Sources.Registry.BlobProgress>(blobs.Report) },
                });
                task.Value = task.MaxValue;
            });
        return result!;
    }

    internal static void Write(Report report, string format, string? outputPath, Func<Report, Spectre.Console.Rendering.IRenderable>? table = null)
    {
        if (format == "json")
        {
            using var stream = OpenOutput(outputPath);
            JsonReportWriter.Write(report, stream);
            stream.Write("\n"u8);
            return;
        }

        if (outputPath is null)
        {
            OutputConsole.Stdout().Write((table ?? MeasureTable.Render)(report));
            return;
        }

        using var writer = new StreamWriter(outputPath);
        OutputConsole.Plain(writer).Write((table ?? MeasureTable.Render)(report));
    }

    /// <summary>A JSON report document already rendered (a whole-report cache hit), written as <see cref="Write"/> writes one.</summary>
    private static void WriteJson(byte[] json, string? outputPath)
    {
        using var stream = OpenOutput(outputPath);
        stream.Write(json);
        stream.Write("\n"u8);
    }

    private static Stream OpenOutput(string? outputPath) => outputPath is null ? Console.OpenStandardOutput() : File.Create(outputPath);
}
