using Footprint.Analyzers.Hardening;
using Footprint.Analyzers.Surface;
using Footprint.Reports.Comparisons;

namespace Footprint.Tests.Reports.Comparisons;

public sealed class SurfaceDiffTests
{
    private static SurfaceReport Surface(IReadOnlyList<SurfaceItem> shells, IReadOnlyList<SetIdFileReport> setId, IReadOnlyList<DaemonReport> daemons) => new()
    {
        Score = new SurfaceScoreReport(0, []),
        Shells = shells,
        PackageManagers = [],
        Interpreters = [],
        SetIdFiles = setId,
        Capabilities = [],
        WorldWritable = [],
        Accounts = new AccountsReport { Users = [], Findings = [], Evidence = [] },
        Init = new InitReport("busybox", [], []),
        Daemons = daemons,
        Hardening = new HardeningReport([], []),
    };

    [Fact]
    public void Should_list_a_new_suid_file_a_new_shell_and_a_daemon_on_another_port()
    {
        var old = Surface([new("sh", "/bin/sh", 0, "x")], [], [new("sshd", "/usr/sbin/sshd", 0, "x", [22], "default")]);
        var @new = Surface([new("sh", "/bin/sh", 0, "x"), new("bash", "/bin/bash", 1, "x")], [new("/usr/bin/passwd", 1, true, false, 0, 0, "4755")],
            [new("sshd", "/usr/sbin/sshd", 0, "x", [2222], "etc/ssh/sshd_config:3")]);
        Assert.Equal(["daemon gained sshd ports 2222", "daemon lost sshd ports 22", "setuid gained /usr/bin/passwd mode 4755 uid 0 gid 0", "shell gained bash "],
            SurfaceDiff.Of(old, @new).Select(c => $"{c.Class} {c.Change} {c.Name} {c.Detail}"));
    }
}
