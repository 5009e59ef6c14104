using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Formats.Elf;
using Footprint.Formats.LdSoCache;

namespace Footprint.Analyzers.Loader;

/// <summary>
/// Resolves DT_NEEDED names the way the image's own loader would, over the squashed view (symlinks resolved
/// through <see cref="IFileSystemView.Resolve"/>, confined to the root). Rules and their sources: docs/lint.md.
/// LD_LIBRARY_PATH is taken when a caller knows the environment (an image config's Env: the reachability analyzer);
/// LD_PRELOAD is the caller's to add as extra DT_NEEDED names of the program, which is how ld.so orders them.
/// Not modelled: glibc's
/// hwcaps subdirectories (glibc-hwcaps/x86-64-v3 ...; an optimised copy, the base directory has the library too),
/// DF_1_NODEFLIB, dlopen().
/// </summary>
public sealed class LoaderModel
{
    /// <summary>musl's built-in search path when /etc/ld-musl-ARCH.path is absent (musl ldso/dynlink.c).</summary>
    private static readonly string[] MuslDefaultDirs = ["/lib", "/usr/local/lib", "/usr/lib"];

    /// <summary>Names musl's loader answers itself ("lib" + one of these + anything): libc, libpthread, librt, libm, libdl, libutil, libxnet.</summary>
    private static readonly string[] MuslReserved = ["c.", "pthread.", "rt.", "m.", "dl.", "util.", "xnet."];

    private readonly IFileSystemView _view;
    private readonly IReadOnlyList<LdSoCacheEntry> _cache;
    private readonly IReadOnlyDictionary<string, string> _muslPathFiles;
    private readonly Dictionary<string, (string Real, ElfSummary? Elf, bool Exists)> _files = new(StringComparer.Ordinal);

    /// <param name="view">The squashed view.</param>
    /// <param name="cache">Entries of /etc/ld.so.cache (empty when absent or unreadable).</param>
    /// <param name="muslPathFiles">Contents of /etc/ld-musl-ARCH.path files by ARCH.</param>
    public LoaderModel(IFileSystemView view, IReadOnlyList<LdSoCacheEntry> cache, IReadOnlyDictionary<string, string> muslPathFiles)
    {
        _view = view;
        _cache = cache;
        _muslPathFiles = muslPathFiles;
    }

    /// <summary>The loader family a PT_INTERP names; null for one this model does not know (then glibc's rules are a guess).</summary>
    public static LoaderFamily? FamilyOf(string? interpreter)
    {
        if (interpreter is null)
        {
            return null;
        }

        var name = interpreter[(interpreter.LastIndexOf('/') + 1)..];
        if (name.StartsWith("ld-musl-", StringComparison.Ordinal))
        {
            return LoaderFamily.Musl;
        }

        return name.StartsWith("ld-linux", StringComparison.Ordinal) || name.StartsWith("ld64.so", StringComparison.Ordinal) || name.StartsWith("ld.so", StringComparison.Ordinal)
            ? LoaderFamily.Glibc
            : null;
    }

    /// <summary>
    /// Loads <paramref name="path"/> (absolute, in the image) with its interpreter <paramref name="interpreter"/> (a
    /// program's PT_INTERP, or for a library the image's loader) under <paramref name="family"/>'s rules: breadth first,
    /// each name once, as ld.so orders its link map.
    /// </summary>
    /// <param name="path">The object's absolute path in the image.</param>
    /// <param name="elf">Its ELF facts.</param>
    /// <param name="family">Whose search rules apply.</param>
    /// <param name="interpreter">The program's PT_INTERP, or for a library the image's loader.</param>
    /// <param name="libraryPath">LD_LIBRARY_PATH's directories, when the environment of the run is known: glibc searches
    /// them after DT_RPATH and before DT_RUNPATH, musl before everything else (ld.so(8); musl ldso/dynlink.c).</param>
    public LoadResult Load(string path, ElfSummary elf, LoaderFamily family, string? interpreter, IReadOnlyList<string>? libraryPath = null)
    {
        var closure = new List<LoadedObject>();
        var problems = new List<LoadProblem>();
        var byName = new Dictionary<string, LoadedObject>(StringComparer.Ordinal);
        var byReal = new HashSet<string>(StringComparer.Ordinal);
        var root = new Node(path, Real(path), elf, null);
        byReal.Add(root.Real);
        string? interpReal = null;
        if (interpreter is not null && Open(interpreter) is { Exists: true } interp)
        {
            interpReal = interp.Real;
            byReal.Add(interp.Real);
            if (family == LoaderFamily.Glibc && interp.Elf?.Soname is { } soname)
            {
                // ld.so is in the link map before any DT_NEEDED is looked at; a library asking for it by soname gets it.
                byName[soname] = new LoadedObject(soname, interpreter, interp.Real, true);
            }
        }

        var queue = new Queue<Node>();
        queue.Enqueue(root);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var needed in node.Elf.Needed)
            {
                if (byName.TryGetValue(needed, out var known))
                {
                    if (known.ViaLoader && !closure.Contains(known) && family == LoaderFamily.Musl)
                    {
                        closure.Add(known);
                    }

                    continue;
                }

                if (family == LoaderFamily.Musl && IsMuslReserved(needed) && interpreter is not null && interpReal is not null)
                {
                    var self = new LoadedObject(needed, interpreter, interpReal, true);
                    byName[needed] = self;
                    closure.Add(self);
                    continue;
                }

                var (found, rejected, searched) = Search(needed, node, root, family, elf, libraryPath ?? []);
                if (found is null)
                {
                    var requester = node.Path == path ? "it" : node.Path;
                    problems.Add(rejected.Count > 0
                        ? new LoadProblem("wrong-architecture", $"{needed} (needed by {requester}) exists only for another architecture: {string.Join(", ", rejected)}",
                            node.Path, $"DT_NEEDED {needed}; searched {searched}")
                        : new LoadProblem("library-missing", $"{needed} (needed by {requester}) is not in the image",
                            node.Path, $"DT_NEEDED {needed}; searched {searched}"));
                    continue;
                }

                var (foundPath, file) = found.Value;
                if (file.Elf!.Damage is { } damage)
                {
                    // The first candidate that opens is the one mapped (musl's path_open, glibc's open_verify): a damaged
                    // one stops the load there, it is not skipped for a later directory.
                    var requester = node.Path == path ? "it" : node.Path;
                    problems.Add(new LoadProblem("library-damaged", $"{needed} (needed by {requester}) is {foundPath}, which is damaged: {damage}",
                        node.Path, $"DT_NEEDED {needed}; {file.Real}: {damage}"));
                    byName[needed] = new LoadedObject(needed, foundPath, file.Real, false);
                    continue;
                }

                var loaded = new LoadedObject(needed, foundPath, file.Real, interpReal == file.Real);
                byName[needed] = loaded;
                if (file.Elf!.Soname is { } so)
                {
                    byName.TryAdd(so, loaded);
                }

                if (!byReal.Add(file.Real))
                {
                    // The same file under another name (ld.so matches by inode too): loaded once.
                    continue;
                }

                closure.Add(loaded);
                queue.Enqueue(new Node(foundPath, file.Real, file.Elf, node));
            }
        }

        if (family == LoaderFamily.Glibc)
        {
            CheckVersions(path, elf, closure, byName, problems);
        }

        return new LoadResult(closure, problems);
    }

    /// <summary>
    /// glibc refuses to start when an object asks a library for a version (.gnu.version_r) that library does not
    /// define (.gnu.version_d). A library without any version definitions only draws a warning from ld.so: skipped.
    /// </summary>
    private void CheckVersions(string path, ElfSummary elf, List<LoadedObject> closure, Dictionary<string, LoadedObject> byName, List<LoadProblem> problems)
    {
        var objects = new List<(string Path, ElfSummary Elf)> { (path, elf) };
        objects.AddRange(closure.Select(c => (c.Path, Open(c.Path).Elf)).Where(o => o.Elf is not null).Select(o => (o.Path, o.Elf!)));
        foreach (var (objectPath, objectElf) in objects)
        {
            foreach (var need in objectElf.VersionNeeds)
            {
                if (!byName.TryGetValue(need.File, out var provider) || Open(provider.Path).Elf is not { } providerElf || providerElf.VersionDefinitions.Count == 0)
                {
                    continue;
                }

                foreach (var version in need.Versions.Where(v => !providerElf.VersionDefinitions.Contains(v)))
                {
                    var who = objectPath == path ? "it" : objectPath;
                    problems.Add(new LoadProblem("symbol-version-missing",
                        $"{need.File} {version} (needed by {who}) is not defined by {provider.Path}, which defines up to {Newest(providerElf.VersionDefinitions)}",
                        objectPath, $"version need {need.File} {version}; {provider.Path} defines {providerElf.VersionDefinitions.Count} versions"));
                }
            }
        }
    }

    private static string Newest(IReadOnlyList<string> versions)
    {
        var glibc = versions.Where(v => v.StartsWith("GLIBC_2.", StringComparison.Ordinal)).ToList();
        return glibc.Count > 0 ? glibc.MaxBy(v => Libc.LibcAnalyzer.VersionKey(v["GLIBC_".Length..]))! : versions[^1];
    }

    private ((string Path, (string Real, ElfSummary? Elf, bool Exists) File)? Found, List<string> Rejected, string Searched) Search(
        string needed, Node requester, Node root, LoaderFamily family, ElfSummary rootElf, IReadOnlyList<string> libraryPath)
    {
        var rejected = new List<string>();
        var searched = new List<string>();
        if (needed.Contains('/'))
        {
            var direct = needed.StartsWith('/') ? needed : "/" + needed;
            searched.Add(direct);
            return (Try(direct, rootElf, rejected), rejected, direct);
        }

        IEnumerable<string> Dirs()
        {
            if (family == LoaderFamily.Glibc)
            {
                // ld.so(8): DT_RPATH of the object and of the objects that loaded it, only when the object has no DT_RUNPATH;
                // then DT_RUNPATH of the object itself.
                if (requester.Elf.Runpath is null)
                {
                    for (var n = requester; n is not null; n = n.Parent)
                    {
                        if (n.Elf.Runpath is null && n.Elf.Rpath is { } rpath)
                        {
                            foreach (var d in Expand(rpath, n, rootElf))
                            {
                                yield return d;
                            }
                        }
                    }
                }

                foreach (var d in libraryPath)
                {
                    yield return d;
                }

                if (requester.Elf.Runpath is not null)
                {
                    foreach (var d in Expand(requester.Elf.Runpath, requester, rootElf))
                    {
                        yield return d;
                    }
                }
            }
            else
            {
                foreach (var d in libraryPath)
                {
                    yield return d;
                }

                // musl: each object's DT_RUNPATH, else DT_RPATH, from the requester up to the program.
                for (var n = requester; n is not null; n = n.Parent)
                {
                    if ((n.Elf.Runpath ?? n.Elf.Rpath) is { } rpath)
                    {
                        foreach (var d in Expand(rpath, n, rootElf))
                        {
                            yield return d;
                        }
                    }
                }
            }
        }

        foreach (var dir in Dirs())
        {
            var candidate = Join(dir, needed);
            searched.Add(candidate);
            if (Try(candidate, rootElf, rejected) is { } hit)
            {
                return (hit, rejected, string.Join(":", searched));
            }
        }

        if (family == LoaderFamily.Glibc)
        {
            foreach (var entry in _cache.Where(e => e.Name == needed))
            {
                searched.Add("ld.so.cache:" + entry.Path);
                if (Try(entry.Path, rootElf, rejected) is { } hit)
                {
                    return (hit, rejected, string.Join(":", searched));
                }
            }
        }

        foreach (var dir in family == LoaderFamily.Glibc ? GlibcDefaultDirs(rootElf) : MuslDirs())
        {
            var candidate = Join(dir, needed);
            searched.Add(candidate);
            if (Try(candidate, rootElf, rejected) is { } hit)
            {
                return (hit, rejected, string.Join(":", searched));
            }
        }

        return (null, rejected, string.Join(":", searched));
    }

    /// <summary>
    /// A candidate is taken when it is an ELF file of the program's class and machine; ld.so skips others silently. A
    /// damaged ELF file is taken too: the loader fails on it (<see cref="Load"/> reports library-damaged).
    /// </summary>
    private (string Path, (string Real, ElfSummary? Elf, bool Exists) File)? Try(string candidate, ElfSummary want, List<string> rejected)
    {
        var file = Open(candidate);
        if (!file.Exists || file.Elf is null)
        {
            return null;
        }

        if (file.Elf.Damage is null && (file.Elf.Bits != want.Bits || file.Elf.MachineCode != want.MachineCode || file.Elf.BigEndian != want.BigEndian))
        {
            rejected.Add($"{candidate} ({file.Elf.Bits}-bit {file.Elf.Machine})");
            return null;
        }

        return (candidate, file);
    }

    private IEnumerable<string> MuslDirs()
    {
        if (_muslPathFiles.Count > 0)
        {
            // /etc/ld-musl-ARCH.path: directories separated by newlines or colons (musl ldso/dynlink.c).
            return _muslPathFiles.Values.First().Split([':', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        return MuslDefaultDirs;
    }

    /// <summary>
    /// glibc's compiled-in system directories: the multiarch pair Debian builds with (/lib/TRIPLET, /usr/lib/TRIPLET),
    /// the 64-bit pair upstream uses (/lib64, /usr/lib64), then /lib and /usr/lib.
    /// </summary>
    private static IEnumerable<string> GlibcDefaultDirs(ElfSummary elf)
    {
        if (Triplet(elf) is { } triplet)
        {
            yield return "/lib/" + triplet;
            yield return "/usr/lib/" + triplet;
        }

        if (elf.Bits == 64)
        {
            yield return "/lib64";
            yield return "/usr/lib64";
        }

        yield return "/lib";
        yield return "/usr/lib";
    }

    private static string? Triplet(ElfSummary elf) => elf.Machine switch
    {
        "x86_64" => "x86_64-linux-gnu",
        "x86" => "i386-linux-gnu",
        "aarch64" => "aarch64-linux-gnu",
        "arm" => "arm-linux-gnueabihf",
        "ppc64le" => "powerpc64le-linux-gnu",
        "s390x" => "s390x-linux-gnu",
        "riscv64" => "riscv64-linux-gnu",
        "mips" => "mips-linux-gnu",
        "mipsel" => "mipsel-linux-gnu",
        "mips64el" => "mips64el-linux-gnuabi64",
        _ => null,
    };

    /// <summary>Splits a DT_RPATH/DT_RUNPATH on ':' and expands $ORIGIN (the object's directory), $LIB and $PLATFORM (glibc).</summary>
    private static IEnumerable<string> Expand(string list, Node owner, ElfSummary rootElf)
    {
        var origin = Directory(owner.Path);
        var lib = rootElf.Bits == 64 ? "lib64" : "lib";
        foreach (var raw in list.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var dir = raw.Replace("${ORIGIN}", origin, StringComparison.Ordinal).Replace("$ORIGIN", origin, StringComparison.Ordinal)
                .Replace("${LIB}", lib, StringComparison.Ordinal).Replace("$LIB", lib, StringComparison.Ordinal)
                .Replace("${PLATFORM}", rootElf.Machine, StringComparison.Ordinal).Replace("$PLATFORM", rootElf.Machine, StringComparison.Ordinal);
            yield return dir;
        }
    }

    private static string Directory(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    private static string Join(string dir, string name)
    {
        var d = dir.StartsWith('/') ? dir : "/" + dir;
        return d.EndsWith('/') ? d + name : d + "/" + name;
    }

    private static bool IsMuslReserved(string name)
        => name.StartsWith("lib", StringComparison.Ordinal) && MuslReserved.Any(r => name.AsSpan(3).StartsWith(r, StringComparison.Ordinal));

    private string Real(string path) => Open(path).Real;

    /// <summary>Looks a path up once (symlinks followed, loops count as missing) and keeps the file's ELF facts.</summary>
    internal (string Real, ElfSummary? Elf, bool Exists) Open(string path)
    {
        if (_files.TryGetValue(path, out var known))
        {
            return known;
        }

        (string, ElfSummary?, bool) result;
        try
        {
            var node = _view.Resolve(path.TrimStart('/'), followFinal: true, out var resolved);
            result = node?.Kind == FileKind.Regular ? ("/" + resolved.TrimStart('/'), node.Data?.GetElf(), true) : (path, null, false);
        }
        catch (SymlinkLoopException)
        {
            result = (path, null, false);
        }

        _files[path] = result;
        return result;
    }

    private sealed record Node(string Path, string Real, ElfSummary Elf, Node? Parent);
}
