using System.Diagnostics;
using System.Text.Json.Nodes;
using Footprint.Tests.Measures.Running.Container;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Cli;

/// <summary>
/// `footprint boot IMAGE` for container images as a user runs it: the JSON against docs/boot.schema.json, the table,
/// exit codes 0 (measured) and 1 (did not run, with its class), Ctrl-C, and nothing left behind in TMPDIR.
/// </summary>
[Collection(ContainerSandboxCollection.Name)]
public sealed class ContainerBootOptionsTests
{
    [Fact]
    public void Should_write_json_that_validates_for_a_running_entrypoint()
    {
        using var home = new TempDir();
        var layout = BusyboxImage(home, ["/bin/sleep", "300"], null);
        var (code, stdout, stderr) = Boot(home, layout, "--settle", "1", "-f", "json");

        Assert.True(code == 0, stderr + stdout);
        Assert.Empty(Schemas.Errors(Schemas.Boot, stdout));
        var doc = JsonNode.Parse(stdout)!;
        Assert.Null(doc["runningMemory"]);
        var c = doc["container"]!;
        Assert.Equal("running", c["outcome"]!.GetValue<string>());
        Assert.True(c["running"]!.GetValue<bool>());
        Assert.Equal("oci-layout", c["imageKind"]!.GetValue<string>());
        Assert.StartsWith("the entrypoint's host-side memory in its own bubblewrap sandbox (not a VM", c["method"]!.GetValue<string>(), StringComparison.Ordinal);
        var process = Assert.Single(c["processes"]!.AsArray())!;
        Assert.Equal("sleep", process["comm"]!.GetValue<string>());
        Assert.Equal(process["memory"]!["pssKiB"]!.GetValue<long>(), c["total"]!["pssKiB"]!.GetValue<long>());
        Assert.Contains("--unshare-all", c["sandbox"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Contains("container: running /bin/sleep 300 as 0:0, settling 1 s", stderr, StringComparison.Ordinal);
        AssertClean(home);
    }

    [Fact]
    public void Should_exit_1_and_say_why_for_an_image_without_an_entrypoint()
    {
        using var home = new TempDir();
        var layout = BusyboxImage(home, null, null);
        var (code, stdout, stderr) = Boot(home, layout);

        Assert.Equal(1, code);
        Assert.Contains("outcome         no-entrypoint\n", stdout, StringComparison.Ordinal);
        Assert.Contains("reason          the image config has neither Entrypoint nor Cmd", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("error", stderr, StringComparison.Ordinal);
        AssertClean(home);
    }

    [Fact]
    public void Should_exit_1_with_the_status_and_escaped_output_of_an_entrypoint_that_exits()
    {
        using var home = new TempDir();
        var layout = BusyboxImage(home, ["/bin/sh", "-c", "printf 'oops\\033]0;title\\007\\n'; exit 3"], null);
        var (code, stdout, stderr) = Boot(home, layout, "--settle", "2", "-f", "json");

        Assert.Equal(1, code);
        Assert.Empty(Schemas.Errors(Schemas.Boot, stdout));
        var c = JsonNode.Parse(stdout)!["container"]!;
        Assert.Equal("exited", c["outcome"]!.GetValue<string>());
        Assert.Equal(3, c["exitCode"]!.GetValue<int>());
        Assert.Equal("oops", Assert.Single(c["lastOutputLines"]!.AsArray())!.GetValue<string>());
        Assert.DoesNotContain('\u001b', stderr);
        AssertClean(home);

        var (tableCode, table, _) = Boot(home, layout, "--settle", "2");
        Assert.Equal(1, tableCode);
        Assert.Contains("outcome         exited\n", table, StringComparison.Ordinal);
        Assert.Contains("last output lines:\n  oops\n", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_exit_2_with_one_line_and_leave_nothing_for_a_damaged_layer()
    {
        using var home = new TempDir();
        var layout = BusyboxImage(home, ["/bin/sleep", "300"], null);

        // The layer blob cut in half: files were already staged when the gzip stream ends early.
        var blob = Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).MaxBy(f => new FileInfo(f).Length)!;
        using (var f = new FileStream(blob, FileMode.Open))
        {
            f.SetLength(f.Length / 2);
        }

        var (code, stdout, stderr) = Boot(home, layout);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.StartsWith("footprint: error: ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'), l => !l.StartsWith("footprint: boot: ", StringComparison.Ordinal));
        AssertClean(home);
    }

    [Fact]
    public void Should_kill_the_sandbox_and_delete_its_root_on_ctrl_c()
    {
        using var home = new TempDir();
        var layout = BusyboxImage(home, ["/bin/sleep", "300"], null);
        var tmp = Directory.CreateDirectory(home.File("tmp")).FullName;
        // A job a non-interactive shell starts in the background inherits SIGINT ignored (POSIX), and so does every
        // process it starts; the runtime then keeps it ignored, as a background job's should be. The test must not
        // depend on how the suite was started: python3 restores SIGINT's default and execs the CLI (same process id).
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        const string RestoreInterrupt = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])";
        foreach (var a in new[] { "-c", RestoreInterrupt, "dotnet", Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll"), "boot", layout, "--settle", "120" })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["HOME"] = home.Path;
        psi.Environment["TMPDIR"] = tmp;
        psi.Environment["DOTNET_EnableDiagnostics"] = "0";
        using var cli = Process.Start(psi)!;
        var stdout = new System.Text.StringBuilder();
        cli.OutputDataReceived += (_, e) => stdout.Append(e.Data);
        cli.BeginOutputReadLine();
        var stderr = new System.Text.StringBuilder();
        string? line;
        while ((line = cli.StandardError.ReadLine()) is not null)
        {
            stderr.AppendLine(line);
            if (line.Contains("container: running", StringComparison.Ordinal))
            {
                Thread.Sleep(500);
                Tool.Output("kill", "-INT", cli.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            }
        }

        stderr.Append(cli.StandardError.ReadToEnd());
        Assert.True(cli.WaitForExit(30_000));
        Assert.Equal(2, cli.ExitCode);
        Assert.Contains("interrupted; the sandbox was killed and its private root deleted", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal("", stdout.ToString());
        AssertClean(home);
    }

    private static string BusyboxImage(TempDir home, string[]? entrypoint, string[]? cmd)
        => ContainerImages.Layout(home.File("oci-" + Guid.NewGuid().ToString("N")), ContainerImages.Config(entrypoint, cmd), ContainerImages.Tar(home, ContainerImages.BusyboxTree(home, "root-" + Guid.NewGuid().ToString("N"))));

    private static (int Code, string Stdout, string Stderr) Boot(TempDir home, string layout, params string[] args)
    {
        var tmp = Directory.CreateDirectory(home.File("tmp")).FullName;
        return FootprintProcess.Run(home.Path, new Dictionary<string, string> { ["TMPDIR"] = tmp, ["DOTNET_EnableDiagnostics"] = "0" }, ["boot", layout, .. args]);
    }

    /// <summary>TMPDIR holds nothing and no process names it (bwrap's command line holds the private root's path).</summary>
    private static void AssertClean(TempDir home)
    {
        var tmp = home.File("tmp");
        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp));
        Assert.Equal("", Tool.Run("pgrep", "-f", tmp).Stdout.Trim());
    }
}
