namespace Footprint.Analyzers.Packages;

/// <summary>
/// The deb822 control format shared by dpkg's status, status.d files and opkg's status (deb-control(5),
/// "Field: value" lines; a line starting with space or tab continues the previous field; blank lines separate
/// stanzas). A line that is neither is recorded as an unknown and skipped: dpkg would refuse the whole
/// file, but an inventory is more useful when it keeps the other records.
/// </summary>
internal static class ControlStanzas
{
    public static List<ControlStanza> Parse(string displayPath, string text, List<PackageUnknown> unknowns)
    {
        var stanzas = new List<ControlStanza>();
        Dictionary<string, string>? fields = null;
        var start = 0;
        string? last = null;
        foreach (var (number, line) in DatabaseText.Lines(text))
        {
            if (line.Trim().Length == 0)
            {
                Flush();
                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (fields is null || last is null)
                {
                    unknowns.Add(new PackageUnknown(displayPath, number, "continuation line outside a field"));
                    continue;
                }

                fields[last] = fields[last] + "\n" + line.Trim();
                continue;
            }

            if (line[0] == '#')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line.AsSpan(0, colon).ContainsAny(' ', '\t'))
            {
                unknowns.Add(new PackageUnknown(displayPath, number, "not a 'Field: value' line"));
                last = null;
                continue;
            }

            if (fields is null)
            {
                fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                start = number;
            }

            var name = line[..colon];
            if (fields.ContainsKey(name))
            {
                unknowns.Add(new PackageUnknown(displayPath, number, $"field '{name}' repeated in one record (first kept)"));
                last = null;
                continue;
            }

            fields[name] = line[(colon + 1)..].Trim();
            last = name;
        }

        Flush();
        return stanzas;

        void Flush()
        {
            if (fields is not null)
            {
                stanzas.Add(new ControlStanza(start, fields));
            }

            fields = null;
            last = null;
        }
    }

    /// <summary>dpkg's Status field is "want flag status" (dpkg-query(1)); returns the third word, or null.</summary>
    public static string? CurrentState(string? status)
    {
        var words = status?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words is { Length: 3 } ? words[2] : null;
    }

    /// <summary>
    /// Whether a package's files are on disk. dpkg-query -W lists every package except not-installed
    /// ones; a "config-files" package has only its conffiles left, so it is not counted as installed here
    /// (the tests check this against dpkg-query's own ${db:Status-Status}).
    /// </summary>
    public static bool IsInstalledState(string state) => state is "installed" or "half-installed" or "unpacked" or "half-configured" or "triggers-awaited" or "triggers-pending";

    /// <summary>Splits a relationship field ("a (>= 1), b | c") into its comma-separated items.</summary>
    public static IReadOnlyList<string> SplitDepends(params string?[] fields)
    {
        var list = new List<string>();
        foreach (var f in fields)
        {
            if (f is null)
            {
                continue;
            }

            foreach (var item in f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                list.Add(item.Replace('\n', ' '));
            }
        }

        return list;
    }

    /// <summary>Parses a non-negative decimal size; null on anything else (never throws, never trusts it for allocation).</summary>
    public static long? ParseSize(string? value, long multiplier)
    {
        if (value is null || !long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        return n > long.MaxValue / multiplier ? null : n * multiplier;
    }

    /// <summary>Paths of a .list file (one absolute path per line, "/." for the root) as image-relative paths.</summary>
    /// <remarks>A host's lists hold 150k lines: each is looked at in place and becomes one string.</remarks>
    public static List<string> ListFile(string text)
    {
        var files = new List<string>();
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            var line = DatabaseText.NextLine(ref rest);
            var tab = line.IndexOf('\t');
            var path = FileSystem.ImagePath.Normalize(tab < 0 ? line : line[..tab]);
            if (!string.IsNullOrEmpty(path))
            {
                files.Add(path);
            }
        }

        return files;
    }
}
