using Footprint.Analyzers.Identity;
using Footprint.Analyzers.Installed;
using Footprint.Analyzers.Loader;
using Footprint.Analyzers.Surface;
using Footprint.Analyzers.Vulnerabilities;
using Footprint.FileSystem;
using Footprint.Measures.Download;
using Footprint.Measures.Files;
using Footprint.Measures.Integrity;
using Footprint.Measures.Inventory;
using Footprint.Measures.RamResident;
using Footprint.Pipeline;
using Footprint.Sources;

namespace Footprint.Reports;

/// <summary>Measures an artifact and assembles its <see cref="ArtifactReport"/> from the pipeline's results, by type.</summary>
public static class ReportAssembler
{
    public static ArtifactReport Measure(string reference, MeasureOptions options, CancellationToken cancel = default)
        => Assemble(MeasurePipeline.Run(reference, options, cancel));

    public static ArtifactReport Measure(IArtifactSource source, MeasureOptions options, List<FsWarning> warnings, CancellationToken cancel = default)
        => Assemble(MeasurePipeline.Run(source, options, warnings, cancel));

    public static ArtifactReport Assemble(AnalysisRun run)
    {
        var config = run.Config;
        return new ArtifactReport
        {
            Input = run.Location,
            Kind = run.Kind.Name,
            ManifestDigest = run.ManifestDigest,
            LayersVerified = run.Get<LayerVerificationResult>()?.Verified,
            Identity = new IdentityReport(run.Get<OsIdentity>()?.Os, run.Get<ArchitectureReport>()),
            Config = config is null ? null : new ConfigReport(config.Os, config.Architecture, config.Variant, config.Entrypoint, config.Cmd, config.User, config.WorkingDir, config.ExposedPorts, config.Created),
            Download = run.Required<DownloadReport>(),
            Installed = run.Required<InstalledReport>(),
            Inventory = run.Get<Ownership>()?.Report,
            Breakdown = run.Get<Measures.Breakdown.BreakdownReport>(),
            Files = run.Get<FileList>()?.Files,
            Lint = run.Get<LintReport>(),
            Surface = run.Get<SurfaceReport>(),
            Vulnerabilities = run.Get<VulnerabilityReport>(),
            Composition = run.Get<CompositionReport>(),
            RamResident = run.Get<RamResidentReport>(),
            Kernel = run.Get<Measures.Kernel.KernelImageReport>(),
            KernelModules = run.Get<Analyzers.KernelModules.KernelModulesReport>(),
            ExcludedPaths = run.ExcludedPaths,
            Analyzers = run.Statuses?.Select(s => new AnalyzerRunReport(s.Id, s.Version, s.Status)).ToList(),
            Warnings = run.Warnings.Select(w => new WarningReport(w.Code, w.Message, w.Source, w.Path, w.Offset)).ToList(),
        };
    }
}
