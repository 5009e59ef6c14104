using System.Text;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Cli;

/// <summary>
/// Registry credentials off the command line: `--creds-file FILE` and FOOTPRINT_REGISTRY_CREDS against a real
/// htpasswd registry, the one-line warning `--creds` earns (a password in `ps`), and no secret in anything written.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class RegistryCliOptionsTests(RegistryFixture registry) : IDisposable
{
    private const string User = "fp-file-user";
    private const string Password = "f1le-Pa55word-plugh";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("")]
    public void Should_read_the_creds_from_a_file_without_a_warning(string end)
    {
        using var basic = BasicRegistry();
        var file = _dir.File("creds");
        File.WriteAllText(file, $"{User}:{Password}{end}");
        var (code, stdout, stderr) = Run(null, "measure", "-q", "--download-only", "-f", "json", "--creds-file", file, $"{basic.Host}/debian:minbase");
        Assert.True(code == 0, stderr);
        Assert.Equal(string.Empty, stderr);
        AssertNoSecret(stdout, stderr);
    }

    [Fact]
    public void Should_read_the_creds_from_the_environment()
    {
        using var basic = BasicRegistry();
        var env = new Dictionary<string, string> { ["FOOTPRINT_REGISTRY_CREDS"] = $"{User}:{Password}" };
        var (code, stdout, stderr) = Run(env, "measure", "-q", "--download-only", "-f", "json", $"{basic.Host}/debian:minbase");
        Assert.True(code == 0, stderr);
        Assert.Equal(string.Empty, stderr);
        AssertNoSecret(stdout, stderr);
    }

    [Fact]
    public void Should_warn_in_one_line_that_creds_on_the_command_line_are_visible()
    {
        using var basic = BasicRegistry();
        var (code, stdout, stderr) = Run(null, "measure", "-q", "--download-only", "-f", "json", "--creds", $"{User}:{Password}", $"{basic.Host}/debian:minbase");
        Assert.True(code == 0, stderr);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("footprint: warning: --creds puts the password on the command line", line, StringComparison.Ordinal);
        Assert.Contains("--creds-file", line, StringComparison.Ordinal);
        AssertNoSecret(stdout, stderr);
    }

    [Fact]
    public void Should_refuse_a_malformed_creds_file_without_quoting_it()
    {
        var file = _dir.File("creds");
        File.WriteAllText(file, Password + "\n" + User + ":x\n");
        var (code, stdout, stderr) = Run(null, "measure", "-q", "--download-only", "--creds-file", file, $"{registry.Host}/debian:minbase");
        Assert.Equal(2, code);
        Assert.Contains($"--creds-file {file}: expected USER:PASSWORD", stderr, StringComparison.Ordinal);
        AssertNoSecret(stdout, stderr);
    }

    [Fact]
    public void Should_refuse_creds_given_twice()
    {
        var file = _dir.File("creds");
        File.WriteAllText(file, $"{User}:{Password}\n");
        var (code, stdout, stderr) = Run(null, "measure", "-q", "--download-only", "--creds-file", file, "--creds", $"{User}:{Password}", $"{registry.Host}/debian:minbase");
        Assert.Equal(2, code);
        Assert.Contains("--creds and --creds-file", stderr, StringComparison.Ordinal);
        AssertNoSecret(stdout, stderr);
    }

    private LocalRegistry BasicRegistry() => LocalRegistry.WithBasicAuth(registry.Storage, _dir.Path, User, Password);

    private (int ExitCode, string Stdout, string Stderr) Run(IReadOnlyDictionary<string, string>? env, params string[] args)
        => FootprintProcess.Run(_dir.Path, env, args);

    private static void AssertNoSecret(params string[] outputs)
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        foreach (var text in outputs)
        {
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(basic, text, StringComparison.Ordinal);
            Assert.DoesNotContain("plugh", text, StringComparison.Ordinal);
        }
    }
}
