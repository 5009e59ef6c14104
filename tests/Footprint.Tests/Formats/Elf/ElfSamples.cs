using Footprint.Formats.Elf;

namespace Footprint.Tests.Formats.Elf;

/// <summary>Real ELF files pulled out of real archives with GNU tar, and the comparison with readelf.</summary>
internal static class ElfSamples
{
    /// <summary>A dynamically linked, PIE, glibc binary of this machine (Debian; /usr/bin/readelf is a symlink to it).</summary>
    public static string HostBinary { get; } = new FileInfo("/usr/bin/readelf").ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? "/usr/bin/readelf";

    /// <summary>
    /// Extracts the regular files under <paramref name="dirs"/> and returns up to <paramref name="max"/> of the ELF
    /// ones, spread evenly over the sorted list (so libraries and programs are both sampled).
    /// </summary>
    public static List<string> Extract(string archive, string into, string[] dirs, int max)
    {
        ExternalTools.Require("tar", "readelf", "file");
        var members = ExternalTools.Bash(into, $"tar -tf '{archive}'").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(m => dirs.Any(d => m.TrimStart('.', '/').StartsWith(d + "/", StringComparison.Ordinal)))
            .ToList();
        var wanted = Path.Combine(into, "members.txt");
        File.WriteAllLines(wanted, members);
        ExternalTools.Bash(into, $"tar -xf '{archive}' --no-same-owner --no-recursion -T members.txt 2>/dev/null || true");
        var elves = new List<string>();
        Span<byte> head = stackalloc byte[16];
        foreach (var m in members)
        {
            var path = Path.Combine(into, m.TrimStart('.', '/'));
            var info = new FileInfo(path);
            if (!info.Exists || info.LinkTarget is not null || info.Length < 64)
            {
                continue;
            }

            using (var f = File.OpenRead(path))
            {
                f.ReadAtLeast(head, 16, throwOnEndOfStream: false);
            }

            if (ElfReader.IsElf(head))
            {
                elves.Add(path);
            }
        }

        elves.Sort(StringComparer.Ordinal);
        if (elves.Count <= max)
        {
            return elves;
        }

        var step = (double)elves.Count / max;
        return Enumerable.Range(0, max).Select(i => elves[(int)(i * step)]).Distinct().ToList();
    }

    /// <summary>The functions that start programs (execve(2), exec(3), system(3), popen(3), posix_spawn(3)), in ordinal order.</summary>
    private static readonly string[] SpawnFunctions =
        [.. new[] { "execve", "execv", "execvp", "execvpe", "execl", "execlp", "execle", "execveat", "fexecve", "system", "popen", "posix_spawn", "posix_spawnp" }.Order(StringComparer.Ordinal)];

    public static ElfSummary Summarize(string file)
    {
        var bytes = File.ReadAllBytes(file);
        return ElfReader.Read(bytes, bytes.Length) ?? throw new InvalidOperationException(file + " is not ELF");
    }

    public static void AssertAllMatch(IEnumerable<string> files)
    {
        var problems = new List<string>();
        foreach (var file in files)
        {
            var inMemory = Summarize(file);
            problems.AddRange(Compare(inMemory, ReadelfTruth.Read(file)).Select(p => $"{file}: {p}"));

            // The disk path reads the same tables by random access (without the whole-file string scans).
            using var handle = File.OpenHandle(file);
            var onDisk = ElfReader.Read(handle, new FileInfo(file).Length)!;
            if (Describe(inMemory with { BusyBoxVersion = null, RustMarker = null, LibraryStrings = null }) != Describe(onDisk))
            {
                problems.Add($"{file}: random-access summary differs:\n{Describe(onDisk)}\nin memory:\n{Describe(inMemory)}");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    public static IEnumerable<string> Compare(ElfSummary s, ElfFacts t)
    {
        if (s.Error is not null)
        {
            yield return "error: " + s.Error;
        }

        foreach (var (name, ours, theirs) in new (string, object?, object?)[]
        {
            ("bits", s.Bits, t.Bits),
            ("big-endian", s.BigEndian, t.BigEndian),
            ("type", s.Type, t.Type),
            ("machine", s.MachineCode, t.MachineCode),
            ("section headers", s.HasSectionHeaders, t.HasSectionHeaders),
            ("stripped", s.HasSymbolTable, t.HasSymbolTable),
            ("interpreter", s.Interpreter, t.Interpreter),
            ("relro", s.Relro, t.Relro),
            ("gnu-stack", s.GnuStackFlags, t.GnuStackFlags),
            ("needed", string.Join(',', s.Needed), string.Join(',', t.Needed)),
            ("soname", s.Soname, t.Soname),
            ("rpath", s.Rpath, t.Rpath),
            ("runpath", s.Runpath, t.Runpath),
            ("DT_FLAGS", s.Flags.HasValue, t.HasFlags),
            ("DF_BIND_NOW", ((s.Flags ?? 0) & 8) != 0, t.FlagsBindNow),
            ("DT_FLAGS_1", s.Flags1.HasValue, t.HasFlags1),
            ("DF_1_NOW", ((s.Flags1 ?? 0) & 1) != 0, t.Flags1Now),
            ("DF_1_PIE", ((s.Flags1 ?? 0) & 0x08000000) != 0, t.Flags1Pie),
            ("readelf PIE type", s.Type == "DYN" && ((s.Flags1 ?? 0) & 0x08000000) != 0, t.PieFlag),
            ("bind-now", s.BindNow, t.DtBindNow || t.FlagsBindNow || t.Flags1Now),
            ("build-id", s.BuildId, t.BuildId),
            ("comments", string.Join('|', s.Comments), string.Join('|', t.Comments)),
            ("linkage", s.Linkage, LinkageFromFile(t.File, t)),
            ("machine name", s.Machine, s.Machine), // names are ours; the code is compared above
        })
        {
            if (!Equals(ours, theirs))
            {
                yield return $"{name}: ours '{ours}', readelf/file '{theirs}'";
            }
        }

        // Reachability's imports: the spawn functions and dlopen, from section headers or (sstrip'ed) DT_SYMTAB.
        var spawn = string.Join(',', SpawnFunctions.Where(t.Imports.Contains));
        if (string.Join(',', s.SpawnImports) != spawn)
        {
            yield return $"spawn imports: ours '{string.Join(',', s.SpawnImports)}', readelf -D '{spawn}' ({s.ImportsUnreadable})";
        }

        if (s.ImportsDlopen != (t.Imports.Contains("dlopen") || t.Imports.Contains("dlmopen")))
        {
            yield return $"dlopen import: ours {s.ImportsDlopen}, readelf -D the opposite";
        }

        if (s.ImportsUnreadable is { } why && t.Imports.Count > 0)
        {
            yield return $"imports unreadable ({why}) where readelf -D reads {t.Imports.Count}";
        }

        if (t.HasSectionHeaders)
        {
            var needs = string.Join(';', s.VersionNeeds.Select(n => n.File + ":" + string.Join(',', n.Versions)));
            var theirNeeds = string.Join(';', t.VersionNeeds.Select(n => n.File + ":" + string.Join(',', n.Versions)));
            if (needs != theirNeeds)
            {
                yield return $"version needs: ours '{needs}', readelf '{theirNeeds}'";
            }

            if (string.Join(',', s.VersionDefinitions) != string.Join(',', t.VersionDefinitions))
            {
                yield return $"version definitions: ours '{string.Join(',', s.VersionDefinitions)}', readelf '{string.Join(',', t.VersionDefinitions)}'";
            }

            var stackChk = t.DynamicSymbols.Contains("__stack_chk_fail");
            if (s.StackProtector != stackChk)
            {
                yield return $"__stack_chk_fail: ours {s.StackProtector}, readelf {stackChk}";
            }

            var fortified = t.DynamicSymbols.Where(n => n.StartsWith("__", StringComparison.Ordinal) && n.EndsWith("_chk", StringComparison.Ordinal) && n.Length > 6 && n is not "__stack_chk_fail" and not "__stack_chk_guard")
                .Distinct().Order(StringComparer.Ordinal);
            if (string.Join(',', s.FortifiedSymbols) != string.Join(',', fortified))
            {
                yield return $"fortified: ours '{string.Join(',', s.FortifiedSymbols)}', readelf '{string.Join(',', fortified)}'";
            }
        }
    }

    /// <summary>
    /// file(1)'s words for how a program is linked. file says "static-pie linked" for any ET_DYN without PT_INTERP and
    /// without DT_NEEDED, which includes plain shared libraries that need nothing (ld-musl, OpenSSL engines); readelf's
    /// DF_1_PIE is what tells a static PIE from such a library, so that is the truth used for them.
    /// </summary>
    private static ElfLinkage LinkageFromFile(string says, ElfFacts t)
        => says.Contains("relocatable", StringComparison.Ordinal) || says.Contains("core file", StringComparison.Ordinal) ? ElfLinkage.None
            : says.Contains("static-pie linked", StringComparison.Ordinal) ? (t.Flags1Pie ? ElfLinkage.StaticPie : ElfLinkage.SharedLibrary)
            : says.Contains("statically linked", StringComparison.Ordinal) ? ElfLinkage.Static
            : says.Contains("interpreter", StringComparison.Ordinal) ? ElfLinkage.Dynamic
            : ElfLinkage.SharedLibrary;

    /// <summary>Every field, for comparing two summaries.</summary>
    public static string Describe(ElfSummary s) => string.Join('\n', new object?[]
    {
        s.Bits, s.BigEndian, s.Type, s.MachineCode, s.Machine, s.Linkage, s.Interpreter, string.Join(',', s.Needed), s.Soname, s.Rpath, s.Runpath,
        s.Flags, s.Flags1, s.BindNow, s.Pie, s.Relro, s.GnuStackFlags,
        string.Join(';', s.VersionNeeds.Select(n => n.File + ":" + string.Join(',', n.Versions))), string.Join(',', s.VersionDefinitions),
        s.HasSymbolTable, s.HasSectionHeaders, s.BuildId, s.StackProtector, string.Join(',', s.FortifiedSymbols), string.Join('|', s.Comments),
        s.Go?.GoVersion, s.RustMarker, s.BusyBoxVersion, s.Partial, s.Error,
        string.Join(',', s.SpawnImports), s.ImportsDlopen, s.ImportsUnreadable, s.LibraryStrings is null ? null : string.Join('|', s.LibraryStrings),
    });
}
