using System.Text.RegularExpressions;

namespace Footprint.Tests.Formats.Elf;

/// <summary>
/// What binutils' readelf (<c>-hldSW --dyn-syms -V -n</c>, and <c>-p .comment</c>) and file(1) say about one ELF
/// file, in <see cref="ElfFacts"/>' vocabulary, so a test can compare every field with Footprint's reader.
/// </summary>
internal static partial class ReadelfTruth
{
    /// <summary>readelf's e_machine descriptions (binutils elfcomm/readelf.c get_machine_name) for the machines of our corpora.</summary>
    private static readonly Dictionary<string, int> MachineCodes = new(StringComparer.Ordinal)
    {
        ["Advanced Micro Devices X86-64"] = 62,
        ["Intel 80386"] = 3,
        ["AArch64"] = 183,
        ["ARM"] = 40,
        ["MIPS R3000"] = 8,
        ["RISC-V"] = 243,
        ["PowerPC64"] = 21,
        ["PowerPC"] = 20,
        ["IBM S/390"] = 22,
    };

    public static ElfFacts Read(string file)
    {
        var text = ExternalTools.Bash("/", $"LC_ALL=C readelf -hldSW --dyn-syms -V -n '{file}' 2>/dev/null || true");
        var comment = ExternalTools.Bash("/", $"LC_ALL=C readelf -p .comment '{file}' 2>/dev/null || true");
        var fileSays = ExternalTools.Bash("/", $"LC_ALL=C file -b '{file}'").Trim();

        // -D reads the symbols through the dynamic segment, so sstrip'ed files (no section headers) have them too.
        var dynamicSymbols = ExternalTools.Bash("/", $"LC_ALL=C readelf -D -W -s '{file}' 2>/dev/null || true");
        var facts = new ElfFacts();
        foreach (var line in dynamicSymbols.Split('\n'))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 8 && words[0].EndsWith(':') && words[6] == "UND")
            {
                facts.Imports.Add(words[7].Split('@')[0]);
            }
        }

        string? block = null;
        string? need = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (Field(line, "Class:") is { } cls)
            {
                facts.Bits = cls == "ELF64" ? 64 : 32;
            }
            else if (Field(line, "Data:") is { } data)
            {
                facts.BigEndian = data.Contains("big endian", StringComparison.Ordinal);
            }
            else if (Field(line, "Type:") is { } type && facts.Type is null)
            {
                facts.Type = type.Split(' ')[0];
                facts.PieFlag = type.Contains("Position-Independent", StringComparison.Ordinal);
            }
            else if (Field(line, "Machine:") is { } machine)
            {
                facts.MachineCode = MachineCodes.TryGetValue(machine, out var code) ? code : -1;
            }
            else if (line.Contains("There are no sections in this file", StringComparison.Ordinal))
            {
                facts.HasSectionHeaders = false;
            }
            else if (SectionLine().Match(line) is { Success: true } s)
            {
                if (s.Groups[2].Value == "SYMTAB")
                {
                    facts.HasSymbolTable = true;
                }
            }
            else if (line.Contains("[Requesting program interpreter: ", StringComparison.Ordinal))
            {
                facts.Interpreter = Bracketed(line, "[Requesting program interpreter: ");
            }
            else if (line.StartsWith("  GNU_RELRO ", StringComparison.Ordinal))
            {
                facts.Relro = true;
            }
            else if (line.StartsWith("  GNU_STACK ", StringComparison.Ordinal))
            {
                var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var flags = string.Concat(tokens[6..^1]);
                facts.GnuStackFlags = (uint)((flags.Contains('R') ? 4 : 0) | (flags.Contains('W') ? 2 : 0) | (flags.Contains('E') ? 1 : 0));
            }
            else if (line.Contains("(NEEDED)", StringComparison.Ordinal))
            {
                facts.Needed.Add(Bracketed(line, "Shared library: ["));
            }
            else if (line.Contains("(SONAME)", StringComparison.Ordinal))
            {
                facts.Soname = Bracketed(line, "Library soname: [");
            }
            else if (line.Contains("(RPATH)", StringComparison.Ordinal))
            {
                facts.Rpath = Bracketed(line, "Library rpath: [");
            }
            else if (line.Contains("(RUNPATH)", StringComparison.Ordinal))
            {
                facts.Runpath = Bracketed(line, "Library runpath: [");
            }
            else if (line.Contains("(FLAGS)", StringComparison.Ordinal))
            {
                facts.HasFlags = true;
                facts.FlagsBindNow = line.Contains("BIND_NOW", StringComparison.Ordinal);
            }
            else if (line.Contains("(FLAGS_1)", StringComparison.Ordinal))
            {
                facts.HasFlags1 = true;
                var names = line[(line.IndexOf("Flags:", StringComparison.Ordinal) + 6)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                facts.Flags1Now = names.Contains("NOW");
                facts.Flags1Pie = names.Contains("PIE");
            }
            else if (line.Contains("(BIND_NOW)", StringComparison.Ordinal))
            {
                facts.DtBindNow = true;
            }
            else if (line.StartsWith("Symbol table '.dynsym'", StringComparison.Ordinal))
            {
                block = "dynsym";
            }
            else if (line.StartsWith("Version needs section", StringComparison.Ordinal))
            {
                block = "verneed";
            }
            else if (line.StartsWith("Version definition section", StringComparison.Ordinal))
            {
                block = "verdef";
            }
            else if (line.StartsWith("Version symbols section", StringComparison.Ordinal) || line.StartsWith("Displaying notes", StringComparison.Ordinal) || line.StartsWith("Symbol table '", StringComparison.Ordinal))
            {
                block = null;
            }
            else if (line.Contains("Build ID: ", StringComparison.Ordinal))
            {
                facts.BuildId = line[(line.IndexOf("Build ID: ", StringComparison.Ordinal) + 10)..].Trim();
            }
            else if (block == "dynsym" && DynsymLine().Match(line) is { Success: true } sym)
            {
                var name = sym.Groups[1].Value;
                var at = name.IndexOf('@', StringComparison.Ordinal);
                facts.DynamicSymbols.Add(at >= 0 ? name[..at] : name);
            }
            else if (block == "verneed" && line.Contains("File: ", StringComparison.Ordinal))
            {
                need = Word(line, "File: ");
                facts.VersionNeeds.Add((need, []));
            }
            else if (block == "verneed" && need is not null && line.Contains("Name: ", StringComparison.Ordinal))
            {
                facts.VersionNeeds[^1].Versions.Add(Word(line, "Name: "));
            }
            else if (block == "verdef" && line.Contains("Rev: ", StringComparison.Ordinal))
            {
                facts.VersionDefinitions.Add(Word(line, "Name: "));
            }
        }

        foreach (var line in comment.Split('\n'))
        {
            if (CommentLine().Match(line) is { Success: true } c && !facts.Comments.Contains(c.Groups[1].Value))
            {
                facts.Comments.Add(c.Groups[1].Value);
            }
        }

        facts.File = fileSays;
        return facts;
    }

    private static string? Field(string line, string name)
    {
        var t = line.TrimStart();
        return line.StartsWith("  ", StringComparison.Ordinal) && t.StartsWith(name, StringComparison.Ordinal) && !line.StartsWith("   ", StringComparison.Ordinal)
            ? t[name.Length..].Trim()
            : null;
    }

    private static string Bracketed(string line, string start)
    {
        var i = line.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return line[i..line.LastIndexOf(']')];
    }

    private static string Word(string line, string label)
    {
        var i = line.IndexOf(label, StringComparison.Ordinal) + label.Length;
        var end = line.IndexOf(' ', i);
        return end < 0 ? line[i..] : line[i..end];
    }

    [GeneratedRegex(@"^\s*\[\s*\d+\]\s+(\S+)\s+(\S+)\s")]
    private static partial Regex SectionLine();

    [GeneratedRegex(@"^\s*\d+:\s+[0-9a-f]+\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+(\S+)")]
    private static partial Regex DynsymLine();

    [GeneratedRegex(@"^\s*\[\s*[0-9a-f]+\]\s+(.*)$")]
    private static partial Regex CommentLine();
}

/// <summary>One file's facts as the reference tools print them.</summary>
internal sealed class ElfFacts
{
    public string File { get; set; } = string.Empty;

    public int Bits { get; set; }

    public bool BigEndian { get; set; }

    public string? Type { get; set; }

    public bool PieFlag { get; set; }

    public int MachineCode { get; set; }

    public bool HasSectionHeaders { get; set; } = true;

    public bool HasSymbolTable { get; set; }

    public string? Interpreter { get; set; }

    public bool Relro { get; set; }

    public uint? GnuStackFlags { get; set; }

    public List<string> Needed { get; } = [];

    public string? Soname { get; set; }

    public string? Rpath { get; set; }

    public string? Runpath { get; set; }

    public bool HasFlags { get; set; }

    public bool FlagsBindNow { get; set; }

    public bool HasFlags1 { get; set; }

    public bool Flags1Now { get; set; }

    public bool Flags1Pie { get; set; }

    public bool DtBindNow { get; set; }

    public List<string> DynamicSymbols { get; } = [];

    /// <summary>Undefined (imported) dynamic symbols, from <c>readelf -D -s</c>, versions cut off.</summary>
    public HashSet<string> Imports { get; } = new(StringComparer.Ordinal);

    public List<(string File, List<string> Versions)> VersionNeeds { get; } = [];

    public List<string> VersionDefinitions { get; } = [];

    public string? BuildId { get; set; }

    public List<string> Comments { get; } = [];
}
