using System.Text;
using Footprint.FileSystem;
using Footprint.Reports;
using Footprint.Walk;

namespace Footprint.Analyzers.Identity;

/// <summary>
/// Which distribution this is: os-release (freedesktop os-release(5): KEY=value lines, values
/// optionally quoted) and each distro's own release file, which often carries a more exact version.
/// </summary>
public sealed class OsIdentityAnalyzer : IAnalyzer
{
    /// <summary>Files read, in order of preference. os-release is looked up through symlinks (Debian links etc/ to usr/lib/).</summary>
    public static readonly IReadOnlyList<string> OsReleasePaths = ["etc/os-release", "usr/lib/os-release"];

    /// <summary>Distro files with their own version, path -> what they identify.</summary>
    public static readonly IReadOnlyDictionary<string, string> DistroFiles = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["etc/alpine-release"] = "alpine",
        ["etc/debian_version"] = "debian",
        ["etc/openwrt_release"] = "openwrt",
        ["usr/share/doc/tc/release.txt"] = "tinycore",
        ["etc/slackware-version"] = "slackware",
        ["etc/redhat-release"] = "rhel",
        ["etc/lsb-release"] = "lsb",
        ["etc/slitaz-release"] = "slitaz",
        ["etc/DISTRO_SPECS"] = "puppy",
    };

    private const int MaxReleaseFileBytes = 64 << 10;

    private readonly Dictionary<string, (string Text, int Layer)> _files = new(StringComparer.Ordinal);

    public string Id => "os-identity";

    public int Version => 1;

    public ContentNeed Required(string path, FsNode node)
        => node.Kind == Formats.FileKind.Regular && node.SizeBytes <= MaxReleaseFileBytes && (IsOsRelease(path) || DistroFiles.ContainsKey(path))
            ? ContentNeed.Whole
            : ContentNeed.None;

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        if (content is null)
        {
            return;
        }

        using var s = content.Open();
        using var reader = new StreamReader(s, Encoding.UTF8);
        _files[path] = (reader.ReadToEnd(), node.Data?.LayerIndex ?? node.LayerIndex);
    }

    public OsReport? Result(IFileSystemView fs)
    {
        var evidence = new List<Evidence>();
        Dictionary<string, string>? osRelease = null;
        foreach (var candidate in OsReleasePaths)
        {
            string resolved;
            try
            {
                if (fs.Resolve(candidate, followFinal: true, out resolved) is null)
                {
                    continue;
                }
            }
            catch (SymlinkLoopException)
            {
                continue;
            }

            if (_files.TryGetValue(resolved, out var f))
            {
                osRelease = ParseKeyValues(f.Text);
                evidence.Add(new Evidence("/" + candidate, f.Layer, resolved == candidate ? "os-release" : $"os-release (via symlink to /{resolved})"));
                break;
            }
        }

        string? distroVersion = null;
        string? distroId = null;
        foreach (var (path, id) in DistroFiles)
        {
            if (!_files.TryGetValue(path, out var f) || id == "lsb")
            {
                continue;
            }

            var version = id switch
            {
                "openwrt" => ParseKeyValues(f.Text).GetValueOrDefault("DISTRIB_RELEASE"),
                "puppy" => ParseKeyValues(f.Text).GetValueOrDefault("DISTRO_VERSION"),
                _ => f.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(),
            };
            if (version is null)
            {
                continue;
            }

            distroId ??= id;
            distroVersion ??= version;
            evidence.Add(new Evidence("/" + path, f.Layer, $"{id} release file: {version}"));
        }

        if (osRelease is null && distroId is null)
        {
            return null;
        }

        return new OsReport
        {
            Id = osRelease?.GetValueOrDefault("ID") ?? distroId,
            Name = osRelease?.GetValueOrDefault("NAME"),
            Version = osRelease?.GetValueOrDefault("VERSION"),
            VersionId = osRelease?.GetValueOrDefault("VERSION_ID"),
            PrettyName = osRelease?.GetValueOrDefault("PRETTY_NAME"),
            DistroVersion = distroVersion,
            Evidence = evidence,
        };
    }

    private static bool IsOsRelease(string path) => path is "etc/os-release" or "usr/lib/os-release";

    /// <summary>Parses KEY=value lines (os-release, openwrt_release, DISTRO_SPECS): quotes removed, shell escapes undone, never executed.</summary>
    public static Dictionary<string, string> ParseKeyValues(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var eq = line.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }

            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            result[key] = value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\$", "$", StringComparison.Ordinal)
                .Replace("\\`", "`", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        }

        return result;
    }
}
