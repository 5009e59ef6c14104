using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Cli;

/// <summary>
/// The ./footprint wrapper, run in a copy of the repository's layout with a stand-in `dotnet` on PATH that records
/// its calls and "builds" a CLI printing its arguments: fast, and the real .build/ is never touched.
/// </summary>
public sealed class WrapperScriptTests : IDisposable
{
    private const string FakeDotnet = """
        #!/bin/bash
        echo "$*" >> "$FAKE_DOTNET_LOG"
        while [ $# -gt 0 ]; do [ "$1" = -o ] && out="$2"; shift; done
        mkdir -p "$out"
        printf '#!/bin/sh\necho "ran $*"\n' > "$out/Footprint.Cli"
        chmod +x "$out/Footprint.Cli"
        """;

    private readonly TempDir _dir = new();
    private readonly string _repo;
    private readonly string _log;
    private readonly string _link;

    public WrapperScriptTests()
    {
        _repo = Directory.CreateDirectory(_dir.File("repo")).FullName;
        File.Copy(Path.Combine(Repo.Root, "footprint"), Path.Combine(_repo, "footprint"));
        Tool.Output("chmod", "+x", Path.Combine(_repo, "footprint"));
        Write("src/Footprint.Cli/Footprint.Cli.csproj", "<Project />");
        Write("src/Footprint.Cli/Program.cs", "// source");
        Write("Directory.Build.props", "<Project />");
        Write("Directory.Packages.props", "<Project />");
        Write("fakebin/dotnet", FakeDotnet);
        Tool.Output("chmod", "+x", _dir.File("fakebin/dotnet"));
        _log = _dir.File("dotnet.log");
        _link = _dir.File("bin/footprint");
        Directory.CreateDirectory(_dir.File("bin"));
        File.CreateSymbolicLink(_link, Path.Combine(_repo, "footprint"));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Should_build_once_through_a_symlink_and_say_what_it_does()
    {
        var (code, stdout, stderr) = Run("measure", "x");
        Assert.True(code == 0, stderr);
        Assert.Equal("ran measure x\n", stdout);
        Assert.Contains("footprint: compiling the CLI ahead of time (first use or sources changed; about 1-3 minutes)", stderr, StringComparison.Ordinal);
        var call = Assert.Single(Calls());
        Assert.Contains(Path.Combine(_repo, "src/Footprint.Cli/Footprint.Cli.csproj"), call, StringComparison.Ordinal);

        (code, stdout, stderr) = Run("inventory", "y");
        Assert.True(code == 0, stderr);
        Assert.Equal("ran inventory y\n", stdout);
        Assert.Equal(string.Empty, stderr);
        Assert.Single(Calls());
    }

    [Fact]
    public void Should_not_rebuild_for_files_under_bin_or_obj()
    {
        Assert.Equal(0, Run("measure").ExitCode);
        var later = DateTime.UtcNow.AddMinutes(5);
        foreach (var generated in new[] { "src/Footprint.Cli/obj/Debug/net10.0/Footprint.Cli.AssemblyInfo.cs", "src/Footprint.Cli/bin/Release/x.props", "src/Footprint.Cli/obj/project.csproj" })
        {
            Write(generated, "// written by dotnet test");
            File.SetLastWriteTimeUtc(Path.Combine(_repo, generated), later);
        }

        var (code, _, stderr) = Run("measure");
        Assert.True(code == 0, stderr);
        Assert.Equal(string.Empty, stderr);
        Assert.Single(Calls());

        File.SetLastWriteTimeUtc(Path.Combine(_repo, "src/Footprint.Cli/Program.cs"), later);
        (code, _, stderr) = Run("measure");
        Assert.True(code == 0, stderr);
        Assert.Contains("sources changed", stderr, StringComparison.Ordinal);
        Assert.Equal(2, Calls().Length);
    }

    [Fact]
    public void Should_say_it_builds_with_the_JIT_when_AOT_is_off()
    {
        var (code, stdout, stderr) = Run("FOOTPRINT_NO_AOT=1", "lint");
        Assert.True(code == 0, stderr);
        Assert.Equal("ran lint\n", stdout);
        Assert.Contains("footprint: building the CLI (JIT", stderr, StringComparison.Ordinal);
        Assert.StartsWith("build ", Assert.Single(Calls()), StringComparison.Ordinal);
    }

    private (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var env = args.TakeWhile(a => a.Contains('=', StringComparison.Ordinal)).ToArray();
        var path = _dir.File("fakebin") + ":" + Environment.GetEnvironmentVariable("PATH");
        return Tool.Run("/usr/bin/env", ["PATH=" + path, "FAKE_DOTNET_LOG=" + _log, .. env, _link, .. args.Skip(env.Length)]);
    }

    private string[] Calls() => File.Exists(_log) ? File.ReadAllLines(_log) : [];

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_repo, relative);
        if (relative.StartsWith("fakebin/", StringComparison.Ordinal))
        {
            path = _dir.File(relative);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content.ReplaceLineEndings("\n") + "\n");
    }
}
