using Footprint.Analyzers.Binaries;
using System.Text;
using Footprint.Analyzers.Libc;
using Footprint.FileSystem;
using Footprint.Formats.Elf;
using Footprint.Formats.LdSoCache;
using Footprint.Formats;
using Footprint.Walk;

namespace Footprint.Analyzers.Loader;

/// <summary>
/// The lint rules of docs/lint.md: every dynamic program and library is loaded in <see cref="LoaderModel"/> and every
/// executable script's <c>#!</c> interpreter is looked up. Asks for the ELF facts of files that can be programs or
/// libraries (<see cref="ContentNeed.Inspect"/>), the first line of other executable files (<see cref="ContentNeed.Head"/>),
/// and the whole of <c>/etc/ld.so.cache</c> and <c>/etc/ld-musl-ARCH.path</c>.
/// </summary>
public sealed class LoaderAnalyzer : IAnalyzer, IProducer<LintReport>
{
    /// <summary>
    /// Smallest file looked at as ELF: the four-byte magic. A file cut shorter than its header still starts with it,
    /// and is reported as damaged rather than passed over.
    /// </summary>
    private const int MinElfBytes = 4;

    /// <summary>The PATH an `env` interpreter searches: Debian's and BusyBox's default for root.</summary>
    private static readonly string[] EnvSearchPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    private readonly List<(string Path, FsNode Node, ElfSummary Elf)> _elves = [];
    private readonly List<(string Path, int Layer, string Line)> _scripts = [];
    private readonly Dictionary<string, string> _muslPathFiles = new(StringComparer.Ordinal);
    private IReadOnlyList<LdSoCacheEntry> _cache = [];

    public string Id => "loader";

    /// <summary>Why /etc/ld.so.cache could not be read, when it could not.</summary>
    public string? CacheError { get; private set; }

    public int Version => 1;

    public IReadOnlyList<Type> Consumes => [typeof(LibcReport), typeof(BinaryInventories)];

    /// <summary>The loader's view of every dynamic program, with the BusyBox applets the binaries analyzer found.</summary>
    public LintReport Produce(AnalysisContext context)
    {
        var binaries = context.Get<BinaryInventories>();
        var lint = Result(context.View, context.Get<LibcReport>()) with
        {
            BusyBox = binaries is null ? null : BusyBoxCommands.Classify(context.View, binaries.Binaries),
        };
        if (CacheError is { } cacheError)
        {
            context.Warn(new FsWarning("ld-so-cache-unreadable", cacheError, context.Source.Location, "/etc/ld.so.cache", null));
        }

        return lint;
    }

    public ContentNeed Required(string path, FsNode node)
    {
        if (node.Kind != FileKind.Regular)
        {
            return ContentNeed.None;
        }

        if (path == "etc/ld.so.cache" || IsMuslPathFile(path))
        {
            return ContentNeed.Whole;
        }

        var executable = (node.Mode & 0b001_001_001) != 0;
        if (node.SizeBytes >= MinElfBytes && (executable || IsLibraryName(path)))
        {
            return ContentNeed.Inspect;
        }

        return executable && node.SizeBytes > 2 ? ContentNeed.Head : ContentNeed.None;
    }

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        var need = Required(path, node);
        if (need == ContentNeed.None || node.Data is not { } data)
        {
            return;
        }

        if (need == ContentNeed.Whole)
        {
            ObserveConfig(path, node, content);
            return;
        }

        if (need == ContentNeed.Inspect && data.GetElf() is { } elf)
        {
            _elves.Add((path, node, elf));
            return;
        }

        if ((node.Mode & 0b001_001_001) != 0 && content is not null && FirstLine(content) is { } line)
        {
            _scripts.Add((path, node.LayerIndex, line));
        }
    }

    /// <summary>The lint section; <paramref name="closures"/> receives each loaded object's closure when given (tests compare it with ld.so).</summary>
    public LintReport Result(IFileSystemView view, LibcReport? libc, IDictionary<string, LoadResult>? closures = null)
    {
        var model = new LoaderModel(view, _cache, _muslPathFiles);
        var findings = new List<LintFinding>();
        int dynamic = 0, shared = 0, statics = 0, resolved = 0;

        // A library has no PT_INTERP: it is loaded by the loader of the image's C library.
        var imageLoader = _elves.Where(e => e.Elf.Linkage == ElfLinkage.Dynamic && e.Elf.Interpreter is not null && LoaderModel.FamilyOf(e.Elf.Interpreter) is not null)
            .GroupBy(e => e.Elf.Interpreter!).Where(g => model.Open(g.Key).Exists).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
        var imageFamily = libc?.Name == "musl" ? LoaderFamily.Musl : LoaderFamily.Glibc;

        foreach (var (path, node, elf) in _elves.OrderBy(e => e.Path, StringComparer.Ordinal))
        {
            var abs = "/" + path;
            if (elf.Damage is { } damage)
            {
                // Neither the kernel nor ld.so maps it: whatever it was meant to be, it runs as nothing and loads as nothing.
                findings.Add(new LintFinding("error", "elf-damaged", abs, damage,
                    [new Evidence(abs, node.LayerIndex, $"{node.SizeBytes}-byte file starting with the ELF magic")]));
                continue;
            }

            // A PT_INTERP without a leading slash (uClibc 0.9's own libraries say "ld-uClibc.so.0") names nothing the
            // kernel could find from an arbitrary working directory: such a file is a library, not a program.
            var program = elf.Linkage == ElfLinkage.Dynamic && elf.Interpreter is { } pt && pt.StartsWith('/');
            switch (elf.Linkage)
            {
                case ElfLinkage.Static or ElfLinkage.StaticPie:
                    statics++;
                    continue;
                case ElfLinkage.Dynamic:
                    dynamic++;
                    break;
                case ElfLinkage.SharedLibrary:
                    shared++;
                    break;
                default:
                    continue;
            }

            var severity = program && (node.Mode & 0b001_001_001) != 0 ? "error" : "warning";
            string? interpreter = program ? elf.Interpreter : imageLoader;
            var family = program ? LoaderModel.FamilyOf(elf.Interpreter) ?? imageFamily : imageFamily;
            if (program && elf.Interpreter is { } interp)
            {
                var loader = model.Open(interp);
                if (!loader.Exists)
                {
                    findings.Add(new LintFinding(severity, "interpreter-missing", abs,
                        $"its program interpreter {interp} is not in the image" + (libc is null ? string.Empty : $" (the image's C library is {libc.Name})"),
                        [new Evidence(abs, node.LayerIndex, $"PT_INTERP {interp}")]));
                    continue;
                }

                if (loader.Elf is { Damage: { } broken })
                {
                    // The interpreter is there but cannot be mapped: execve fails (or the loader dies) before main.
                    findings.Add(new LintFinding(severity, "interpreter-damaged", abs,
                        $"its program interpreter {interp} is in the image but damaged: {broken}",
                        [new Evidence(abs, node.LayerIndex, $"PT_INTERP {interp}"), new Evidence(loader.Real, null, broken)]));
                    continue;
                }

                if (loader.Elf is { } l && (l.Bits != elf.Bits || l.MachineCode != elf.MachineCode))
                {
                    findings.Add(new LintFinding(severity, "wrong-architecture", abs,
                        $"its program interpreter {interp} is a {l.Bits}-bit {l.Machine} file, it is {elf.Bits}-bit {elf.Machine}",
                        [new Evidence(abs, node.LayerIndex, $"PT_INTERP {interp}"), new Evidence(loader.Real, null, $"ELF {l.Bits}-bit {l.Machine}")]));
                    continue;
                }
            }

            var result = model.Load(abs, elf, family, interpreter);
            closures?.Add(abs, result);
            if (result.Problems.Count == 0)
            {
                resolved++;
            }

            foreach (var problem in result.Problems)
            {
                findings.Add(new LintFinding(severity, problem.Code, abs, problem.Detail, [new Evidence(problem.EvidencePath, null, problem.EvidenceDetail)]));
            }
        }

        foreach (var (path, layer, line) in _scripts)
        {
            if (ScriptProblem(model, line) is { } detail)
            {
                // A command on PATH that cannot start is an error; a helper elsewhere (openssl's /etc/ssl/misc/CA.pl) a warning.
                var onPath = EnvSearchPath.Contains("/" + path[..Math.Max(0, path.LastIndexOf('/'))], StringComparer.Ordinal);
                findings.Add(new LintFinding(onPath ? "error" : "warning", "script-interpreter-missing", "/" + path, detail, [new Evidence("/" + path, layer, $"first line \"{line}\"")]));
            }
        }

        return new LintReport
        {
            Libc = libc,
            Counts = new LintCounts(dynamic, shared, statics, resolved, _scripts.Count),
            Findings = findings.OrderBy(f => Rank(f.Severity)).ThenBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.Code, StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>The kernel runs the #! interpreter by path (binfmt_script); `env NAME` looks NAME up in PATH.</summary>
    private static string? ScriptProblem(LoaderModel model, string line)
    {
        var words = line[2..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || !words[0].StartsWith('/'))
        {
            return null;
        }

        var interpreter = words[0];
        if (!model.Open(interpreter).Exists)
        {
            return $"its interpreter {interpreter} is not in the image";
        }

        if (interpreter.EndsWith("/env", StringComparison.Ordinal))
        {
            var name = words.Skip(1).FirstOrDefault(w => !w.StartsWith('-') && !w.Contains('='));
            if (name is not null && !name.Contains('/') && !EnvSearchPath.Any(d => model.Open(d + "/" + name).Exists))
            {
                return $"{interpreter} runs {name}, which is in none of {string.Join(":", EnvSearchPath)}";
            }
        }

        return null;
    }

    private void ObserveConfig(string path, FsNode node, IFileContent? content)
    {
        if (content is null || !content.IsComplete)
        {
            return;
        }

        using var memory = new MemoryStream();
        try
        {
            using var stream = content.Open();
            stream.CopyTo(memory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        if (path == "etc/ld.so.cache")
        {
            try
            {
                _cache = LdSoCache.Parse(memory.GetBuffer().AsSpan(0, (int)memory.Length));
            }
            catch (InvalidDataException e)
            {
                // A damaged cache: ld.so falls back to the default directories, and so does the model.
                CacheError = $"/etc/ld.so.cache (layer {node.LayerIndex}): {e.Message}";
            }

            return;
        }

        // etc/ld-musl-x86_64.path -> x86_64
        var name = path["etc/ld-musl-".Length..^".path".Length];
        _muslPathFiles[name] = Encoding.UTF8.GetString(memory.GetBuffer(), 0, (int)memory.Length);
    }

    private static string? FirstLine(IFileContent content)
    {
        try
        {
            using var stream = content.Open();
            Span<byte> head = stackalloc byte[256];
            var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (n < 3 || head[0] != '#' || head[1] != '!')
            {
                return null;
            }

            var end = head[..n].IndexOfAny((byte)'\n', (byte)'\r');
            return Encoding.UTF8.GetString(head[..(end < 0 ? n : end)]).TrimEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int Rank(string severity) => severity switch { "error" => 0, "warning" => 1, _ => 2 };

    /// <summary>etc/ld-musl-ARCH.path (near misses: etc/ld-musl-.path, etc/x/ld-musl-arm.path).</summary>
    internal static bool IsMuslPathFile(string path)
        => path.StartsWith("etc/ld-musl-", StringComparison.Ordinal) && path.EndsWith(".path", StringComparison.Ordinal)
            && path.Length > "etc/ld-musl-.path".Length && path.IndexOf('/', 4) < 0;

    private static bool IsLibraryName(string path)
    {
        var name = path.AsSpan(path.LastIndexOf('/') + 1);
        return name.EndsWith(".so", StringComparison.Ordinal) || name.Contains(".so.", StringComparison.Ordinal);
    }
}
