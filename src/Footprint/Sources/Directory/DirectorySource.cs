using Footprint.FileSystem;

namespace Footprint.Sources.Directory;

/// <summary>A root filesystem unpacked in a directory, or the running machine ("/").</summary>
internal sealed class DirectorySource : IArtifactSource, IDiskBacked
{
    /// <summary>Filesystems that hold no installed files: kernel views and memory-backed scratch space.</summary>
    public static readonly IReadOnlySet<string> PseudoFilesystems = new HashSet<string>(StringComparer.Ordinal)
    {
        "proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "cgroup", "cgroup2", "securityfs", "debugfs", "tracefs",
        "pstore", "bpf", "mqueue", "hugetlbfs", "configfs", "fusectl", "autofs", "binfmt_misc", "efivarfs",
        "rpc_pipefs", "nsfs", "ramfs", "selinuxfs", "fuse.lxcfs", "fuse.gvfsd-fuse", "fuse.portal",
    };

    private static readonly string[] AlwaysSkippedOnHost = ["/proc", "/sys", "/dev", "/run"];

    private readonly string _root;
    private readonly HashSet<string> _excluded;
    private readonly List<FsWarning> _warnings;

    public DirectorySource(string root, bool isHost, List<FsWarning> warnings)
    {
        _root = Path.GetFullPath(root);
        Kind = isHost ? SourceKind.Host : SourceKind.Directory;
        Location = root;
        _warnings = warnings;
        _excluded = isHost ? HostExclusions() : [];
        Layers = [new LayerDescriptor(0, null, null, null, 0, _root)];
    }

    public SourceKind Kind { get; }

    public string Location { get; }

    public ImageConfig? Config => null;

    public IReadOnlyList<LayerDescriptor> Layers { get; }

    public long? ManifestBytes => null;

    public long? ConfigBytes => null;

    public string? ManifestDigest => null;

    public bool InterpretWhiteouts => false;

    /// <summary>Mount points skipped on the host, for the report.</summary>
    public IReadOnlyCollection<string> Excluded => _excluded;

    public ILayerReader OpenLayer(LayerDescriptor layer, LayerReadOptions options) => new ViewLayerReader(OpenView());

    /// <summary>The directory as a view read from disk during the walk (no tree held in memory).</summary>
    public IFileSystemView OpenView() => new DiskView(_root, _excluded.Count == 0 ? _ => false : _excluded.Contains, _warnings);

    public void Dispose()
    {
    }

    /// <summary>/proc, /sys, /dev, /run and every mount of a pseudo filesystem (from /proc/self/mountinfo).</summary>
    internal static HashSet<string> HostExclusions()
    {
        var set = new HashSet<string>(AlwaysSkippedOnHost, StringComparer.Ordinal);
        try
        {
            foreach (var line in File.ReadLines("/proc/self/mountinfo"))
            {
                // "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw" (proc(5)): field 5 is the
                // mount point, the fs type follows the " - " separator.
                var sep = line.IndexOf(" - ", StringComparison.Ordinal);
                var fields = line.Split(' ');
                if (sep < 0 || fields.Length < 5)
                {
                    continue;
                }

                var fsType = line[(sep + 3)..].Split(' ')[0];
                if (PseudoFilesystems.Contains(fsType) || fsType.StartsWith("fuse.", StringComparison.Ordinal))
                {
                    set.Add(Unescape(fields[4]));
                }
            }
        }
        catch (IOException)
        {
        }

        set.Remove("/");

        // A mount inside an excluded tree (/sys/fs/cgroup under /sys) is never reached: list only the outermost.
        set.RemoveWhere(p => set.Any(q => p.Length > q.Length && p.StartsWith(q + "/", StringComparison.Ordinal)));
        return set;
    }

    private static string Unescape(string mountPoint)
        => mountPoint.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);
}
