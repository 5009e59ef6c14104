using System.Globalization;
using System.Text;
using Footprint.Formats;

namespace Footprint.Advisories.Vex;

/// <summary>
/// Reads an ignore list: one vulnerability id per line, then optionally a scope (a package URL starting with
/// <c>pkg:</c>, or a binary package name) and trivy's <c>exp:YYYY-MM-DD</c> expiry, in any order after the id; '#'
/// starts a comment, at the start of a line or after whitespace, and the comment of an entry's line is kept as its
/// detail. This is trivy's <c>.trivyignore</c> (an id per line, # comments, exp:) plus the scope. Any other word after
/// the id and scope is refused: a free-text reason without '#' would otherwise become the scope and match nothing.
/// The text must be UTF-8 without NUL bytes.
/// </summary>
public static class IgnoreListReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static List<VexStatement> Read(ReadOnlySpan<byte> bytes, string file)
    {
        if (bytes.IndexOf((byte)0) is var nul and >= 0)
        {
            throw new FootprintFormatException(file, nul, "not a text file (NUL byte)");
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new FootprintFormatException(file, e.Index >= 0 ? e.Index : null, "not UTF-8 text");
        }

        var statements = new List<VexStatement>();
        var lineNumber = 0;
        // Lines end at LF (CR LF too), nothing else: EnumerateLines would also break at U+0085, U+2028 and form feeds,
        // and then disagree with every editor about the line numbers in our messages.
        foreach (var range in text.AsSpan().Split('\n'))
        {
            lineNumber++;
            var line = text.AsSpan()[range].TrimEnd('\r').Trim(" \t");
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            string? comment = null;
            var words = new List<string>();
            var rest = line;
            while (!rest.IsEmpty)
            {
                var end = rest.IndexOfAny(' ', '\t');
                var word = end < 0 ? rest : rest[..end];
                if (word[0] == '#')
                {
                    comment = rest[1..].Trim(" \t").ToString();
                    break;
                }

                words.Add(word.ToString());
                rest = end < 0 ? [] : rest[end..].TrimStart(" \t");
            }

            var where = $"line {lineNumber}";
            VexProduct? scope = null;
            DateOnly? expires = null;
            foreach (var word in words.Skip(1))
            {
                if (word.StartsWith("exp:", StringComparison.Ordinal))
                {
                    expires = DateOnly.TryParseExact(word[4..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
                        : throw new FootprintFormatException(file, null, $"{where}: not a date (exp:YYYY-MM-DD): '{Feeds.FeedNode.Clip(word)}'");
                }
                else if (scope is null)
                {
                    scope = word.StartsWith("pkg:", StringComparison.OrdinalIgnoreCase)
                        ? new VexProduct(PackageUrl.TryParse(word) ?? throw new FootprintFormatException(file, null, $"{where}: not a package URL: '{Feeds.FeedNode.Clip(word)}'"), null)
                        : new VexProduct(null, word);
                }
                else
                {
                    throw new FootprintFormatException(file, null, $"{where}: unexpected '{Feeds.FeedNode.Clip(word)}' after the id and scope (a comment starts with #)");
                }
            }

            statements.Add(new VexStatement([words[0]], scope is null ? [] : [scope], AllPackages: scope is null, "ignored", null, comment, file, where, expires));
        }

        return statements;
    }
}
