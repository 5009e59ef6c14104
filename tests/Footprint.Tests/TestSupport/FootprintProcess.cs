using System.Diagnostics;

namespace Footprint.Tests.TestSupport;

/// <summary>
/// Runs the footprint CLI as a user would, in a separate process with a clean HOME (no docker config of the machine's
/// user, no cache) unless the test gives its own environment.
/// </summary>
internal static class FootprintProcess
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll");

    public static (int ExitCode, string Stdout, string Stderr) Run(string home, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Cli);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["HOME"] = home;
        psi.Environment.Remove("DOCKER_CONFIG");
        psi.Environment["XDG_CACHE_HOME"] = Path.Combine(home, ".cache");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start dotnet");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, stderr.Result);
    }
}
