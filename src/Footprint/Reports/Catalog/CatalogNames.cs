namespace Footprint.Reports.Catalog;

/// <summary>Entry names: printable, one line, at most <see cref="MaxLength"/> characters, so a table and a shell can show them.</summary>
public static class CatalogNames
{
    public const int MaxLength = 128;

    /// <summary>Whether <paramref name="name"/> is a valid entry name: 1-128 characters of letters, digits and . _ - + : @ /.</summary>
    public static bool IsValid(string name)
        => name.Length is > 0 and <= MaxLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+' or ':' or '@' or '/');

    /// <summary>A valid name made from <paramref name="text"/>: other characters become '_', cut to the maximum length.</summary>
    public static string Clean(string text)
    {
        var cleaned = new string(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+' or ':' or '@' or '/' ? c : '_').ToArray());
        cleaned = cleaned.Length > MaxLength ? cleaned[..MaxLength] : cleaned;
        return cleaned.Length == 0 ? "unnamed" : cleaned;
    }
}
