using System.Text.RegularExpressions;
using Footprint.Analyzers.Loader;
using Footprint.Analyzers.Packages;
using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Formats.Elf;

namespace Footprint.Analyzers.Reachability;

/// <summary>
/// Classifies every package for one entrypoint at a time (<see cref="ReachabilityAnalyzer"/> collects the facts).
/// Order of the rules: a package with a file in the closure is loaded; one that ships no ELF object or #! script is
/// present-not-loaded; one that something loaded may start or dlopen() is unknown; everything else is present-not-loaded.
/// </summary>
internal sealed class ReachabilityClassifier
{
    /// <summary>Debian's and BusyBox's default PATH for root, used when the image config sets none.</summary>
    public static readonly string[] DefaultPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>Programs whose behaviour is decided by what they are given to run: shells and language runtimes.</summary>
    private static readonly Regex Interpreter = new(
        @"^(sh|ash|bash|dash|zsh|ksh|mksh|csh|tcsh|fish|busybox|toybox|env|python[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node|nodejs|php[0-9.]*|php-fpm[0-9.]*|lua[0-9.]*|luajit|java|tclsh[0-9.]*|pwsh|deno|bun)$",
        RegexOptions.CultureInvariant);

    private readonly IFileSystemView _view;
    private readonly LoaderModel _model;
    private readonly IReadOnlyDictionary<string, ObjectFacts> _objects;
    private readonly IReadOnlyDictionary<string, string> _scripts;
    private readonly IReadOnlyList<Package> _packages;
    private readonly LoaderFamily _imageFamily;
    private readonly IReadOnlyList<string> _path;
    private readonly IReadOnlyList<string> _libraryPath;
    private readonly IReadOnlyList<string> _preload;
    private readonly IReadOnlyList<string> _preloadFile;
    private readonly string? _workingDir;
    private readonly List<HashSet<string>> _realFiles;
    private readonly List<bool> _shipsCode;

    public ReachabilityClassifier(
        IFileSystemView view, LoaderModel model, IReadOnlyDictionary<string, ObjectFacts> objects, IReadOnlyDictionary<string, string> scripts,
        IReadOnlyList<Package> packages, LoaderFamily imageFamily, IReadOnlyList<string> path, IReadOnlyList<string> libraryPath,
        IReadOnlyList<string> preload, IReadOnlyList<string> preloadFile, string? workingDir)
    {
        _view = view;
        _model = model;
        _objects = objects;
        _scripts = scripts;
        _packages = packages;
        _imageFamily = imageFamily;
        _path = path;
        _libraryPath = libraryPath;
        _preload = preload;
        _preloadFile = preloadFile;
        _workingDir = workingDir;
        _realFiles = OwnedFiles(packages);
        _shipsCode = _realFiles.Select(files => files.Any(f => _model.Open(f).Elf is not null || _scripts.ContainsKey(f) || IsInterpretedModule(f))).ToList();
    }

    public EntrypointReachability Classify(Entrypoint entrypoint)
    {
        var closure = new List<string>();
        var chains = new Dictionary<string, string>(StringComparer.Ordinal);
        var unknowns = new List<string>();
        var program = Lookup(entrypoint.Command);
        if (program is null)
        {
            unknowns.Add($"{entrypoint.Command} is not in the image (PATH {string.Join(":", _path)})");
        }
        else
        {
            foreach (var name in new[] { entrypoint.Command, program, _model.Open(program).Real }.Select(Name).Distinct())
            {
                if (Interpreter.IsMatch(name))
                {
                    unknowns.Add($"{entrypoint.Command} is a shell or interpreter ({name}): what it runs is decided at run time");
                    break;
                }
            }

            AddProgram(program, program, closure, chains, unknowns, depth: 0);
        }

        var dlopeners = new List<(string Object, IReadOnlyList<string> Strings, IReadOnlySet<string> Set)>();
        foreach (var real in closure)
        {
            if (!_objects.TryGetValue(real, out var facts))
            {
                // Every ELF object is read whole during the walk; one that was not (content not kept, a layer from the
                // cache) must not pass for one that imports nothing.
                if (_model.Open(real).Elf is not null)
                {
                    unknowns.Add($"the imports of {real} were not read");
                }

                continue;
            }

            if (facts.Unreadable is { } why)
            {
                unknowns.Add($"the imports of {real} are unreadable ({why})");
            }

            if (facts.SpawnImports.Count > 0)
            {
                unknowns.Add($"{real} imports {string.Join(", ", facts.SpawnImports)}: it can start other programs");
            }

            if (facts.ImportsDlopen)
            {
                dlopeners.Add((real, facts.Strings.Where(t => t.Contains('%', StringComparison.Ordinal)).ToList(), facts.Strings.ToHashSet(StringComparer.Ordinal)));
            }
        }

        var glibc = closure.FirstOrDefault(r => Name(r) is "libc.so.6" || Name(r).StartsWith("libc-2.", StringComparison.Ordinal));
        var packages = new List<PackageReachability>(_packages.Count);
        var closureSet = closure.ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < _packages.Count; i++)
        {
            var p = _packages[i];
            var hit = closure.FirstOrDefault(_realFiles[i].Contains);
            if (hit is not null)
            {
                packages.Add(new PackageReachability(p.Ecosystem, p.Name, p.Version, ReachabilityClass.Loaded, [chains[hit]]));
                continue;
            }

            if (!_shipsCode[i])
            {
                packages.Add(new PackageReachability(p.Ecosystem, p.Name, p.Version, ReachabilityClass.PresentNotLoaded,
                    [$"ships no executable code (no ELF object, #! script or interpreter module among its {p.Files.Count} files)"]));
                continue;
            }

            var reasons = new List<string>(unknowns);
            reasons.AddRange(DlopenReasons(i, dlopeners, glibc));
            packages.Add(reasons.Count > 0
                ? new PackageReachability(p.Ecosystem, p.Name, p.Version, ReachabilityClass.Unknown, reasons)
                : new PackageReachability(p.Ecosystem, p.Name, p.Version, ReachabilityClass.PresentNotLoaded,
                    [$"none of its files is among the {closureSet.Count} objects {program} maps, and nothing mapped starts programs or dlopen()s its names"]));
        }

        return new EntrypointReachability(entrypoint, program is null ? null : _model.Open(program).Real, closure, unknowns, packages);
    }

    /// <summary>The program, its interpreter (PT_INTERP, or a script's #! line) and every object the loader maps for it.</summary>
    private void AddProgram(string program, string chain, List<string> closure, Dictionary<string, string> chains, List<string> unknowns, int depth)
    {
        var file = _model.Open(program);
        if (!file.Exists)
        {
            unknowns.Add($"{program} is not in the image");
            return;
        }

        Add(file.Real, file.Real == program ? chain : $"{chain} (= {file.Real})", closure, chains);
        if (file.Elf is not { } elf)
        {
            if (_scripts.TryGetValue(file.Real, out var line) && depth < 4)
            {
                unknowns.Add($"{program} is a script ({line}): what it runs is decided at run time");
                var words = line[2..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (words.Length > 0 && words[0].StartsWith('/'))
                {
                    var interpreter = words[0].EndsWith("/env", StringComparison.Ordinal) && words.Skip(1).FirstOrDefault(w => !w.StartsWith('-')) is { } name
                        ? Lookup(name) ?? words[0]
                        : words[0];
                    AddProgram(interpreter, $"{chain} -> {interpreter} (#!)", closure, chains, unknowns, depth + 1);
                }
            }
            else
            {
                unknowns.Add($"{program} is neither an ELF program nor a #! script");
            }

            return;
        }

        if (elf.Linkage is ElfLinkage.Static or ElfLinkage.StaticPie)
        {
            unknowns.Add($"{program} is statically linked: libraries built into it cannot be told apart");
            return;
        }

        var family = LoaderModel.FamilyOf(elf.Interpreter) ?? _imageFamily;
        if (elf.Interpreter is { } interp && _model.Open(interp) is { Exists: true } loader)
        {
            Add(loader.Real, $"{chain} -> {interp} (PT_INTERP)", closure, chains);
        }

        // LD_PRELOAD, then /etc/ld.so.preload (glibc only), are loaded after the program and before its DT_NEEDED,
        // searched like its own DT_NEEDED names (ld.so(8)): exactly what extra needed names at the front do.
        var preload = family == LoaderFamily.Glibc ? _preload.Concat(_preloadFile).ToList() : _preload.ToList();
        var loaded = _model.Load(program, preload.Count == 0 ? elf : elf with { Needed = [.. preload, .. elf.Needed] }, family, elf.Interpreter, _libraryPath);
        foreach (var problem in loaded.Problems)
        {
            unknowns.Add($"{problem.Code}: {problem.Detail}");
        }

        // Chains follow the breadth-first order the loader used: each object's parent is the first loaded object that needs it.
        var parents = new Dictionary<string, string>(StringComparer.Ordinal) { [file.Real] = chains[file.Real] };
        var byName = new Dictionary<string, LoadedObject>(StringComparer.Ordinal);
        foreach (var o in loaded.Closure)
        {
            byName.TryAdd(o.Name, o);
            if (_model.Open(o.Path).Elf?.Soname is { } soname)
            {
                byName.TryAdd(soname, o);
            }
        }

        var queue = new Queue<(string Real, IReadOnlyList<string> Needed)>();
        queue.Enqueue((file.Real, [.. preload, .. elf.Needed]));
        while (queue.Count > 0)
        {
            var (real, needed) = queue.Dequeue();
            foreach (var name in needed)
            {
                if (!byName.TryGetValue(name, out var o) || parents.ContainsKey(o.RealPath))
                {
                    continue;
                }

                var link = o.ViaLoader ? $"{name} (the loader)" : o.Path == o.RealPath ? o.Path : $"{o.Path} (= {o.RealPath})";
                parents[o.RealPath] = $"{parents[real]} -> {link}";
                Add(o.RealPath, parents[o.RealPath], closure, chains);
                queue.Enqueue((o.RealPath, _model.Open(o.RealPath).Elf?.Needed ?? []));
            }
        }

        foreach (var o in loaded.Closure)
        {
            Add(o.RealPath, $"{chains[file.Real]} -> ... -> {o.Path}", closure, chains);
        }
    }

    private static void Add(string real, string chain, List<string> closure, Dictionary<string, string> chains)
    {
        if (chains.TryAdd(real, chain))
        {
            closure.Add(real);
        }
    }

    /// <summary>dlopen() names a package: a string equal to one of its paths or file names, a directory holding its files, a printf pattern matching them; glibc's NSS and gconv modules.</summary>
    private IEnumerable<string> DlopenReasons(int index, List<(string Object, IReadOnlyList<string> Patterns, IReadOnlySet<string> Set)> dlopeners, string? glibc)
    {
        var files = _packages[index].Files.Select(f => "/" + f.TrimStart('/')).Concat(_realFiles[index]).Distinct(StringComparer.Ordinal).ToList();
        foreach (var (obj, patterns, set) in dlopeners)
        {
            foreach (var file in files)
            {
                if (Named(set, patterns, file) is { } s)
                {
                    yield return $"{obj} imports dlopen and contains \"{s}\", which names {file}";
                    break;
                }
            }
        }

        if (glibc is not null && files.FirstOrDefault(f => Name(f).StartsWith("libnss_", StringComparison.Ordinal) || f.Contains("/gconv/", StringComparison.Ordinal)) is { } module)
        {
            yield return $"{glibc} loads NSS and gconv modules itself (getpwnam, iconv...), such as {module}";
        }
    }

    /// <summary>The string of <paramref name="set"/> (or of its printf <paramref name="patterns"/>) that names <paramref name="file"/>, or null.</summary>
    private static string? Named(IReadOnlySet<string> set, IReadOnlyList<string> patterns, string file)
    {
        if (set.Contains(file))
        {
            return file;
        }

        var name = Name(file);
        if (set.Contains(name))
        {
            return name;
        }

        // A directory of modules (/usr/lib/engines-1.1, /lib/x86_64-linux-gnu/security): three levels deep at least,
        // so the library directories every object names (/usr/lib, /lib/x86_64-linux-gnu) do not count.
        for (var slash = file.LastIndexOf('/'); slash > 0; slash = file.LastIndexOf('/', slash - 1))
        {
            var dir = file[..slash];
            if (dir.Count(c => c == '/') < 3)
            {
                break;
            }

            if (set.Contains(dir) || set.Contains(dir + "/"))
            {
                return dir;
            }
        }

        // printf patterns ("libnss_%s.so.2"): few, so tried one by one.
        foreach (var s in patterns)
        {
            if (MatchesPattern(s, s.StartsWith('/') ? file : name))
            {
                return s;
            }
        }

        return null;
    }

    private static bool MatchesPattern(string pattern, string text)
    {
        var regex = "^" + Regex.Escape(pattern).Replace("%s", ".+", StringComparison.Ordinal).Replace("%d", "[0-9]+", StringComparison.Ordinal).Replace("%u", "[0-9]+", StringComparison.Ordinal) + "$";
        try
        {
            return Regex.IsMatch(text, regex, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private string? Lookup(string command)
    {
        if (command.Contains('/'))
        {
            var absolute = command.StartsWith('/') ? command : (_workingDir ?? "/").TrimEnd('/') + "/" + command;
            return _model.Open(absolute).Exists ? absolute : null;
        }

        return _path.Select(d => d.TrimEnd('/') + "/" + command).FirstOrDefault(p => _model.Open(p).Exists);
    }

    /// <summary>
    /// Each package's files by real path. A listed symlink counts only when no package lists the file it points to
    /// as a file of its own: libc-bin's /usr/bin/ld.so points into libc6, which is the package the loader maps.
    /// </summary>
    private List<HashSet<string>> OwnedFiles(IReadOnlyList<Package> packages)
    {
        var direct = new List<HashSet<string>>();
        var linked = new List<HashSet<string>>();
        var anyDirect = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in packages)
        {
            var own = new HashSet<string>(StringComparer.Ordinal);
            var links = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in p.Files)
            {
                var path = "/" + file.TrimStart('/');
                if (RealPath(path) is not { } real)
                {
                    continue;
                }

                (IsSymlink(path) ? links : own).Add(real);
            }

            anyDirect.UnionWith(own);
            direct.Add(own);
            linked.Add(links);
        }

        for (var i = 0; i < direct.Count; i++)
        {
            direct[i].UnionWith(linked[i].Where(r => !anyDirect.Contains(r)));
        }

        return direct;
    }

    private bool IsSymlink(string path)
    {
        try
        {
            return _view.Resolve(path.TrimStart('/'), followFinal: false, out _)?.Kind == FileKind.Symlink;
        }
        catch (SymlinkLoopException)
        {
            return true;
        }
    }

    private string? RealPath(string path)
    {
        try
        {
            var node = _view.Resolve(path.TrimStart('/'), followFinal: true, out var resolved);
            return node is null ? null : "/" + resolved.TrimStart('/');
        }
        catch (SymlinkLoopException)
        {
            return null;
        }
    }

    private static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>
    /// Source or bytecode an interpreter loads (Perl .pm, Python .py/.pyc, Ruby, Lua, PHP, Tcl, JavaScript, shell
    /// libraries, Java classes): code without an ELF header or a #! line, which a spawned interpreter can run.
    /// </summary>
    internal static bool IsInterpretedModule(string path)
        => Path.GetExtension(path) is ".pm" or ".pl" or ".py" or ".pyc" or ".rb" or ".lua" or ".php" or ".tcl" or ".js" or ".mjs" or ".sh" or ".bash"
            or ".jar" or ".class";
}
