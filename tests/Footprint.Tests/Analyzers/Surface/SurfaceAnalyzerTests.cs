using Footprint.Analyzers.Surface;
using Footprint.Reports;
using Footprint.Reports.Json;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Analyzers.Surface;

/// <summary>
/// The attack surface against the real tools on real artifacts: find(1) on the extracted Debian tree for set-id and
/// world-writable files, awk on its passwd and shadow, getcap(8) on a tree where setcap(8) set capabilities, and
/// GNU tar's listing and the configuration files themselves for the Alpine, BusyBox and OpenWrt corpus images.
/// </summary>
public sealed class SurfaceAnalyzerTests
{
    public sealed class Debian : IDisposable
    {
        private readonly TempDir _dir = new();
        private readonly string _tar = Repo.Fixture("debian/rootfs.tar");

        public void Dispose() => _dir.Dispose();

        private string Extract()
        {
            var root = Path.Combine(_dir.Path, "root");
            Directory.CreateDirectory(root);
            GroundTruth.Extract(_tar, root);
            return root;
        }

        private static SortedSet<string> Find(string root, params string[] args)
            => new(Tool.Output("find", [root, .. args, "-printf", "/%P\n"]).Split('\n', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

        [Fact]
        public void Should_list_the_set_id_files_find_lists()
        {
            var root = Extract();
            var surface = Load.Measure(_tar).Surface!;
            var suid = Find(root, "-type", "f", "-perm", "-4000");
            var sgid = Find(root, "-type", "f", "-perm", "-2000");
            Assert.NotEmpty(suid);
            Assert.Equal(suid, new SortedSet<string>(surface.SetIdFiles.Where(f => f.SetUid).Select(f => f.Path), StringComparer.Ordinal));
            Assert.Equal(sgid, new SortedSet<string>(surface.SetIdFiles.Where(f => f.SetGid).Select(f => f.Path), StringComparer.Ordinal));
        }

        [Fact]
        public void Should_list_the_world_writable_entries_find_lists()
        {
            var root = Extract();
            var surface = Load.Measure(_tar).Surface!;
            var expected = Find(root, "-type", "f", "-perm", "-o+w");
            expected.UnionWith(Find(root, "-type", "d", "-perm", "-o+w", "!", "-perm", "-1000"));
            Assert.Equal(expected, new SortedSet<string>(surface.WorldWritable.Select(w => w.Path), StringComparer.Ordinal));
        }

        [Fact]
        public void Should_read_the_accounts_as_awk_does()
        {
            var root = Extract();
            var accounts = Load.Measure(_tar).Surface!.Accounts;
            var passwd = Path.Combine(root, "etc/passwd");
            var shadow = Path.Combine(root, "etc/shadow");
            Assert.Equal(Lines(Tool.Output("awk", "-F:", "{print $1\":\"$3\":\"$7}", passwd)), accounts.Users.Select(u => $"{u.Name}:{u.Uid}:{u.Shell}").ToList());
            Assert.Equal(Lines(Tool.Output("awk", "-F:", "$7 !~ /(nologin|false|sync)$/ {print $1}", passwd)), accounts.Users.Where(u => u.LoginShell).Select(u => u.Name).ToList());
            Assert.Equal(Lines(Tool.Output("awk", "-F:", "$2 ~ /^!/ {print $1}", shadow)).Order(StringComparer.Ordinal),
                accounts.Users.Where(u => u.Password == "locked").Select(u => u.Name).Order(StringComparer.Ordinal));
            Assert.Equal(Lines(Tool.Output("awk", "-F:", "$2 == \"\" {print $1}", shadow)).Order(StringComparer.Ordinal),
                accounts.Users.Where(u => u.Password == "empty").Select(u => u.Name).Order(StringComparer.Ordinal));
            Assert.Equal(Lines(Tool.Output("awk", "-F:", "$3 == 0 && $1 != \"root\" {print $1}", passwd)), accounts.Findings.Where(f => f.Why.StartsWith("uid 0", StringComparison.Ordinal)).Select(f => f.Name).ToList());
            Assert.Equal(Lines(Tool.Output("awk", "END {print NR}", Path.Combine(root, "etc/group")))[0], accounts.Groups.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        [Fact]
        public void Should_decode_capabilities_as_getcap_does_on_disk_and_in_a_tar()
        {
            var root = Extract();
            var ls = Path.Combine(root, "usr/bin/ls");
            var cat = Path.Combine(root, "usr/bin/cat");
            var date = Path.Combine(root, "usr/bin/date");
            Tool.Output("setcap", "cap_net_raw,cap_net_admin+ep", ls);
            Tool.Output("setcap", "cap_sys_time=p cap_chown+i", date);
            Tool.Output("setcap", "-n", "1000", "cap_net_bind_service+ep", cat); // a revision 3 (namespaced) attribute
            var truth = Lines(Tool.Output("getcap", "-r", root)).Select(l => l.Split(' ', 2)).ToDictionary(p => "/" + Path.GetRelativePath(root, p[0]), p => p[1]);
            Assert.Equal(3, truth.Count);

            var tar = Path.Combine(_dir.Path, "caps.tar");
            Tool.Output("tar", "--xattrs", "--xattrs-include=*", "-cf", tar, "-C", root, ".");
            foreach (var input in (string[])[root, tar])
            {
                var caps = Load.Measure(input).Surface!.Capabilities;
                Assert.Equal(truth.Keys.Order(StringComparer.Ordinal), caps.Select(c => c.Path).Order(StringComparer.Ordinal));
                foreach (var c in caps)
                {
                    var text = truth[c.Path];
                    // getcap: "cap_net_admin,cap_net_raw=ep", "cap_chown=i cap_sys_time+p" (later clauses add with '+').
                    var (permitted, inheritable, effective) = ParseCapText(text);
                    Assert.Equal(permitted, c.Permitted.Order(StringComparer.Ordinal));
                    Assert.Equal(inheritable, c.Inheritable.Order(StringComparer.Ordinal));
                    Assert.Equal(effective, c.Effective);
                    var ours = ParseCapText(c.Text);
                    Assert.Equal(permitted, ours.Permitted);
                    Assert.Equal(inheritable, ours.Inheritable);
                    Assert.Equal(effective, ours.Effective);
                    Assert.Equal(RootId(Path.Combine(root, c.Path.TrimStart('/'))), c.RootId);
                }
            }
        }

        [Fact]
        public void Should_write_a_surface_section_the_schema_accepts()
        {
            var report = Load.Measure(_tar);
            var json = JsonReportWriter.ToJson(new Report { Tool = new ToolInfo("footprint", "test"), Artifacts = [report] });
            Assert.Empty(Schemas.Errors(Schemas.Report, json));
            var surface = report.Surface!;
            Assert.Contains(surface.Shells, s => s.Name == "bash");
            Assert.Contains(surface.Shells, s => s.Name == "sh" && s.Why.StartsWith("sh is dash", StringComparison.Ordinal));
            Assert.Contains(surface.PackageManagers, s => s.Name == "apt-get");
            Assert.Contains(surface.PackageManagers, s => s.Name == "dpkg");
            Assert.Equal(File.Exists(Path.Combine(Extract(), "etc/ssl/certs/ca-certificates.crt")), surface.CaCertificates is not null);
            Assert.Equal(surface.Score.Classes.Sum(c => c.Count * c.Weight), surface.Score.Total);
        }
    }

    public sealed class Corpus
    {
        [Theory]
        [InlineData("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz")]
        [InlineData("busybox/latest/glibc/amd64/rootfs.tar.gz")]
        [InlineData("busybox/latest/musl/amd64/rootfs.tar.gz")]
        [InlineData("busybox/latest/uclibc/amd64/rootfs.tar.gz")]
        [InlineData("openwrt/openwrt-armvirt-64-default-rootfs.tar.gz")]
        [InlineData("openwrt/docker-openwrt-rootfs.tar.gz")]
        public void Should_agree_with_the_tar_listing(string corpus)
        {
            var archive = Repo.CorpusFile(corpus);
            var listing = TarListing.Read(archive);
            var surface = Load.Measure(archive).Surface!;
            Assert.Equal(listing.Where(e => e.IsFile && e.SetUid).Select(e => e.Path).Order(StringComparer.Ordinal), surface.SetIdFiles.Where(f => f.SetUid).Select(f => f.Path).Order(StringComparer.Ordinal));
            Assert.Equal(listing.Where(e => e.IsFile && e.SetGid).Select(e => e.Path).Order(StringComparer.Ordinal), surface.SetIdFiles.Where(f => f.SetGid).Select(f => f.Path).Order(StringComparer.Ordinal));
            Assert.Equal(listing.Where(e => (e.IsFile && e.OtherWrite) || (e.IsDirectory && e.OtherWrite && !e.Sticky)).Select(e => e.Path).Order(StringComparer.Ordinal),
                surface.WorldWritable.Select(w => w.Path).Order(StringComparer.Ordinal));

            // sh: the listing shows what it is (a link to busybox, or a hard link to the busybox binary).
            var sh = Assert.Single(surface.Shells, s => s.Path == "/bin/sh");
            var shEntry = Assert.Single(listing, e => e.Path == "/bin/sh");
            var busybox = shEntry.LinkTarget?.Contains("busybox", StringComparison.Ordinal) == true
                || (shEntry.LinkTarget is { } t && Tool.Shell($"(tar --no-wildcards -xOf '{archive}' '{t.TrimStart('.', '/')}' 2>/dev/null || tar --no-wildcards -xOf '{archive}' './{t.TrimStart('.', '/')}') | grep -ac 'BusyBox v' || true").Trim() != "0");
            Assert.Equal(busybox, sh.Why.StartsWith("sh is BusyBox ash", StringComparison.Ordinal));

            // Enabled rc.d start links are exactly the S* links the listing has.
            Assert.Equal(listing.Where(e => e.Path.StartsWith("/etc/rc.d/S", StringComparison.Ordinal)).Select(e => e.Path).Order(StringComparer.Ordinal),
                surface.Init.Services.Where(s => s.Path.StartsWith("/etc/rc.d/", StringComparison.Ordinal)).Select(s => s.Path).Order(StringComparer.Ordinal));
            var expectedInit = listing.Any(e => e.Path == "/sbin/procd") ? "procd" : "busybox";
            Assert.Equal(expectedInit, surface.Init.System);
            var apk = listing.Any(e => e.Path == "/sbin/apk");
            Assert.Equal(apk, surface.PackageManagers.Any(p => p.Name == "apk"));
            Assert.Equal(listing.Any(e => e.Path == "/bin/opkg"), surface.PackageManagers.Any(p => p.Name == "opkg"));
            Assert.Equal(listing.Any(e => e.Path == "/etc/ssl/certs/ca-certificates.crt"), surface.CaCertificates is not null);
        }

        [Theory]
        [InlineData("openwrt/openwrt-armvirt-64-default-rootfs.tar.gz")]
        [InlineData("openwrt/docker-openwrt-rootfs.tar.gz")]
        public void Should_read_the_ports_from_the_uci_configs(string corpus)
        {
            var archive = Repo.CorpusFile(corpus);
            var surface = Load.Measure(archive).Surface!;
            var dropbear = Tool.Shell($"tar -xOzf '{archive}' ./etc/config/dropbear | awk '$1 == \"option\" && $2 == \"Port\" {{gsub(\"\\047\", \"\", $3); print $3}}'").Trim();
            Assert.Equal(dropbear, string.Join(',', Assert.Single(surface.Daemons, d => d.Name == "dropbear").Ports));
            var uhttpd = Tool.Shell($"(tar -xOzf '{archive}' ./etc/config/uhttpd 2>/dev/null || true) | awk '$1 == \"list\" && $2 ~ /^listen_https?$/ {{n = split($3, a, \":\"); print a[n]}}' | sort -un | paste -sd,").Trim();
            Assert.Equal(uhttpd, string.Join(',', surface.Daemons.Where(d => d.Name == "uhttpd").SelectMany(d => d.Ports)));
            var empty = Tool.Shell($"tar -xOzf '{archive}' ./etc/shadow | awk -F: '$2 == \"\" {{print $1}}'").Trim();
            Assert.Equal(empty, string.Join('\n', surface.Accounts.Users.Where(u => u.Password == "empty").Select(u => u.Name)));
        }

        [Fact]
        public void Should_report_the_image_config()
        {
            var report = Load.Measure(Repo.Fixture("corpus-busybox/latest/glibc"));
            var image = report.Surface!.Image!;
            Assert.Equal(report.Config!.User, image.User);
            Assert.Equal(string.IsNullOrEmpty(report.Config.User), image.RunsAsRoot);
            Assert.Equal(report.Config.Cmd, image.Cmd);
            Assert.Null(Load.Measure(Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz")).Surface!.Image);
        }
    }

    public sealed class Capabilities
    {
        [Theory]
        [InlineData(new byte[] { })]
        [InlineData(new byte[] { 0, 0, 0, 2, 1 })]
        [InlineData(new byte[] { 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
        public void Should_refuse_bad_attributes_without_throwing(byte[] value)
            => Assert.Null(FileCapabilities.Decode("/x", 0, value));

        [Fact]
        public void Should_name_unknown_bits_by_number() => Assert.Equal("cap_63", FileCapabilities.Name(63));
    }

    /// <summary>getcap's text (cap_to_text): clauses "names=flags" then "names+flags"; e is shown only for permitted caps.</summary>
    private static (List<string> Permitted, List<string> Inheritable, bool Effective) ParseCapText(string text)
    {
        var p = new SortedSet<string>(StringComparer.Ordinal);
        var i = new SortedSet<string>(StringComparer.Ordinal);
        var e = false;
        foreach (var clause in text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(c => !c.StartsWith('[')))
        {
            var at = clause.IndexOfAny(['=', '+']);
            var names = clause[..at].Split(',');
            var flags = clause[(at + 1)..];
            if (flags.Contains('p'))
            {
                p.UnionWith(names);
            }

            if (flags.Contains('i'))
            {
                i.UnionWith(names);
            }

            e |= flags.Contains('e');
        }

        return ([.. p], [.. i], e);
    }

    /// <summary>The rootid of a revision 3 attribute as getfattr dumps it (getcap does not print it): u32 LE at byte 20.</summary>
    private static long? RootId(string file)
    {
        var hex = Tool.Output("getfattr", "--absolute-names", "-n", "security.capability", "-e", "hex", file).Split("=0x")[1].Trim();
        var bytes = Convert.FromHexString(hex);
        return bytes[3] == 3 ? BitConverter.ToUInt32(bytes, 20) : null;
    }

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
}
