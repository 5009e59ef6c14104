using Footprint.Analyzers;
using Footprint.Analyzers.Binaries;
using Footprint.Analyzers.Files;
using Footprint.Analyzers.Hardening;
using Footprint.Analyzers.Identity;
using Footprint.Analyzers.Installed;
using Footprint.Analyzers.KernelModules;
using Footprint.Analyzers.Libc;
using Footprint.Analyzers.Links;
using Footprint.Analyzers.Loader;
using Footprint.Analyzers.Packages.Apk;
using Footprint.Analyzers.Packages.Chisel;
using Footprint.Analyzers.Packages.Dpkg;
using Footprint.Analyzers.Packages.Opkg;
using Footprint.Analyzers.Packages.Puppy;
using Footprint.Analyzers.Packages.Rpm;
using Footprint.Analyzers.Packages.Slackware;
using Footprint.Analyzers.Packages.Tazpkg;
using Footprint.Analyzers.Packages.Tcz;
using Footprint.Analyzers.Reachability;
using Footprint.Analyzers.Surface;
using Footprint.Analyzers.Vulnerabilities;
using Footprint.Measures.Breakdown;
using Footprint.Measures.Download;
using Footprint.Measures.Files;
using Footprint.Measures.Integrity;
using Footprint.Measures.Inventory;
using Footprint.Measures.Kernel;
using Footprint.Measures.RamResident;

namespace Footprint.Pipeline;

/// <summary>
/// The one list of every analyzer and measure (docs/analyzers.md): adding one is one line here. The pipeline orders
/// them by what they consume, not by this list; the list order is only the order of output that several producers
/// share (package inventories, warnings), so it never depends on timing.
/// </summary>
public static class AnalyzerRegistry
{
    /// <summary>Fresh instances for one run (analyzers keep state while the walk goes).</summary>
    public static IReadOnlyList<IProducer> Create(AnalysisOptions options) =>
    [
        new InstalledFootprintAnalyzer(options.LargestFiles),
        new OsIdentityAnalyzer(),
        new ArchitectureAnalyzer(),
        new ApkDatabaseAnalyzer(),
        new DpkgDatabaseAnalyzer(),
        new OpkgDatabaseAnalyzer(),
        new RpmDatabaseAnalyzer(),
        new TczDatabaseAnalyzer(),
        new SlackwareDatabaseAnalyzer(),
        new TazpkgDatabaseAnalyzer(),
        new PuppyDatabaseAnalyzer(),
        new ChiselManifestAnalyzer(),
        new KernelModulesAnalyzer(),
        new BinariesAnalyzer(),
        new SymlinkLoopAnalyzer(),
        new LayerVerificationMeasure(),
        new ReleaseConsistencyCheck(),
        new LibcAnalyzer(),
        new LoaderAnalyzer(),
        new HardeningAnalyzer(),
        new SurfaceAnalyzer(),
        new ReachabilityAnalyzer(),
        new VulnerabilityAnalyzer(),
        new FileListCollector(),
        new InventoryMeasure(),
        new FileListingMeasure(),
        new BreakdownMeasure(),
        new DownloadMeasure(),
        new CompositionMeasure(),
        new RamResidentMeasure(),
        new KernelImageMeasure(),
    ];
}
