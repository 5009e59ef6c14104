using System.Text.Json;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Cli;

/// <summary>The `footprint measure` command as a user runs it (a separate process, output redirected).</summary>
public sealed class MeasureCommandTests : IDisposable
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Should_write_json_to_stdout_without_progress_noise()
    {
        var alpine = Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");
        var (code, stdout, stderr) = Tool.Run("dotnet", Cli, "measure", "--format", "json", alpine);
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var artifact = doc.RootElement.GetProperty("artifacts")[0];
        Assert.Equal("rootfs-tar", artifact.GetProperty("kind").GetString());
        Assert.Equal("alpine", artifact.GetProperty("identity").GetProperty("os").GetProperty("id").GetString());
        Assert.Empty(Schemas.Errors(Schemas.Report, stdout));
    }

    [Fact]
    public void Should_compress_every_byte_for_the_push_size_with_exact_push_size()
    {
        var archive = Repo.Fixture("debian/minbase.docker.tar");
        var layer = (string[] args) =>
        {
            var (code, stdout, stderr) = Tool.Run("dotnet", [Cli, "measure", "-q", "-f", "json", .. args, archive]);
            Assert.True(code == 0, stderr);
            return JsonDocument.Parse(stdout).RootElement.GetProperty("artifacts")[0].GetProperty("download").GetProperty("layers")[0].Clone();
        };
        var estimated = layer([]);
        var exact = layer(["--exact-push-size"]);
        Assert.True(estimated.GetProperty("pushBytesEstimated").GetBoolean());
        Assert.False(estimated.TryGetProperty("pushDigest", out _));
        Assert.False(exact.TryGetProperty("pushBytesEstimated", out _));
        Assert.StartsWith("sha256:", exact.GetProperty("pushDigest").GetString(), StringComparison.Ordinal);
        var bound = estimated.GetProperty("pushBytesErrorBound").GetInt64();
        Assert.True(Math.Abs(exact.GetProperty("downloadBytes").GetInt64() - estimated.GetProperty("downloadBytes").GetInt64()) <= bound);
    }

    [Fact]
    public void Should_write_a_plain_table_to_a_file()
    {
        var output = _dir.File("report.txt");
        var (code, stdout, _) = Tool.Run("dotnet", Cli, "measure", "-q", "-o", output, "oci:" + Repo.Fixture("debian/oci") + ":two");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stdout);
        var text = File.ReadAllText(output);
        Assert.Contains("Installed (apparent)", text, StringComparison.Ordinal);
        Assert.Contains("Debian GNU/Linux 12 (bookworm)", text, StringComparison.Ordinal);
        Assert.Contains("Wasted", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_measure_several_artifacts_in_one_report()
    {
        var output = _dir.File("two.json");
        var (code, _, _) = Tool.Run("dotnet", Cli, "measure", "-q", "-f", "json", "-o", output,
            Repo.CorpusFile("alpine/alpine-minirootfs-3.19.4-x86_64.tar.gz"), Repo.Fixture("scratch-busybox/oci"));
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(File.ReadAllText(output));
        Assert.Equal(2, doc.RootElement.GetProperty("artifacts").GetArrayLength());
    }

    [Fact]
    public void Should_fail_with_a_one_line_error_naming_the_file()
    {
        var missing = _dir.File("nope.tar");
        var (code, _, stderr) = Tool.Run("dotnet", Cli, "measure", missing);
        Assert.Equal(2, code);
        Assert.StartsWith("footprint: error:", stderr, StringComparison.Ordinal);
        Assert.Contains(missing, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_reject_an_unknown_format()
    {
        var (code, _, stderr) = Tool.Run("dotnet", Cli, "measure", "--format", "xml", "/");
        Assert.NotEqual(0, code);
        Assert.Contains("xml", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_measure_this_machine_without_an_argument()
    {
        var output = _dir.File("host.json");
        var (code, _, stderr) = Tool.Run("dotnet", Cli, "measure", "-q", "-f", "json", "-o", output);
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(output));
        var artifact = doc.RootElement.GetProperty("artifacts")[0];
        Assert.Equal("host", artifact.GetProperty("kind").GetString());
        var excluded = artifact.GetProperty("excludedPaths").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("/proc", excluded);
        Assert.Contains("/sys", excluded);
        var osRelease = Footprint.Analyzers.Identity.OsIdentityAnalyzer.ParseKeyValues(File.ReadAllText("/etc/os-release"));
        Assert.Equal(osRelease["ID"], artifact.GetProperty("identity").GetProperty("os").GetProperty("id").GetString());
        Assert.True(artifact.GetProperty("installed").GetProperty("files").GetInt64() > 1000);
    }

    [Fact]
    public void Should_list_packages_with_inventory()
    {
        var output = _dir.File("inventory.txt");
        var alpine = Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");
        var (code, _, stderr) = Tool.Run("dotnet", Cli, "inventory", "-q", "-o", output, alpine);
        Assert.True(code == 0, stderr);
        var text = File.ReadAllText(output);
        Assert.Contains("musl", text, StringComparison.Ordinal);
        Assert.Contains("14 packages", text, StringComparison.Ordinal); // the 14 apk records; BusyBox found in /bin/busybox is evidence on apk's busybox

        var (jsonCode, json, _) = Tool.Run("dotnet", Cli, "inventory", "-f", "json", alpine);
        Assert.Equal(0, jsonCode);
        Assert.Empty(Schemas.Errors(Schemas.Report, json));
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(14, doc.RootElement.GetProperty("artifacts")[0].GetProperty("inventory").GetProperty("packages").GetArrayLength());
    }

    [Fact]
    public void Should_write_counts_of_one_in_the_singular()
    {
        // Two files (the apk database, a script), one package, one unreadable record, one lint finding.
        var rootfs = _dir.File("one.tar");
        Tool.Shell($"cd {_dir.Path} && mkdir -p one/lib/apk/db one/bin && printf 'P:solo\\nV:1.0-r0\\nA:x86_64\\nS:1\\nI:1\\nF:bin\\nR:gone\\n\\nV:no-name\\n\\n' > one/lib/apk/db/installed"
            + " && printf '#!/missing/sh\\n' > one/bin/run && chmod +x one/bin/run && tar -C one -cf one.tar lib bin");
        var (code, stdout, stderr) = Tool.Run("/usr/bin/env", "-u", "COLUMNS", "dotnet", Cli, "measure", "-q", rootfs);
        Assert.True(code == 0, stderr);
        Assert.Matches(@"Entries\s+│\s+2 files\s+│ 4 dirs, 0 symlinks, 0 hard links", stdout);
        Assert.Contains("declared by 1 package but absent", stdout, StringComparison.Ordinal);
        Assert.Contains("1 lint finding (1 error, 0 warnings", stdout, StringComparison.Ordinal);
        Assert.Contains("0 symlinks", stdout, StringComparison.Ordinal);

        (code, stdout, stderr) = Tool.Run("dotnet", Cli, "inventory", "-q", rootfs);
        Assert.True(code == 0, stderr);
        Assert.Contains("1 package; owned", stdout, StringComparison.Ordinal);
        Assert.Contains("1 unreadable record", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("1 unreadable records", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cyclonedx")]
    [InlineData("spdx")]
    public void Should_write_a_valid_deterministic_sbom(string format)
    {
        var alpine = Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");
        var first = _dir.File("one." + format + ".json");
        Tool.Output("/usr/bin/env", "SOURCE_DATE_EPOCH=1700000000", "dotnet", Cli, "sbom", "-q", "-f", format, "-o", first, alpine);
        var second = Tool.Output("/usr/bin/env", "SOURCE_DATE_EPOCH=1700000000", "dotnet", Cli, "sbom", "-f", format, alpine);
        Assert.Equal(File.ReadAllText(first), second);
        var schema = format == "spdx" ? SbomSchemas.Spdx23 : SbomSchemas.CycloneDx16;
        Assert.Empty(Schemas.Errors(schema, second));
        Assert.Contains("pkg:apk/alpine/musl@1.2.5-r0", second, StringComparison.Ordinal);
        Assert.Contains("2023-11-14T22:13:20Z", second, StringComparison.Ordinal);
    }
}
