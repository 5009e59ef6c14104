using System.Text;

namespace Footprint.Analyzers.Packages;

/// <summary>
/// Builds package URLs per the purl spec (github.com/package-url/purl-spec, PURL-SPECIFICATION.rst):
/// pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS. Name, version and qualifier values are percent-encoded
/// (everything but the RFC 3986 unreserved set, so Debian's "+" becomes %2B and ":" becomes %3A);
/// qualifiers with empty values are dropped and the rest sorted by key, as the spec requires.
/// </summary>
public static class PackageUrl
{
    public static string Build(string type, string? @namespace, string name, string? version, IEnumerable<KeyValuePair<string, string?>>? qualifiers = null)
    {
        var sb = new StringBuilder("pkg:").Append(type.ToLowerInvariant()).Append('/');
        if (!string.IsNullOrEmpty(@namespace))
        {
            foreach (var segment in @namespace.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                sb.Append(Encode(segment)).Append('/');
            }
        }

        sb.Append(Encode(name));
        if (!string.IsNullOrEmpty(version))
        {
            sb.Append('@').Append(Encode(version));
        }

        var sorted = (qualifiers ?? []).Where(q => !string.IsNullOrEmpty(q.Value))
            .Select(q => (Key: q.Key.ToLowerInvariant(), Value: q.Value!))
            .OrderBy(q => q.Key, StringComparer.Ordinal)
            .ToList();
        for (var i = 0; i < sorted.Count; i++)
        {
            sb.Append(i == 0 ? '?' : '&').Append(sorted[i].Key).Append('=').Append(Encode(sorted[i].Value));
        }

        return sb.ToString();
    }

    /// <summary>Percent-encodes UTF-8 bytes outside A-Z a-z 0-9 . - _ ~ with upper-case hex.</summary>
    public static string Encode(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' or '_' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
