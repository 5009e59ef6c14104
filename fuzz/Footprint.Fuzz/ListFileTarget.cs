using Footprint.Cli.Commands;

namespace Footprint.Fuzz;

/// <summary>
/// `measure --list FILE`: the list reader. Whatever the bytes: it returns inputs, or refuses a line longer than
/// <see cref="FleetRun.MaxListLineChars"/> with a <see cref="FormatException"/> (and only then); every input is
/// non-empty, trimmed, on one line and not a comment, and there are no more inputs than lines.
/// </summary>
internal static class ListFileTarget
{
    private static string? _file;

    internal static void Fuzz(byte[] input)
    {
        _file ??= Path.Combine(Path.GetTempPath(), $"footprint-fuzz-list-{Environment.ProcessId}");
        File.WriteAllBytes(_file, input);
        var text = File.ReadAllText(_file);
        var lines = text.Split(["\r\n", "\r", "\n"], StringSplitOptions.None);
        IReadOnlyList<string> inputs;
        try
        {
            inputs = FleetRun.ReadList(_file);
        }
        catch (FormatException)
        {
            if (lines.All(l => l.Length <= FleetRun.MaxListLineChars))
            {
                throw new InvalidOperationException("a list without an over-long line was refused");
            }

            return;
        }

        if (inputs.Count > lines.Length)
        {
            throw new InvalidOperationException($"{inputs.Count} inputs from {lines.Length} lines");
        }

        foreach (var i in inputs)
        {
            if (i.Length == 0 || i != i.Trim() || i.Contains('\n', StringComparison.Ordinal) || i.Contains('\r', StringComparison.Ordinal) || i[0] == '#')
            {
                throw new InvalidOperationException($"input '{i}'");
            }
        }

        // The same inputs as the reference split (TextReader.ReadLine's line ends), in order.
        var expected = lines.Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#').ToList();
        if (!expected.SequenceEqual(inputs))
        {
            throw new InvalidOperationException("the inputs differ from a plain line split");
        }
    }
}
