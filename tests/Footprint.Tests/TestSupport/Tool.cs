using System.Diagnostics;

namespace Footprint.Tests.TestSupport;

/// <summary>Runs real tools (GNU tar, du, gzip, skopeo...) for ground truth.</summary>
internal static class Tool
{
    public static (int ExitCode, string Stdout, string Stderr) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, stderr.Result);
    }

    public static string Output(string file, params string[] args)
    {
        var (code, stdout, stderr) = Run(file, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({code}): {stderr}");
        }

        return stdout;
    }

    /// <summary>Runs a shell snippet (for pipelines such as `head -c N /dev/zero | gzip`).</summary>
    public static string Shell(string script) => Output("/bin/bash", "-c", "set -euo pipefail; " + script);
}
