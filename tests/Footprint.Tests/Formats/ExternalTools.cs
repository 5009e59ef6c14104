using System.Diagnostics;
using System.Security.Cryptography;

namespace Footprint.Tests.Formats;

/// <summary>
/// Builds fixtures with the real tools (GNU tar, gzip, xz, zstd, bzip2, setfattr, setcap) at test time. A missing tool
/// fails the test with the package to install, never skips it.
/// </summary>
internal static class ExternalTools
{
    private static readonly Dictionary<string, string> PackageOfTool = new()
    {
        ["tar"] = "tar",
        ["gzip"] = "gzip",
        ["xz"] = "xz-utils",
        ["zstd"] = "zstd",
        ["bzip2"] = "bzip2",
        ["setfattr"] = "attr",
        ["getfattr"] = "attr",
        ["setcap"] = "libcap2-bin",
        ["truncate"] = "coreutils",
        ["mknod"] = "coreutils",
        ["find"] = "findutils",
    };

    public static void Require(params string[] tools)
    {
        foreach (string tool in tools)
        {
            (int rc, _, _) = RunRaw("bash", ["-c", $"command -v {tool}"], null);
            if (rc != 0)
            {
                string package = PackageOfTool.GetValueOrDefault(tool, tool);
                Assert.Fail($"'{tool}' is required by this test: install it with `apt-get install -y {package}` (test.sh does).");
            }
        }
    }

    public static void RequireRoot()
    {
        if (Bash("/", "id -u").Trim() != "0")
        {
            Assert.Fail("This test creates device nodes and chowns files: run it as root (test.sh does).");
        }
    }

    /// <summary>Runs a bash script with <c>set -euo pipefail</c> in <paramref name="workDir"/>; fails the test on a non-zero exit.</summary>
    public static string Bash(string workDir, string script)
    {
        (int rc, string stdout, string stderr) = RunRaw("bash", ["-c", "set -euo pipefail\n" + script], workDir);
        if (rc != 0)
        {
            Assert.Fail($"fixture script failed ({rc}):\n{script}\nstderr:\n{stderr}");
        }

        return stdout;
    }

    /// <summary>Starts a process whose stdout is read as a non-seekable stream (a real pipe).</summary>
    public static Process StartPipe(string workDir, string script)
    {
        var psi = new ProcessStartInfo("bash")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("set -euo pipefail\n" + script);
        return Process.Start(psi)!;
    }

    public static string Sha256(Stream stream) => Convert.ToHexStringLower(SHA256.HashData(stream));

    public static string Sha256File(string path)
    {
        using FileStream f = File.OpenRead(path);
        return Sha256(f);
    }

    private static (int Rc, string Stdout, string Stderr) RunRaw(string file, string[] args, string? workDir)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workDir is not null)
        {
            psi.WorkingDirectory = workDir;
        }

        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, err.Result);
    }
}

/// <summary>A temporary directory removed when the test ends.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("footprint-test-").FullName;
    }

    /// <param name="inMemory">
    /// True for a directory on /dev/shm (tmpfs) when the machine has one, for a test that makes and deletes 100,000
    /// files: on the test machine's disk-backed /tmp that took 20-50 s under load, on tmpfs a few. Falls back to the
    /// temp directory.
    /// </param>
    public TempDir(bool inMemory)
        : this()
    {
        const string Shm = "/dev/shm";
        if (!inMemory || !OperatingSystem.IsLinux() || !Directory.Exists(Shm))
        {
            return;
        }

        try
        {
            string path = System.IO.Path.Combine(Shm, "footprint-test-" + System.IO.Path.GetRandomFileName());
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.Delete(Path);
            Path = path;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public string Path { get; private set; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
