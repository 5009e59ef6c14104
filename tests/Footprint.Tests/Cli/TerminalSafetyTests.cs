using System.Text.Json;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Cli;

/// <summary>
/// Strings read from an artifact never reach the terminal raw (issue 10, "Terminal safety"): every command is run as
/// a user runs it on a rootfs whose names and fields hold a newline, CR, ESC[31m, BEL, U+202E and a backslash.
/// </summary>
public sealed class TerminalSafetyTests : IDisposable
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll");
    private readonly TempDir _dir = new();
    private readonly string _rootfs;

    public TerminalSafetyTests()
    {
        _rootfs = _dir.File("hostile.tar");
        HostileRootfs.Write(_rootfs);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Should_escape_file_names_and_os_release_in_the_measure_table()
    {
        var (code, stdout, stderr) = Tool.Run("dotnet", Cli, "measure", "-q", "--top", "20", _rootfs);
        Assert.True(code == 0, stderr);
        AssertNoRawControls(stdout);
        foreach (var name in HostileRootfs.Escaped)
        {
            Assert.Contains($"/data/{name}.dat", stdout, StringComparison.Ordinal);
        }

        Assert.Contains(@"Evil \e[31mLinux\u202e\a", stdout, StringComparison.Ordinal);
        Assert.Contains(@"/bin/run\e[31m.sh", stdout, StringComparison.Ordinal);
        AssertNoFakeRow(stdout);
    }

    [Fact]
    public void Should_escape_package_fields_in_the_inventory_table()
    {
        var (code, stdout, stderr) = Tool.Run("dotnet", Cli, "inventory", "-q", _rootfs);
        Assert.True(code == 0, stderr);
        AssertNoRawControls(stdout);
        Assert.Contains(@"pkg-esc\e[31mred", stdout, StringComparison.Ordinal);
        Assert.Contains(@"pkg-bel\ax", stdout, StringComparison.Ordinal);
        Assert.Contains(@"pkg-cr\rx", stdout, StringComparison.Ordinal);
        Assert.Contains(@"pkg-bidi\u202eexe.txt", stdout, StringComparison.Ordinal);
        Assert.Contains(@"pkg-back\\slash", stdout, StringComparison.Ordinal);
        Assert.Contains(@"1.0-r0\u202e", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_escape_passwd_entries_in_the_surface_tables()
    {
        var (code, stdout, stderr) = Tool.Run("dotnet", Cli, "surface", "-q", "--details", _rootfs);
        Assert.True(code == 0, stderr);
        AssertNoRawControls(stdout);
        Assert.Contains(@"ev\e[31mil", stdout, StringComparison.Ordinal);
        Assert.Contains(@"/bin/sh\a", stdout, StringComparison.Ordinal);

        (code, stdout, stderr) = Tool.Run("dotnet", Cli, "surface", "-q", _rootfs);
        Assert.True(code == 0, stderr);
        AssertNoRawControls(stdout);
        Assert.Contains(@"ev\e[31mil", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_escape_lint_findings()
    {
        var (code, stdout, stderr) = Tool.Run("dotnet", Cli, "lint", "-q", _rootfs);
        Assert.True(code == 1, stderr);
        AssertNoRawControls(stdout);
        Assert.Contains(@"/bin/run\e[31m.sh", stdout, StringComparison.Ordinal);
        Assert.Contains(@"/nonexistent/sh\a", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("measure -f json")]
    [InlineData("sbom --files -f cyclonedx")]
    [InlineData("sbom --files -f spdx")]
    public void Should_escape_control_characters_in_json_and_keep_the_names_exact(string command)
    {
        var (code, stdout, stderr) = Tool.Run("dotnet", [Cli, .. command.Split(' '), "-q", _rootfs]);
        Assert.True(code == 0, stderr);

        // RFC 8259 section 7: U+0000-001F must be escaped inside strings; between tokens only space, tab, CR, LF may appear.
        Assert.DoesNotContain(stdout, c => c < ' ' && c != '\n');
        Assert.Contains(@"\u001b", stdout, StringComparison.OrdinalIgnoreCase);

        // Legal unescaped JSON, but a terminal showing the JSON would reorder the line: escaped too.
        AssertNoRawControls(stdout);
        Assert.Contains(@"\u202e", stdout, StringComparison.OrdinalIgnoreCase);
        using var doc = JsonDocument.Parse(stdout);
        var strings = Strings(doc.RootElement).ToList();
        foreach (var name in HostileRootfs.Names)
        {
            Assert.Contains(strings, s => s.Contains($"data/{name}.dat", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Should_escape_a_missing_file_name_in_the_error_message()
    {
        var missing = _dir.File("nope\u001b[31m\u202e.tar");
        var (code, stdout, stderr) = Tool.Run("dotnet", Cli, "measure", "-q", missing);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        AssertNoRawControls(stderr);
        Assert.StartsWith("footprint: error: ", stderr, StringComparison.Ordinal);
        Assert.Contains(@"nope\e[31m\u202e.tar", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Should_escape_an_unreadable_file_name_in_the_error_message()
    {
        var damaged = _dir.File("bad\u001b]52;c;aGk=\u0007.tar");
        File.WriteAllText(damaged, "not an artifact at all");
        var (code, _, stderr) = Tool.Run("dotnet", Cli, "inventory", "-q", damaged);
        Assert.Equal(2, code);
        AssertNoRawControls(stderr);
        Assert.Contains(@"bad\e]52;c;aGk=\a.tar", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_add_the_escaped_stack_under_the_error_line_only_when_debugging()
    {
        var missing = _dir.File("gone\u001b[31m.tar");
        var (code, _, stderr) = FootprintProcess.Run(_dir.Path, new Dictionary<string, string> { ["FOOTPRINT_DEBUG"] = "1" }, "measure", "-q", missing);
        Assert.Equal(2, code);
        AssertNoRawControls(stderr);
        var lines = stderr.TrimEnd('\n').Split('\n');
        Assert.StartsWith("footprint: error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("   at Footprint.", StringComparison.Ordinal));
        Assert.Contains(@"gone\e[31m.tar", lines[1], StringComparison.Ordinal);
    }

    /// <summary>No C0 control but LF, no DEL, no C1, no bidi control: what a terminal would act on instead of showing.</summary>
    internal static void AssertNoRawControls(string text)
    {
        var raw = text.Where(c => (c < ' ' && c != '\n') || c is >= '\u007f' and <= '\u009f' || c is '\u061c' or '\u200e' or '\u200f'
            || c is >= '\u202a' and <= '\u202e' || c is >= '\u2066' and <= '\u2069').Select(c => $"U+{(int)c:X4}").Distinct().ToList();
        Assert.True(raw.Count == 0, "raw control characters in the output: " + string.Join(", ", raw));
    }

    /// <summary>The newline in "nl\nfake row" must not start a line of its own (a fake table row).</summary>
    private static void AssertNoFakeRow(string text)
    {
        var lines = text.Split('\n').Where(l => l.Contains("fake row", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Contains(@"nl\nfake row", l, StringComparison.Ordinal));
    }

    private static IEnumerable<string> Strings(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                yield return e.GetString()!;
                break;
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    foreach (var s in Strings(p.Value))
                    {
                        yield return s;
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    foreach (var s in Strings(item))
                    {
                        yield return s;
                    }
                }

                break;
            default:
                break;
        }
    }
}
