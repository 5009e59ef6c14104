using Footprint.Analyzers.Libc;
using Footprint.Analyzers.Loader;
using Footprint.FileSystem;
using Footprint.Pipeline;
using Footprint.Sources;
using Footprint.Walk;

namespace Footprint.Tests.Analyzers.Loader;

/// <summary>The libc and loader analyzers alone over an artifact, keeping every closure the model computed.</summary>
internal sealed record LintRun(LayeredFileSystem View, LintReport Report, Dictionary<string, LoadResult> Closures)
{
    public static LintRun Of(string reference)
    {
        var warnings = new List<FsWarning>();
        using var source = ArtifactOpener.Open(reference, null, warnings);
        var libc = new LibcAnalyzer();
        var loader = new LoaderAnalyzer();
        var view = new ArtifactLoader([libc, loader], new LayerReadOptions()).Load(source, warnings);
        Walker.Run(view, [libc, loader]);
        var closures = new Dictionary<string, LoadResult>(StringComparer.Ordinal);
        var report = loader.Result(view, libc.Result(view, []), closures);
        return new LintRun(view, report, closures);
    }

    /// <summary>Paths of the dynamic programs (PT_INTERP) the model loaded.</summary>
    public IEnumerable<string> Programs => Closures.Keys.Where(p =>
        View.Resolve(p.TrimStart('/'), followFinal: false)?.Data?.GetElf()?.Linkage == Footprint.Formats.Elf.ElfLinkage.Dynamic).Order(StringComparer.Ordinal);
}
