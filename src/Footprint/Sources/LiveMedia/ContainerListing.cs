namespace Footprint.Sources.LiveMedia;

/// <summary>The regular files of a container (ISO 9660, FAT, a directory) as the distro rules see them.</summary>
public sealed class ContainerListing
{
    /// <summary>Largest configuration or list file the rules read (onboot.lst, isolinux.cfg...).</summary>
    public const int MaxTextBytes = 256 * 1024;

    private readonly Dictionary<string, long> _files;
    private readonly Dictionary<string, string> _byLower;
    private readonly Func<string, string?> _readText;

    public ContainerListing(IEnumerable<KeyValuePair<string, long>> files, Func<string, string?> readText)
    {
        _files = new Dictionary<string, long>(StringComparer.Ordinal);
        _byLower = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, size) in files)
        {
            _files[path] = size;
            _byLower.TryAdd(path.ToLowerInvariant(), path);
        }

        _readText = readText;
    }

    public IReadOnlyDictionary<string, long> Files => _files;

    /// <summary>The path as stored, found exactly or else case-insensitively (FAT, plain ISO 9660 names).</summary>
    public string? Find(string path)
    {
        var p = path.TrimStart('/');
        return _files.ContainsKey(p) ? p : _byLower.GetValueOrDefault(p.ToLowerInvariant());
    }

    public long Size(string path) => _files.GetValueOrDefault(path);

    /// <summary>Files directly in <paramref name="directory"/> whose name ends with <paramref name="suffix"/> (case-insensitive), sorted by name (ordinal, as `ls | sort` in the C locale).</summary>
    public IReadOnlyList<string> In(string directory, string suffix)
    {
        var dir = directory.Trim('/');
        var prefix = dir.Length == 0 ? "" : dir + "/";
        return _files.Keys
            .Where(p => p.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && p.IndexOf('/', prefix.Length) < 0 && p.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p[prefix.Length..], StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>True when some file lies under <paramref name="directory"/>.</summary>
    public bool HasDirectory(string directory)
    {
        var prefix = directory.Trim('/') + "/";
        return _files.Keys.Any(p => p.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A small text file's content (at most <see cref="MaxTextBytes"/>), or null when absent.</summary>
    public string? ReadText(string path) => Find(path) is { } p ? _readText(p) : null;
}
