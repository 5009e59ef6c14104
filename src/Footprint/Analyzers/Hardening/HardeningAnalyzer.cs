using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Walk;

namespace Footprint.Analyzers.Hardening;

/// <summary>
/// checksec's flags (PIE, RELRO, NX, canary, FORTIFY, RPATH/RUNPATH, symbols) for every executable and shared library
/// of the squashed view, and the share of files that have each. Asks for the same files as the binaries analyzer
/// (an execute bit or a .so name), so the ELF summaries are computed once for both.
/// </summary>
public sealed class HardeningAnalyzer : IAnalyzer, IProducer<HardeningReport>
{
    /// <summary>Smallest possible ELF file: a 32-bit header.</summary>
    private const int MinElfBytes = 52;

    private readonly List<(FileData Data, ElfHardeningReport Report)> _files = [];

    public string Id => "hardening";

    public int Version => 1;

    public HardeningReport Produce(AnalysisContext context) => Result();

    public ContentNeed Required(string path, FsNode node)
        => node.Kind == FileKind.Regular && node.SizeBytes >= MinElfBytes && MayBeElf(path, node.Mode) ? ContentNeed.Inspect : ContentNeed.None;

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        if (Required(path, node) == ContentNeed.None || node.Data is not { } data || data.GetElf() is not { } elf || !ElfHardening.Applies(elf))
        {
            return;
        }

        _files.Add((data, ElfHardening.Judge("/" + path, data.LayerIndex, elf)));
    }

    public HardeningReport Result()
    {
        // Coverage counts inodes: a program hard-linked under several names is one program.
        var distinct = new Dictionary<FileData, ElfHardeningReport>(ReferenceEqualityComparer.Instance);
        foreach (var (data, report) in _files)
        {
            distinct.TryAdd(data, report);
        }

        var all = distinct.Values.ToList();
        var executables = all.Where(f => f.Kind == "executable").ToList();
        var fortifiable = all.Where(f => f.Fortify != "unknown").ToList();
        HardeningCoverage Cover(string flag, List<ElfHardeningReport> over, Func<ElfHardeningReport, bool> yes)
        {
            var n = over.Count(yes);
            return new HardeningCoverage(flag, over.Count, n, over.Count == 0 ? 100 : Math.Round(100.0 * n / over.Count, 1));
        }

        HardeningCoverage[] coverage =
        [
            Cover("pie", executables, f => f.Pie == "yes"),
            Cover("relro-full", all, f => f.Relro == "full"),
            Cover("nx", all, f => f.Nx == "yes"),
            Cover("canary", all, f => f.Canary == "yes"),
            Cover("fortify", fortifiable, f => f.Fortify == "yes"),
            Cover("no-rpath", all, f => f.Rpath is null && f.Runpath is null),
            Cover("stripped", all, f => !f.Symbols),
        ];
        return new HardeningReport(coverage, _files.Select(f => f.Report).OrderBy(f => f.Path, StringComparer.Ordinal).ToList());
    }

    private static bool MayBeElf(string path, int mode)
    {
        if ((mode & 0b001_001_001) != 0)
        {
            return true;
        }

        var name = path.AsSpan(path.LastIndexOf('/') + 1);
        return name.EndsWith(".so", StringComparison.Ordinal) || name.Contains(".so.", StringComparison.Ordinal);
    }
}
