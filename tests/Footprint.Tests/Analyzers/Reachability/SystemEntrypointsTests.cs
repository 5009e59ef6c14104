using Footprint.Analyzers.Reachability;

namespace Footprint.Tests.Analyzers.Reachability;

/// <summary>Entrypoints of systems, from the text of inittab, systemd units and OpenWrt init scripts.</summary>
public sealed class SystemEntrypointsTests
{
    [Fact]
    public void Should_read_init_inittab_enabled_units_and_procd_commands()
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["etc/inittab"] = "# comment\n::sysinit:/etc/init.d/rcS\ntty1::respawn:-/sbin/getty 38400 tty1\nbad line\n",
            ["lib/systemd/system/ssh.service"] = "[Service]\nExecStartPre=/usr/sbin/sshd -t\nExecStart=/usr/sbin/sshd -D $SSHD_OPTS\n",
            ["lib/systemd/system/cron.service"] = "[Service]\nExecStart=-/usr/sbin/cron -f\n",
            ["lib/systemd/system/unused.service"] = "[Service]\nExecStart=/usr/bin/never\n",
            ["etc/init.d/dnsmasq"] = "#!/bin/sh /etc/rc.common\nPROG=/usr/sbin/dnsmasq\nstart_service() {\n\tprocd_open_instance\n\tprocd_set_param command $PROG -C /var/etc/dnsmasq.conf -k\n}\n",
            ["etc/init.d/rpcd"] = "#!/bin/sh /etc/rc.common\n\tprocd_set_param command \"/sbin/rpcd\" -s /var/run/ubus.sock\n#\tprocd_set_param command /sbin/old\n",
        };
        var wanted = new HashSet<string>(StringComparer.Ordinal) { "ssh.service", "cron.service" };
        var found = SystemEntrypoints.Find(p => p == "/sbin/init", texts, wanted);

        Assert.Equal(
            [
                ("init", "/sbin/init", ""),
                ("inittab", "/etc/init.d/rcS", ""),
                ("inittab", "/sbin/getty", "38400 tty1"),
                ("procd", "/usr/sbin/dnsmasq", "-C /var/etc/dnsmasq.conf -k"),
                ("procd", "/sbin/rpcd", "-s /var/run/ubus.sock"),
                ("systemd", "/usr/sbin/cron", "-f"),
                ("systemd", "/usr/sbin/sshd", "-D $SSHD_OPTS"),
            ],
            found.Select(e => (e.Kind, e.Command, string.Join(' ', e.Arguments))));
        Assert.Equal("/etc/inittab line 3: tty1::respawn:-/sbin/getty 38400 tty1", found[2].Origin);
    }

    [Theory]
    [InlineData("etc/systemd/system/multi-user.target.wants/ssh.service", "ssh.service")]
    [InlineData("lib/systemd/system/sysinit.target.wants/systemd-journald.service", "systemd-journald.service")]
    [InlineData("usr/lib/systemd/system/multi-user.target.wants/cron.service", "cron.service")]
    [InlineData("etc/systemd/system/ssh.service", null)]
    [InlineData("etc/systemd/system/multi-user.target.wants/remote-fs.target", null)]
    [InlineData("home/user/multi-user.target.wants/x.service", null)]
    public void Should_take_enabled_units_from_wants_directories_only(string path, string? unit)
        => Assert.Equal(unit, SystemEntrypoints.WantedUnit(path));
}
