using System.Text;
using Footprint.Analyzers.Libc;
using Footprint.Analyzers.Loader;
using Footprint.Analyzers.Packages;
using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Formats.Elf;
using Footprint.Formats.LdSoCache;
using Footprint.Sources;
using Footprint.Walk;

namespace Footprint.Analyzers.Reachability;

/// <summary>
/// For each entrypoint and each installed package: loaded, unknown or present-not-loaded (<see cref="ReachabilityClass"/>),
/// with evidence. The closure is <see cref="LoaderModel"/>'s, the same model the lint uses, given the image config's
/// LD_LIBRARY_PATH, LD_PRELOAD and /etc/ld.so.preload. An object's imports and, for a dlopen importer, the strings
/// that can name a library come with its ELF facts (<see cref="ElfSummary"/>), read while the layer streams past, so
/// the walk keeps no ELF file whole for it. Runs only when asked for (<see cref="AnalysisOptions.Reachability"/>).
/// </summary>
public sealed class ReachabilityAnalyzer : IAnalyzer, IProducer<ReachabilityReport>
{
    private const int MinElfBytes = 4;

    private readonly Dictionary<string, ObjectFacts> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _scripts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _wantedUnits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _muslPathFiles = new(StringComparer.Ordinal);
    private IReadOnlyList<LdSoCacheEntry> _cache = [];

    public string Id => "reachability";

    public int Version => 2;

    public IReadOnlyList<Type> Consumes => [typeof(IPackageInventories), typeof(LibcReport)];

    public bool IsWanted(AnalysisOptions options) => options.Reachability;

    public ReachabilityReport Produce(AnalysisContext context)
    {
        var packages = context.All<IPackageInventories>().SelectMany(i => i.Inventories).SelectMany(i => i.Packages).Where(p => p.FoundBy is null).ToList();
        return Result(context.View, packages, context.Source.Config, context.Get<LibcReport>());
    }

    public ContentNeed Required(string path, FsNode node)
    {
        if (node.Kind != FileKind.Regular)
        {
            return ContentNeed.None;
        }

        if (path is "etc/ld.so.cache" or "etc/ld.so.preload" or "etc/inittab" || LoaderAnalyzer.IsMuslPathFile(path)
            || path.StartsWith("etc/init.d/", StringComparison.Ordinal) || SystemEntrypoints.IsUnitFile(path))
        {
            return ContentNeed.Whole;
        }

        // ELF facts for objects; the head for a script's #! line.
        var executable = (node.Mode & 0b001_001_001) != 0;
        var library = path.EndsWith(".so", StringComparison.Ordinal) || path.Contains(".so.", StringComparison.Ordinal);
        return node.SizeBytes >= MinElfBytes && (executable || library) ? ContentNeed.Inspect : ContentNeed.None;
    }

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        if (SystemEntrypoints.WantedUnit(path) is { } unit)
        {
            _wantedUnits.Add(unit);
        }

        if (Required(path, node) == ContentNeed.None || node.Data is not { } data)
        {
            return;
        }

        if (data.GetElf() is { } elf)
        {
            _objects["/" + path] = Facts(elf, content);
            return;
        }

        if (content is null)
        {
            return;
        }

        var bytes = ReadAll(content, Walk.ContentLimits.MaxWholeBytes);
        if (path == "etc/ld.so.cache")
        {
            try
            {
                _cache = LdSoCache.Parse(bytes);
            }
            catch (InvalidDataException)
            {
                // As the loader analyzer: a damaged cache is not used, ld.so falls back to the default directories.
            }

            return;
        }

        if (LoaderAnalyzer.IsMuslPathFile(path))
        {
            _muslPathFiles[path["etc/ld-musl-".Length..^".path".Length]] = Encoding.UTF8.GetString(bytes);
            return;
        }

        if (bytes.Length > 2 && bytes[0] == '#' && bytes[1] == '!')
        {
            var end = Array.FindIndex(bytes, b => b is (byte)'\n' or (byte)'\r');
            _scripts["/" + path] = Encoding.UTF8.GetString(bytes, 0, Math.Min(end < 0 ? bytes.Length : end, 256)).TrimEnd();
        }

        if (path is "etc/ld.so.preload" or "etc/inittab" || path.StartsWith("etc/init.d/", StringComparison.Ordinal) || SystemEntrypoints.IsUnitFile(path))
        {
            _texts[path] = Encoding.UTF8.GetString(bytes);
        }
    }

    /// <summary>
    /// The classes for <paramref name="entrypoints"/> when given, else the image config's Entrypoint+Cmd, else the
    /// system's init, inittab, enabled systemd units and procd services.
    /// </summary>
    public ReachabilityReport Result(IFileSystemView view, IReadOnlyList<Package> packages, ImageConfig? config, LibcReport? libc, IReadOnlyList<Entrypoint>? entrypoints = null)
    {
        var model = new LoaderModel(view, _cache, _muslPathFiles);
        var env = Environment(config);
        entrypoints ??= config is { } c && (c.Entrypoint is { Count: > 0 } || c.Cmd is { Count: > 0 })
            ? [ImageEntrypoint(c)]
            : SystemEntrypoints.Find(p => model.Open(p).Exists, _texts, _wantedUnits);
        var preload = _texts.TryGetValue("etc/ld.so.preload", out var p) ? Split(p) : [];
        var classifier = new ReachabilityClassifier(view, model, _objects, _scripts, packages, libc?.Name == "musl" ? LoaderFamily.Musl : LoaderFamily.Glibc,
            env.Path, env.LibraryPath, env.Preload, preload, config?.WorkingDir);
        return new ReachabilityReport(entrypoints.Select(classifier.Classify).ToList(), ReachabilityReport.StandardLimits);
    }

    private static Entrypoint ImageEntrypoint(ImageConfig config)
    {
        var argv = (config.Entrypoint ?? []).Concat(config.Cmd ?? []).ToList();
        return new Entrypoint("image-config", argv[0], argv.Skip(1).ToList(), "config.Entrypoint+Cmd");
    }

    private static (IReadOnlyList<string> Path, IReadOnlyList<string> LibraryPath, IReadOnlyList<string> Preload) Environment(ImageConfig? config)
    {
        string? Get(string name) => config?.Env.LastOrDefault(e => e.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];
        var path = Get("PATH") is { } pathValue ? pathValue.Split(':', StringSplitOptions.RemoveEmptyEntries) : ReachabilityClassifier.DefaultPath;
        var libraryPath = Get("LD_LIBRARY_PATH") is { } lib ? lib.Split([':', ';'], StringSplitOptions.RemoveEmptyEntries) : [];
        return (path, libraryPath, Get("LD_PRELOAD") is { } preload ? Split(preload) : []);
    }

    /// <summary>LD_PRELOAD and /etc/ld.so.preload separate names by spaces or colons (ld.so(8)).</summary>
    private static List<string> Split(string list)
        => list.Split([' ', ':', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith('#')).ToList();

    /// <summary>
    /// The ELF facts reachability uses. A layer stream scanned a dlopen importer's strings as it went past; a file on
    /// disk was read by random access, so its strings are read here (dlopen importers only, a few per system).
    /// </summary>
    private static ObjectFacts Facts(ElfSummary elf, IFileContent? content)
    {
        if (elf.Damage is { } damage)
        {
            return new ObjectFacts([], false, [], damage);
        }

        var strings = elf.LibraryStrings
            ?? (!elf.ImportsDlopen ? []
                : content is { IsComplete: true } whole && ReadAll(whole, ElfInspector.MaxInspectBytes) is { Length: > 0 } bytes ? ElfLibraryStrings.Find(bytes) : null);
        var unreadable = elf.ImportsUnreadable
            ?? (strings is null ? $"it imports dlopen and its strings were not read (only the first {ElfInspector.MaxInspectBytes} bytes are inspected)" : null);
        return new ObjectFacts(elf.SpawnImports, elf.ImportsDlopen, strings ?? [], unreadable);
    }

    /// <summary>The bytes, or none when the file is larger than <paramref name="limit"/> or cannot be read.</summary>
    private static byte[] ReadAll(IFileContent content, int limit)
    {
        try
        {
            using var stream = content.Open();
            using var memory = new MemoryStream();
            var buffer = new byte[81920];
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                if (memory.Length + n > limit)
                {
                    return [];
                }

                memory.Write(buffer, 0, n);
            }

            return memory.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
