using System.Diagnostics;
using System.Text.Json.Nodes;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Cli;

/// <summary>
/// `measure --list`: images from the local docker-registry and OCI layouts, one JSON line each, a failing image among
/// good ones, and a run killed mid-way then resumed without redoing its finished lines.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class FleetRunTests(RegistryFixture registry) : IDisposable
{
    private readonly TempDir _home = new();

    public void Dispose() => _home.Dispose();

    private string[] Images =>
    [
        $"{registry.Host}/debian:minbase",
        $"{registry.Host}/debian:two",
        $"docker://{registry.Host}/alpine:3.20",
        $"oci:{Repo.Fixture("debian/oci")}:minbase",
        $"oci:{Repo.Fixture("debian/oci")}:two",
        $"oci:{registry.AlpineLayout}",
    ];

    [Fact]
    public void Should_write_one_line_per_image_with_the_numbers_a_single_measure_gives()
    {
        var list = _home.File("images.list");
        File.WriteAllText(list, "# fleet\n\n" + string.Join("\n", Images.Select(i => "  " + i)) + "\n");
        var output = _home.File("out.jsonl");
        var (code, _, stderr) = FootprintProcess.Run(_home.Path, null, "measure", "--list", list, "--jobs", "3", "-o", output);
        Assert.True(code == 0, stderr);
        var lines = File.ReadAllLines(output);
        Assert.Equal(Images.Length, lines.Length);
        var byInput = lines.Select(l => JsonNode.Parse(l)!).ToDictionary(n => (string)n["input"]!);
        Assert.Equal(Images.Order(StringComparer.Ordinal), byInput.Keys.Order(StringComparer.Ordinal));
        foreach (var image in Images)
        {
            var (one, single, err) = FootprintProcess.Run(_home.Path, null, "measure", "-f", "json", "--no-cache", image);
            Assert.True(one == 0, err);
            var expected = JsonNode.Parse(single)!["artifacts"]![0]!;
            var line = byInput[image];
            Assert.Null(line["error"]);
            foreach (var field in new[] { "kind", "manifestDigest", "download", "installed", "identity" })
            {
                Assert.Equal(expected[field]!.ToJsonString(), line[field]!.ToJsonString());
            }
        }
    }

    [Fact]
    public void Should_give_an_error_line_for_a_bad_image_and_go_on_with_the_others()
    {
        var bad = _home.File("not-an-image.bin");
        File.WriteAllBytes(bad, [0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0]);
        var inputs = new[] { Images[0], $"{registry.Host}/debian:no-such-tag", bad, Images[3] };
        var (code, stdout, stderr) = FootprintProcess.Run(_home.Path, null, ["measure", "-f", "jsonl", "-j", "2", .. inputs]);
        Assert.Equal(2, code);
        Assert.Contains("2 inputs failed", stderr, StringComparison.Ordinal);
        var byInput = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToDictionary(n => (string)n["input"]!);
        Assert.Equal(inputs.Order(StringComparer.Ordinal), byInput.Keys.Order(StringComparer.Ordinal));
        Assert.Null(byInput[Images[0]]!["error"]);
        Assert.Null(byInput[Images[3]]!["error"]);
        Assert.True((long)byInput[Images[3]]!["installed"]!["apparentBytes"]! > 0);
        var missing = byInput[inputs[1]]!["error"]!;
        Assert.Equal("registry", (string)missing["exitClass"]!);
        Assert.Equal(2, (int)missing["exitCode"]!);
        Assert.Contains("no-such-tag", (string)missing["message"]!, StringComparison.Ordinal);
        Assert.Equal(["exitClass", "exitCode", "message"], missing.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.NotNull(byInput[bad]!["error"]!["message"]);
    }

    [Fact]
    public void Should_resume_a_killed_run_without_redoing_its_finished_lines()
    {
        var list = _home.File("images.list");
        File.WriteAllLines(list, Images);
        var output = _home.File("out.jsonl");
        var args = new[] { "measure", "--list", list, "--jobs", "1", "--no-cache", "-o", output };
        using (var run = Start(args))
        {
            var deadline = Stopwatch.StartNew();
            while (Lines(output) < 2 && deadline.Elapsed < TimeSpan.FromMinutes(2) && !run.HasExited)
            {
                Thread.Sleep(20);
            }

            Assert.False(run.HasExited, "the run ended before it could be killed");
            run.Kill(entireProcessTree: true);
            run.WaitForExit();
        }

        // A torn last line, as a kill in the middle of a write leaves it.
        var before = File.ReadAllText(output);
        var finished = before.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.InRange(finished, 2, Images.Length - 1);
        File.AppendAllText(output, "{\"input\":\"" + Images[^1] + "\",\"kind\":\"oci-la");

        var (code, _, stderr) = FootprintProcess.Run(_home.Path, null, [.. args, "--resume"]);
        Assert.True(code == 0, stderr);
        Assert.Contains($"{finished} inputs already in", stderr, StringComparison.Ordinal);
        var after = File.ReadAllText(output);
        Assert.StartsWith(before, after, StringComparison.Ordinal);
        var inputs = after.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (string)JsonNode.Parse(l)!["input"]!).ToList();
        Assert.Equal(Images.Order(StringComparer.Ordinal), inputs.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Should_split_list_lines_as_ReadLine_does_and_skip_blanks_and_comments()
    {
        var list = _home.File("mixed.list");
        File.WriteAllText(list, "a\r\nb\rc\n\n  # note\n\t d \r\n#e\nf");
        Assert.Equal(["a", "b", "c", "d", "f"], Footprint.Cli.Commands.FleetRun.ReadList(list));
    }

    [Fact]
    public void Should_refuse_a_list_line_over_the_limit_naming_it()
    {
        // The length is checked as the line is read (ReadLine buffered a whole line first: a huge file without newlines, all of it).
        var list = _home.File("long.list");
        File.WriteAllText(list, "ok\n" + new string('x', Footprint.Cli.Commands.FleetRun.MaxListLineChars + 1) + "\n");
        var e = Assert.Throws<FormatException>(() => Footprint.Cli.Commands.FleetRun.ReadList(list));
        Assert.Equal($"{list}: line 2 is longer than {Footprint.Cli.Commands.FleetRun.MaxListLineChars} characters; a list holds one path or reference per line", e.Message);
        File.WriteAllText(list, new string('y', Footprint.Cli.Commands.FleetRun.MaxListLineChars));
        Assert.Equal([new string('y', Footprint.Cli.Commands.FleetRun.MaxListLineChars)], Footprint.Cli.Commands.FleetRun.ReadList(list));
    }

    [Fact]
    public void Should_refuse_resume_without_an_output_file()
    {
        var (code, _, stderr) = FootprintProcess.Run(_home.Path, null, "measure", "-f", "jsonl", "--resume", Images[3]);
        Assert.Equal(2, code);
        Assert.Contains("--resume", stderr, StringComparison.Ordinal);
    }

    private static int Lines(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var count = 0;
            int b;
            while ((b = stream.ReadByte()) >= 0)
            {
                count += b == '\n' ? 1 : 0;
            }

            return count;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }

    private Process Start(string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["HOME"] = _home.Path;
        psi.Environment["XDG_CACHE_HOME"] = Path.Combine(_home.Path, ".cache");
        var process = Process.Start(psi)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
