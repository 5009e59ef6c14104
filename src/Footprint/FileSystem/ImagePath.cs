using System.Text;

namespace Footprint.FileSystem;

/// <summary>
/// Normalizes archive member names to image-relative paths ("usr/bin/env", root = "").
/// Names that climb out of the root ("../x", "a/../../x") are rejected, not clamped: an entry
/// that tries to escape is hostile or broken and the caller records a warning for it.
/// </summary>
public static class ImagePath
{
    /// <summary>
    /// Deepest path an entry may have. Linux's PATH_MAX is 4096 bytes including the NUL
    /// (include/uapi/linux/limits.h), so a path any program can open has at most 2048 components ("a/a/.../a");
    /// twice that leaves room for trees only reachable with openat(2) while keeping hostile depth bounded: every
    /// node on a path is visited with its full path, so the walk's cost grows with depth times length.
    /// </summary>
    public const int MaxComponents = 4096;

    /// <summary>
    /// Longest path (UTF-8 bytes) an entry may have: four times PATH_MAX (4096). A longer path, or one very long
    /// name (NAME_MAX is 255 bytes on ext4, xfs and btrfs), cannot be a file any Linux program opened by its path.
    /// </summary>
    public const int MaxPathBytes = 4 * 4096;

    /// <summary>
    /// Longest symlink target (UTF-8 bytes): symlink(2) refuses targets of PATH_MAX (4096) bytes or more with
    /// ENAMETOOLONG, so no Linux file system holds a longer one.
    /// </summary>
    public const int MaxLinkTargetBytes = 4095;

    /// <summary>Characters of an over-long name kept when it is quoted in a warning.</summary>
    private const int QuotedChars = 120;

    /// <summary>Returns the normalized path, or null when the name escapes the root.</summary>
    public static string? Normalize(string name)
    {
        if (IsNormal(name))
        {
            // The common case ("usr/bin/env"): nothing to drop, so no copy (this runs once or twice per entry).
            return name;
        }

        if (Trimmed(name) is { } trimmed)
        {
            return trimmed;
        }

        var parts = new List<string>();
        foreach (var segment in name.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(segment);
        }

        return string.Join('/', parts);
    }

    /// <summary>
    /// <see cref="Normalize(string)"/> of a name looked at in place (a line of a package's file list): a name already
    /// normal, or normal but for what tar writers add around it ("/usr/bin/env"), becomes one string and is not split and joined.
    /// </summary>
    public static string? Normalize(ReadOnlySpan<char> name) =>
        IsNormal(name) ? name.ToString() : Trimmed(name) ?? Normalize(name.ToString());

    /// <summary>
    /// The name without what tar writers add around a normal one ("./usr/bin/env", "/usr/bin/env", "./usr/bin/"), as one
    /// substring instead of a split and a join (docker save and mmdebstrap write every name with "./"); null when
    /// there is nothing to trim or the rest is not normal either.
    /// </summary>
    private static string? Trimmed(ReadOnlySpan<char> name)
    {
        var trimmed = TrimEnds(name);
        return trimmed.Length < name.Length && IsNormal(trimmed) ? trimmed.ToString() : null;
    }

    /// <summary>A name without its leading "./" and "/" runs and its trailing "/" (and "." alone as the root).</summary>
    private static ReadOnlySpan<char> TrimEnds(ReadOnlySpan<char> name)
    {
        while (true)
        {
            if (name.StartsWith("./", StringComparison.Ordinal))
            {
                name = name[2..];
            }
            else if (name.StartsWith('/'))
            {
                name = name[1..];
            }
            else
            {
                break;
            }
        }

        name = name.TrimEnd('/');
        return name is "." ? [] : name;
    }

    /// <summary>True when a name is absolute ("/etc/passwd"): tar writers strip the slash, so its presence is noteworthy.</summary>
    public static bool IsAbsolute(string name) => name.StartsWith('/');

    /// <summary>Number of components of a normalized path ("" has none).</summary>
    public static int ComponentCount(string path) => path.Length == 0 ? 0 : path.AsSpan().Count('/') + 1;

    /// <summary>
    /// Why a normalized path is beyond <see cref="MaxComponents"/> or <see cref="MaxPathBytes"/>, or null when it is
    /// within both. Linear in the path's length.
    /// </summary>
    public static string? ExceedsLimits(string path)
    {
        var components = ComponentCount(path);
        if (components > MaxComponents)
        {
            return $"{components} components, more than the {MaxComponents} allowed";
        }

        // UTF-8 takes at most 3 bytes per UTF-16 char: short paths need no counting.
        if (path.Length > MaxPathBytes / 3 && Encoding.UTF8.GetByteCount(path) is var bytes && bytes > MaxPathBytes)
        {
            return $"{bytes} bytes long, more than the {MaxPathBytes} allowed";
        }

        return null;
    }

    /// <summary>True when a symlink target is longer than <see cref="MaxLinkTargetBytes"/>.</summary>
    public static bool IsTooLongLinkTarget(string target)
        => target.Length > MaxLinkTargetBytes / 3 && Encoding.UTF8.GetByteCount(target) > MaxLinkTargetBytes;

    /// <summary>A name cut to its first characters, for warnings about names too long to print whole.</summary>
    public static string Abbreviate(string name)
        => name.Length <= QuotedChars ? name : $"{name[..QuotedChars]}... ({name.Length} characters)";

    public static string Parent(string path)
    {
        var i = path.LastIndexOf('/');
        return i < 0 ? string.Empty : path[..i];
    }

    /// <summary>
    /// True when <paramref name="path"/>'s parent is one of <paramref name="directories"/>: what
    /// <c>directories.Contains(Parent(path))</c> says, without the substring. Analyzers ask it for every file of
    /// every layer, where the allocation showed in profiles.
    /// </summary>
    public static bool ParentIsAny(string path, IReadOnlyList<string> directories)
    {
        for (var i = 0; i < directories.Count; i++)
        {
            if (ParentIs(path, directories[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="path"/>'s parent is <paramref name="directory"/> (<c>Parent(path) == directory</c>).</summary>
    public static bool ParentIs(string path, string directory)
        => path.AsSpan(0, Math.Max(0, path.LastIndexOf('/'))).SequenceEqual(directory);

    public static string FileName(string path)
    {
        var i = path.LastIndexOf('/');
        return i < 0 ? path : path[(i + 1)..];
    }

    public static string Combine(string dir, string name) => dir.Length == 0 ? name : dir + "/" + name;

    /// <summary>True when <see cref="Normalize(string)"/> would return the name unchanged: no empty, "." or ".." component.</summary>
    public static bool IsNormal(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return true;
        }

        while (true)
        {
            var end = name.IndexOf('/');
            var component = end < 0 ? name : name[..end];
            if (component.IsEmpty || component is "." or "..")
            {
                return false;
            }

            if (end < 0)
            {
                return true;
            }

            name = name[(end + 1)..];
        }
    }
}
