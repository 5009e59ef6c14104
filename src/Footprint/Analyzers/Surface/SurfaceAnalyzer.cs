using System.Globalization;
using System.Text.RegularExpressions;
using System.Text;
using Footprint.Analyzers.Hardening;
using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Sources;
using Footprint.Walk;

namespace Footprint.Analyzers.Surface;

/// <summary>
/// The attack surface of the squashed view (docs/surface.md): programs an intruder would use (shells, package
/// managers, interpreters), privileged files (set-id, file capabilities, world-writable), accounts, the init system
/// and its enabled services, network daemons with their configured ports, and the image configuration. Reads file
/// metadata for everything and the content of a handful of configuration files only.
/// </summary>
public sealed partial class SurfaceAnalyzer : IAnalyzer, IProducer<SurfaceReport>
{
    private const int SetUidBit = 0x800;
    private const int SetGidBit = 0x400;
    private const int StickyBit = 0x200;
    private const int OtherWriteBit = 0x002;
    private const int AnyExecuteBits = 0x049;

    /// <summary>Configuration files read whole: accounts, daemon ports, inittab.</summary>
    private static readonly HashSet<string> ConfigFiles = new(StringComparer.Ordinal)
    {
        "etc/passwd", "etc/shadow", "etc/group", "etc/inittab", "etc/ssh/sshd_config", "etc/config/dropbear", "etc/default/dropbear",
        "etc/config/uhttpd", "etc/lighttpd/lighttpd.conf", "etc/nginx/nginx.conf",
    };

    private static readonly string[] BinDirectories = ["bin/", "sbin/", "usr/bin/", "usr/sbin/", "usr/local/bin/", "usr/local/sbin/"];

    private static readonly string[] InitCandidates = ["sbin/init", "bin/init", "usr/sbin/init", "usr/bin/init"];

    private static readonly string[] CaBundles =
    [
        "etc/ssl/certs/ca-certificates.crt", "etc/pki/tls/certs/ca-bundle.crt", "etc/ssl/ca-bundle.pem", "etc/ssl/cert.pem", "etc/pki/tls/cacert.pem",
    ];

    private static readonly HashSet<string> PackageManagerNames = new(StringComparer.Ordinal)
    {
        "apk", "apt", "apt-get", "dpkg", "rpm", "dnf", "yum", "microdnf", "zypper", "pacman", "opkg", "tce-load", "pip", "pip3", "npm", "yarn", "gem",
        "conda", "xbps-install", "emerge",
    };

    /// <summary>Network daemons by program name, with the port they listen on when no configuration says otherwise.</summary>
    private static readonly Dictionary<string, int[]> DaemonPorts = new(StringComparer.Ordinal)
    {
        ["sshd"] = [22], ["dropbear"] = [22], ["telnetd"] = [23], ["utelnetd"] = [23], ["in.telnetd"] = [23], ["httpd"] = [80], ["uhttpd"] = [80],
        ["lighttpd"] = [80], ["nginx"] = [80], ["apache2"] = [80], ["dnsmasq"] = [53], ["named"] = [53], ["unbound"] = [53], ["vsftpd"] = [21],
        ["ftpd"] = [21], ["tftpd"] = [69], ["in.tftpd"] = [69], ["ntpd"] = [123], ["chronyd"] = [123], ["udhcpd"] = [67], ["odhcpd"] = [547],
        ["smbd"] = [445], ["rpcbind"] = [111], ["snmpd"] = [161], ["mosquitto"] = [1883], ["redis-server"] = [6379], ["mysqld"] = [3306],
        ["mariadbd"] = [3306], ["postgres"] = [5432], ["cupsd"] = [631], ["inetd"] = [], ["xinetd"] = [],
    };

    private readonly Dictionary<string, (string Text, int Layer)> _configs = new(StringComparer.Ordinal);
    private readonly List<string> _programs = [];
    private readonly List<SetIdFileReport> _setId = [];
    private readonly List<FileCapabilityReport> _capabilities = [];
    private readonly List<SurfaceItem> _worldWritable = [];
    private readonly List<SurfaceItem> _services = [];

    public string Id => "surface";

    public int Version => 1;

    public IReadOnlyList<Type> Consumes => [typeof(HardeningReport)];

    /// <summary>The surface, with the ELF hardening the hardening analyzer measured (no surface without it: the report would claim coverage it did not check).</summary>
    public SurfaceReport? Produce(AnalysisContext context)
        => context.Get<HardeningReport>() is { } hardening ? Result(context.View, context.Source.Config, hardening) : null;

    public ContentNeed Required(string path, FsNode node)
        => node.Kind == FileKind.Regular && ConfigFiles.Contains(path) ? ContentNeed.Whole : ContentNeed.None;

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        var layer = node.LayerIndex;
        if (node.Kind == FileKind.Regular && ConfigFiles.Contains(path) && content is not null)
        {
            try
            {
                using var stream = content.Open();
                using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
                _configs[path] = (reader.ReadToEnd(), layer);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Unreadable on disk: the file is treated as absent (accounts "unknown", default ports).
            }
        }

        if ((node.Kind == FileKind.Symlink || (node.Kind == FileKind.Regular && (node.Mode & AnyExecuteBits) != 0))
            && Array.Exists(BinDirectories, d => path.StartsWith(d, StringComparison.Ordinal) && path.IndexOf('/', d.Length) < 0))
        {
            _programs.Add(path);
        }

        if (node.Kind == FileKind.Regular && (node.Mode & (SetUidBit | SetGidBit)) != 0)
        {
            _setId.Add(new SetIdFileReport("/" + path, layer, (node.Mode & SetUidBit) != 0, (node.Mode & SetGidBit) != 0, node.Uid, node.Gid,
                Convert.ToString(node.Mode & 0xFFF, 8).PadLeft(4, '0')));
        }

        if (node.Xattrs.TryGetValue(FileCapabilities.XattrName, out var cap))
        {
            if (FileCapabilities.Decode("/" + path, layer, cap) is { } decoded)
            {
                _capabilities.Add(decoded);
            }
            else
            {
                _capabilities.Add(new FileCapabilityReport("/" + path, layer, 0, false, [], [], null, $"undecodable ({cap.Length} bytes)"));
            }
        }

        if ((node.Mode & OtherWriteBit) != 0 && (node.Kind == FileKind.Regular || (node.Kind == FileKind.Directory && (node.Mode & StickyBit) == 0)))
        {
            var mode = Convert.ToString(node.Mode & 0xFFF, 8).PadLeft(4, '0');
            _worldWritable.Add(new SurfaceItem(node.Name, "/" + path, layer,
                node.Kind == FileKind.Directory ? $"directory writable by anyone without the sticky bit (mode {mode}): anyone can replace its entries" : $"file writable by anyone (mode {mode})"));
        }

        if (node.Kind == FileKind.Symlink && ServiceLink(path) is { } why)
        {
            // The service is what the link starts: S19dropbear -> ../init.d/dropbear, multi-user.target.wants/ssh.service.
            var target = node.LinkTarget ?? node.Name;
            _services.Add(new SurfaceItem(target[(target.LastIndexOf('/') + 1)..], "/" + path, layer, why + " -> " + node.LinkTarget));
        }
    }

    /// <summary>Systemd wants links, OpenRC runlevel links, SysV and OpenWrt rc.d start links.</summary>
    private static string? ServiceLink(string path)
    {
        if (SystemdWants().IsMatch(path))
        {
            return "systemd: enabled in " + path[..path.LastIndexOf('/')];
        }

        if (path.StartsWith("etc/runlevels/", StringComparison.Ordinal) && path.Count(c => c == '/') == 3)
        {
            return "OpenRC: runlevel " + path.Split('/')[2];
        }

        if (RcStart().IsMatch(path))
        {
            return "rc start link in " + path[..path.LastIndexOf('/')];
        }

        return null;
    }

    public SurfaceReport Result(IFileSystemView view, ImageConfig? config, HardeningReport hardening)
    {
        var shells = new List<SurfaceItem>();
        var managers = new List<SurfaceItem>();
        var interpreters = new List<SurfaceItem>();
        var daemons = new List<DaemonReport>();
        // Programs count once per inode: BusyBox's sh, ash and hush (symlinks or hard links) are one shell.
        var distinct = new Dictionary<string, HashSet<FileData>>(StringComparer.Ordinal);
        void Count(string kind, FileData target) => (distinct.TryGetValue(kind, out var s) ? s : distinct[kind] = new HashSet<FileData>(ReferenceEqualityComparer.Instance)).Add(target);

        foreach (var path in _programs)
        {
            var name = path[(path.LastIndexOf('/') + 1)..];
            var isShell = ShellName().IsMatch(name);
            var isManager = PackageManagerNames.Contains(name);
            var isInterpreter = InterpreterName().IsMatch(name);
            var isDaemon = DaemonPorts.ContainsKey(name);
            if (!(isShell || isManager || isInterpreter || isDaemon) || Target(view, path) is not { } t)
            {
                continue;
            }

            var why = t.Why;
            if (name == "sh")
            {
                why = t.BusyBox ? "sh is BusyBox ash; " + why : "sh is " + t.Resolved[(t.Resolved.LastIndexOf('/') + 1)..] + "; " + why;
            }

            var item = new SurfaceItem(name, "/" + path, t.Layer, why);
            if (isShell)
            {
                shells.Add(item);
                Count("shells", t.Data);
            }

            if (isManager)
            {
                managers.Add(item);
                Count("package-managers", t.Data);
            }

            if (isInterpreter)
            {
                interpreters.Add(item);
                Count("interpreters", t.Data);
            }

            if (isDaemon)
            {
                var (ports, source) = Ports(name, DaemonPorts[name]);
                daemons.Add(new DaemonReport(name, "/" + path, t.Layer, t.BusyBox ? "BusyBox applet: listens once started; " + why : why, ports, source));
            }
        }

        var init = Init(view);
        var accountEvidence = new List<Evidence>();
        var layers = new Dictionary<string, int?>(StringComparer.Ordinal);
        foreach (var file in (string[])["etc/passwd", "etc/shadow", "etc/group"])
        {
            if (_configs.TryGetValue(file, out var c))
            {
                accountEvidence.Add(new Evidence("/" + file, c.Layer, $"{c.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length} lines"));
                layers[file] = c.Layer;
            }
        }

        var accounts = Accounts.Read(Text("etc/passwd"), Text("etc/shadow"), Text("etc/group"), accountEvidence, layers);
        var image = config is null ? null : new ImageSurfaceReport(config.User, RunsAsRoot(config.User), config.ExposedPorts, config.Entrypoint, config.Cmd);
        SurfaceItem? ca = null;
        foreach (var bundle in CaBundles)
        {
            if (Target(view, bundle) is { } b)
            {
                ca = new SurfaceItem(bundle[(bundle.LastIndexOf('/') + 1)..], "/" + bundle, b.Layer, "CA certificate bundle: " + b.Why);
                break;
            }
        }

        int Distinct(string kind) => distinct.TryGetValue(kind, out var s) ? s.Count : 0;
        SurfaceScoreClass[] classes =
        [
            Score("shells", Distinct("shells"), 3),
            Score("package-managers", Distinct("package-managers"), 5),
            Score("interpreters", Distinct("interpreters"), 3),
            Score("setuid-files", _setId.Count(s => s.SetUid), 5),
            Score("setgid-files", _setId.Count(s => !s.SetUid), 2),
            Score("file-capabilities", _capabilities.Count, 3),
            Score("world-writable", _worldWritable.Count, 2),
            Score("login-accounts", accounts.Users.Count(u => u.LoginShell && u.Uid != 0 && u.Password is not ("locked" or "disabled")), 1),
            Score("account-findings", accounts.Findings.Count, 10),
            Score("enabled-services", init.Services.Count, 1),
            Score("daemons", daemons.Select(d => d.Path).Distinct(StringComparer.Ordinal).Count(), 4),
            Score("runs-as-root", image?.RunsAsRoot == true ? 1 : 0, 5),
            Score("exposed-ports", image?.ExposedPorts.Count ?? 0, 2),
        ];
        return new SurfaceReport
        {
            Score = new SurfaceScoreReport(classes.Sum(c => c.Points), classes),
            Shells = shells,
            PackageManagers = managers,
            Interpreters = interpreters,
            SetIdFiles = _setId,
            Capabilities = _capabilities,
            WorldWritable = _worldWritable,
            Accounts = accounts,
            Init = init,
            Daemons = daemons,
            Image = image,
            CaCertificates = ca,
            Hardening = hardening,
        };
    }

    private static SurfaceScoreClass Score(string name, int count, int weight) => new(name, count, weight, count * weight);

    /// <summary>No user, "root", "0", or "0:gid"/"root:group": the container's processes run as uid 0.</summary>
    private static bool RunsAsRoot(string? user)
    {
        var u = user is null ? string.Empty : user.Split(':')[0];
        return u is "" or "root" or "0";
    }

    private string? Text(string path) => _configs.TryGetValue(path, out var c) ? c.Text : null;

    private sealed record ProgramTarget(string Resolved, FileData Data, int Layer, bool BusyBox, string Why);

    /// <summary>Follows a path to a regular file; null when it is missing, dangling or loops.</summary>
    private static ProgramTarget? Target(IFileSystemView view, string path)
    {
        if (view.TryResolve(path, followFinal: true, out var resolved) is not { Kind: FileKind.Regular, Data: { } data } node)
        {
            return null;
        }

        resolved = resolved.TrimStart('/');
        var busybox = resolved.Contains("busybox", StringComparison.Ordinal) || data.GetElf()?.BusyBoxVersion is not null;
        var what = data.GetElf() is { } elf ? $"ELF {elf.Type} {elf.Machine}" : "script or other file";
        var why = resolved == path ? $"{what}, mode {Convert.ToString(node.Mode & 0xFFF, 8)}" : $"resolves to /{resolved} ({what})";
        return new ProgramTarget(resolved, data, data.LayerIndex, busybox, why);
    }

    private InitReport Init(IFileSystemView view)
    {
        var evidence = new List<Evidence>();
        var services = new List<SurfaceItem>(_services);
        ProgramTarget? init = null;
        foreach (var candidate in InitCandidates)
        {
            if (Target(view, candidate) is { } t)
            {
                init = t;
                evidence.Add(new Evidence("/" + candidate, t.Layer, t.Why));
                break;
            }
        }

        bool Has(string path)
        {
            if (Target(view, path) is { } t)
            {
                evidence.Add(new Evidence("/" + path, t.Layer, "present: " + t.Why));
                return true;
            }

            return false;
        }

        var resolvedInit = init?.Resolved ?? string.Empty;
        string system;
        if (resolvedInit.Contains("systemd", StringComparison.Ordinal))
        {
            system = "systemd";
        }
        else if (Has("sbin/procd"))
        {
            system = "procd";
        }
        else if (Has("sbin/openrc") || Has("usr/sbin/openrc"))
        {
            system = "openrc";
        }
        else if (resolvedInit.Contains("runit", StringComparison.Ordinal) || Has("sbin/runit"))
        {
            system = "runit";
        }
        else if (resolvedInit.Contains("s6", StringComparison.Ordinal) || Has("command/s6-svscan") || Has("bin/s6-svscan") || Has("usr/bin/s6-svscan"))
        {
            system = "s6";
        }
        else if (init is { BusyBox: true })
        {
            system = "busybox";
        }
        else if (init is not null)
        {
            system = "sysvinit";
        }
        else
        {
            system = "none";
        }

        if (_configs.TryGetValue("etc/inittab", out var inittab) && init is not null)
        {
            evidence.Add(new Evidence("/etc/inittab", inittab.Layer, "read for respawn and start entries"));
            foreach (var raw in inittab.Text.Split('\n'))
            {
                // id:runlevels:action:process (BusyBox leaves runlevels empty: "::respawn:/sbin/getty 38400 tty1").
                var line = raw.Trim();
                var f = line.Split(':', 4);
                if (line.StartsWith('#') || f.Length < 4 || f[3].Trim().Length == 0 || f[2] is "shutdown" or "ctrlaltdel" or "restart")
                {
                    continue;
                }

                var program = f[3].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                services.Add(new SurfaceItem(program[(program.LastIndexOf('/') + 1)..].TrimStart('-'), "/etc/inittab", inittab.Layer, $"inittab {f[2]}: {f[3].Trim()}"));
            }
        }

        return new InitReport(system, evidence, services);
    }

    /// <summary>Ports a daemon's configuration names, or its default.</summary>
    private (IReadOnlyList<int> Ports, string Source) Ports(string daemon, int[] defaults)
    {
        var found = new SortedSet<int>();
        string? source = null;
        void Scan(string file, Regex pattern)
        {
            if (Text(file) is not { } text)
            {
                return;
            }

            foreach (var raw in text.Split('\n'))
            {
                var line = raw.Trim();
                if (line.StartsWith('#'))
                {
                    continue;
                }

                var m = pattern.Match(line);
                if (m.Success && int.TryParse(m.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
                {
                    found.Add(port);
                    source ??= "/" + file + ": " + line;
                }
            }
        }

        switch (daemon)
        {
            case "sshd":
                Scan("etc/ssh/sshd_config", SshdPort());
                break;
            case "dropbear":
                Scan("etc/config/dropbear", UciPort());
                Scan("etc/default/dropbear", DropbearDefaultPort());
                break;
            case "uhttpd":
                Scan("etc/config/uhttpd", UhttpdListen());
                break;
            case "lighttpd":
                Scan("etc/lighttpd/lighttpd.conf", LighttpdPort());
                break;
            case "nginx":
                Scan("etc/nginx/nginx.conf", NginxListen());
                break;
        }

        return found.Count > 0 ? (found.ToList(), source!) : (defaults, "default");
    }

    [GeneratedRegex(@"^(sh|ash|bash|dash|zsh|ksh|ksh93|mksh|pdksh|oksh|hush|tcsh|csh|fish|rbash|yash|posh)$")]
    private static partial Regex ShellName();

    [GeneratedRegex(@"^(python|perl|lua|luajit|ruby|node|nodejs|tclsh|wish|php|java|bun|deno|guile|Rscript)[0-9.]*$")]
    private static partial Regex InterpreterName();

    [GeneratedRegex(@"^(etc|usr/lib|lib)/systemd/system/[^/]+\.wants/[^/]+$")]
    private static partial Regex SystemdWants();

    [GeneratedRegex(@"^etc/(rc\.d/|rc[0-6S]\.d/|rc\.d/rc[0-6S]\.d/)S[^/]+$")]
    private static partial Regex RcStart();

    [GeneratedRegex(@"^Port\s+(?<port>\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex SshdPort();

    [GeneratedRegex(@"^option\s+Port\s+'?""?(?<port>\d+)")]
    private static partial Regex UciPort();

    [GeneratedRegex(@"^DROPBEAR_PORT=""?(?<port>\d+)")]
    private static partial Regex DropbearDefaultPort();

    [GeneratedRegex(@"^list\s+listen_https?\s+'?""?.*:(?<port>\d+)'?""?$")]
    private static partial Regex UhttpdListen();

    [GeneratedRegex(@"^server\.port\s*=\s*(?<port>\d+)")]
    private static partial Regex LighttpdPort();

    [GeneratedRegex(@"^listen\s+(?:[^;\s]*:)?(?<port>\d+)")]
    private static partial Regex NginxListen();
}
