using System.Text;
using Footprint.FileSystem;
using Footprint.Walk;

namespace Footprint.Analyzers.Identity;

/// <summary>
/// Which distribution this is: os-release (freedesktop os-release(5): KEY=value lines, values
/// optionally quoted) and each distro's own release file, which often carries a more exact version.
/// </summary>
public sealed class OsIdentityAnalyzer : IAnalyzer, IProducer<OsIdentity>
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

    public OsIdentity Produce(AnalysisContext context) => new(Result(context.View), Claims);

    /// <summary>
    /// Files read only to check or complete the release: OpenWrt's version file, and the copies apk leaves beside a
    /// release file that was edited locally when a newer package would have replaced it (".apk-new").
    /// </summary>
    public static readonly IReadOnlyList<string> SideFiles = ["etc/openwrt_version", "etc/os-release.apk-new", "usr/lib/os-release.apk-new", "etc/alpine-release.apk-new"];

    public ContentNeed Required(string path, FsNode node)
        => node.Kind == Formats.FileKind.Regular && node.SizeBytes <= MaxReleaseFileBytes && (IsOsRelease(path) || DistroFiles.ContainsKey(path) || SideFiles.Contains(path))
            ? ContentNeed.Whole
            : ContentNeed.None;

    /// <summary>The versions each release file states, gathered by <see cref="Result"/> for <see cref="ReleaseConsistency"/>.</summary>
    public IReadOnlyList<ReleaseConsistency.Claim> Claims { get; private set; } = [];

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

        var osId = osRelease?.GetValueOrDefault("ID");
        var claims = new List<ReleaseConsistency.Claim>();
        if (osRelease?.GetValueOrDefault("VERSION_ID") is { } versionId && ReleaseVersion.IsNumeric(versionId))
        {
            claims.Add(new ReleaseConsistency.Claim(evidence[0].Path, $"VERSION_ID={versionId}", versionId));
        }

        string? fileVersion = null;
        string? distroId = null;
        string? ownVersion = null;
        string? codename = osRelease is null ? null : ReleaseVersion.OsReleaseCodename(osRelease);
        foreach (var (path, id) in DistroFiles)
        {
            if (!_files.TryGetValue(path, out var f) || id == "lsb")
            {
                continue;
            }

            var keyValues = id is "openwrt" or "puppy" ? ParseKeyValues(f.Text) : null;
            var version = id switch
            {
                "openwrt" => ReleaseVersion.OpenWrt(keyValues!, _files.GetValueOrDefault("etc/openwrt_version").Text),
                "puppy" => keyValues!.GetValueOrDefault("DISTRO_VERSION"),
                _ => FirstLine(f.Text),
            };
            if (version is null)
            {
                continue;
            }

            distroId ??= id;
            fileVersion ??= version;
            if (id == "openwrt")
            {
                codename ??= ReleaseVersion.OpenWrtCodename(keyValues!);
            }

            // A file of the distribution os-release names (or of the only one there is) states its release; Ubuntu's
            // /etc/debian_version ("bookworm/sid") names the Debian it was branched from, not Ubuntu's release.
            if (osId is null || osId == id)
            {
                ownVersion ??= version;
                if (ReleaseVersion.IsNumeric(version))
                {
                    claims.Add(new ReleaseConsistency.Claim("/" + path, version, version));
                }
            }

            var written = keyValues?.GetValueOrDefault("DISTRIB_RELEASE");
            evidence.Add(new Evidence("/" + path, f.Layer, id == "openwrt" && written != version
                ? $"openwrt release file: {version} (DISTRIB_RELEASE={written}, DISTRIB_DESCRIPTION={keyValues!.GetValueOrDefault("DISTRIB_DESCRIPTION")})"
                : $"{id} release file: {version}"));
        }

        if (_files.TryGetValue("etc/openwrt_version", out var openwrtVersion) && distroId == "openwrt")
        {
            evidence.Add(new Evidence("/etc/openwrt_version", openwrtVersion.Layer, $"openwrt version file: {FirstLine(openwrtVersion.Text)}"));
        }

        foreach (var path in SideFiles.Where(p => p.EndsWith(".apk-new", StringComparison.Ordinal)))
        {
            if (!_files.TryGetValue(path, out var f))
            {
                continue;
            }

            var stated = path.Contains("os-release", StringComparison.Ordinal) ? ParseKeyValues(f.Text).GetValueOrDefault("VERSION_ID") : FirstLine(f.Text);
            if (ReleaseVersion.IsNumeric(stated))
            {
                claims.Add(new ReleaseConsistency.Claim("/" + path, path.Contains("os-release", StringComparison.Ordinal) ? $"VERSION_ID={stated}" : stated!, stated!));
                evidence.Add(new Evidence("/" + path, f.Layer, $"release file a newer package would have installed: {stated}"));
            }
        }

        Claims = claims;
        if (osRelease is null && distroId is null)
        {
            return null;
        }

        // The exact release: the distribution's own file when it is a number, else os-release's VERSION when it refines
        // VERSION_ID (Ubuntu), else whatever the distro file says ("Bleeding Edge" on an OpenWrt trunk build).
        var exact = ReleaseVersion.IsNumeric(ownVersion) ? ownVersion
            : (osRelease is null ? null : ReleaseVersion.FromVersionField(osRelease)) ?? ownVersion ?? fileVersion;
        return new OsReport
        {
            Id = osId ?? distroId,
            Name = osRelease?.GetValueOrDefault("NAME"),
            Version = osRelease?.GetValueOrDefault("VERSION"),
            VersionId = osRelease?.GetValueOrDefault("VERSION_ID"),
            PrettyName = osRelease?.GetValueOrDefault("PRETTY_NAME"),
            DistroVersion = exact,
            Codename = codename,
            Evidence = evidence,
        };
    }

    private static string? FirstLine(string? text)
        => text?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

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
