namespace Footprint.FileSystem;

/// <summary>
/// Normalizes archive member names to image-relative paths ("usr/bin/env", root = "").
/// Names that climb out of the root ("../x", "a/../../x") are rejected, not clamped: an entry
/// that tries to escape is hostile or broken and the caller records a warning for it.
/// </summary>
public static class ImagePath
{
    /// <summary>Returns the normalized path, or null when the name escapes the root.</summary>
    public static string? Normalize(string name)
    {
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

    /// <summary>True when a name is absolute ("/etc/passwd"): tar writers strip the slash, so its presence is noteworthy.</summary>
    public static bool IsAbsolute(string name) => name.StartsWith('/');

    public static string Parent(string path)
    {
        var i = path.LastIndexOf('/');
        return i < 0 ? string.Empty : path[..i];
    }

    public static string FileName(string path)
    {
        var i = path.LastIndexOf('/');
        return i < 0 ? path : path[(i + 1)..];
    }

    public static string Combine(string dir, string name) => dir.Length == 0 ? name : dir + "/" + name;
}
