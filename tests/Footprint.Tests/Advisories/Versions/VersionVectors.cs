using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Advisories.Versions;

/// <summary>
/// Reads the upstream version test vectors in ../shared/corpus/version-vectors (README.md there says where each file
/// comes from). Three line shapes: "a OP b" (apk, OSV), "a b expected" (dpkg's Dpkg_Version.t) and
/// "RPMVERCMP(a, b, expected)" (rpm's rpmvercmp.at); apk 3's file also has bare "version" / "!version" validity lines.
/// </summary>
internal static class VersionVectors
{
    public sealed record Pair(string File, int Line, string A, string Operator, string B)
    {
        public override string ToString() => $"{File}:{Line}: {A} {Operator} {B}";
    }

    public sealed record Validity(string File, int Line, string Version, bool Valid);

    public static string PathOf(string file) => Repo.CorpusFile(Path.Combine("version-vectors", file));

    /// <summary>"a OP b" lines; '#' starts a comment; blank and one-word lines are skipped.</summary>
    public static List<Pair> OperatorPairs(string file)
    {
        var pairs = new List<Pair>();
        var lines = File.ReadAllLines(PathOf(file));
        for (var i = 0; i < lines.Length; i++)
        {
            var text = StripComment(lines[i]);
            var words = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 3)
            {
                pairs.Add(new Pair(file, i + 1, words[0], words[1], words[2]));
            }
            else if (words.Length > 1)
            {
                throw new InvalidOperationException($"{file}:{i + 1}: unexpected line '{lines[i]}'");
            }
        }

        return pairs;
    }

    /// <summary>apk 3's one-word lines: "1.2" must be valid, "!0.1bc" invalid.</summary>
    public static List<Validity> ValidityLines(string file)
    {
        var result = new List<Validity>();
        var lines = File.ReadAllLines(PathOf(file));
        for (var i = 0; i < lines.Length; i++)
        {
            var words = StripComment(lines[i]).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 1)
            {
                var valid = !words[0].StartsWith('!');
                result.Add(new Validity(file, i + 1, valid ? words[0] : words[0][1..], valid));
            }
        }

        return result;
    }

    /// <summary>"a b expected" with expected -1, 0 or 1, as "a OP b".</summary>
    public static List<Pair> ExpectedPairs(string file)
    {
        var pairs = new List<Pair>();
        var lines = File.ReadAllLines(PathOf(file));
        for (var i = 0; i < lines.Length; i++)
        {
            var words = lines[i].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            pairs.Add(new Pair(file, i + 1, words[0], Operator(int.Parse(words[2], System.Globalization.CultureInfo.InvariantCulture)), words[1]));
        }

        return pairs;
    }

    /// <summary>"RPMVERCMP(a, b, expected)" lines, as "a OP b".</summary>
    public static List<Pair> RpmvercmpPairs(string file)
    {
        var pairs = new List<Pair>();
        var lines = File.ReadAllLines(PathOf(file));
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith("RPMVERCMP(", StringComparison.Ordinal) || !line.EndsWith(')'))
            {
                continue;
            }

            var args = line["RPMVERCMP(".Length..^1].Split(", ");
            pairs.Add(new Pair(file, i + 1, args[0], Operator(int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)), args[1]));
        }

        return pairs;
    }

    public static string Operator(int order) => order < 0 ? "<" : order > 0 ? ">" : "=";

    private static string StripComment(string line)
    {
        var hash = line.IndexOf('#', StringComparison.Ordinal);
        return hash >= 0 ? line[..hash] : line;
    }
}
