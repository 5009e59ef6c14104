using System.Collections.Concurrent;
using Footprint.Analyzers.Binaries;
using Footprint.Analyzers.Files;
using Footprint.Analyzers.Hardening;
using Footprint.Analyzers.Identity;
using Footprint.Analyzers.Installed;
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
using Footprint.Analyzers.Packages;
using Footprint.Analyzers.Surface;
using Footprint.FileSystem;
using Footprint.Measures.Download;
using Footprint.Measures.Files;
using Footprint.Measures.Inventory;
using Footprint.Measures.RamResident;
using Footprint.Reports;
using Footprint.Sources;
using Footprint.Walk;

namespace Footprint.Pipeline;

/// <summary>artifact -> layers -> layered filesystem -> one walk -> analyzers -> <see cref="ArtifactReport"/>.</summary>
public static class MeasurePipeline
{
    public static ArtifactReport Measure(string reference, MeasureOptions options, CancellationToken cancel = default)
    {
        var warnings = new List<FsWarning>();
        using var source = ArtifactOpener.Open(reference, options.Platform, warnings, options.Limits);
        var result = Measure(source, options, warnings, cancel);
        return result;
    }

    public static ArtifactReport Measure(IArtifactSource source, MeasureOptions options, List<FsWarning> warnings, CancellationToken cancel = default)
    {
        var installed = new InstalledFootprintAnalyzer(options.LargestFiles);
        var os = new OsIdentityAnalyzer();
        var arch = new ArchitectureAnalyzer();
        var apk = new ApkDatabaseAnalyzer();
        var dpkg = new DpkgDatabaseAnalyzer();
        var opkg = new OpkgDatabaseAnalyzer();
        var rpm = new RpmDatabaseAnalyzer();
        IPackageDatabaseAnalyzer[] tiny = [new TczDatabaseAnalyzer(), new SlackwareDatabaseAnalyzer(), new TazpkgDatabaseAnalyzer(), new PuppyDatabaseAnalyzer(), new ChiselManifestAnalyzer()];
        var binaries = new BinariesAnalyzer();
        var libc = new LibcAnalyzer();
        var loader = new LoaderAnalyzer();
        var hardening = new HardeningAnalyzer();
        var surface = new SurfaceAnalyzer();
        IAnalyzer[] analyzers = [installed, os, arch, apk, dpkg, opkg, rpm, .. tiny, binaries, libc, loader, hardening, surface];
        var pushSizes = new ConcurrentDictionary<int, Sources.Image.PushSize>();
        var readOptions = new LayerReadOptions
        {
            Limits = options.Limits,
            MeasurePushSize = options.MeasurePushSize,
            ExactPushSize = options.ExactPushSize,
            HashFiles = options.ListFiles,
            Verify = options.Verify,
            OnPushSize = (layer, push) => pushSizes[layer.Index] = push,
        };
        IFileSystemView view;
        if (source is Sources.Directory.DirectorySource directory)
        {
            // A directory is random access already: walk the disk itself instead of holding a copy of its tree.
            view = directory.OpenView();
        }
        else
        {
            var artifactLoader = new ArtifactLoader(analyzers, readOptions) { Progress = options.Progress };
            view = artifactLoader.Load(source, warnings, cancel);
        }

        var loops = new SymlinkLoopAnalyzer(view, source.Location);
        var fileList = options.ListFiles ? new FileListCollector() : null;
        IAnalyzer[] walked = fileList is null ? [.. analyzers, loops] : [.. analyzers, loops, fileList];
        Walker.Run(view, walked, options.Progress is { } p ? n => p.Report(new LoadProgress(0, 1, n)) : null, cancel);
        warnings.AddRange(loops.Warnings);
        var layersVerified = Sources.Image.LayerVerification.Summarize(source, options.Verify, warnings);
        var download = DownloadMeasure.Compute(source, pushSizes);
        if (options.Have is { } have)
        {
            using var other = ArtifactOpener.Open(have, options.Platform, []);
            download = download with { Have = DownloadMeasure.Have(have, other, download) };
        }

        var config = source.Config;
        var osReport = os.Result(view);
        var installedReport = installed.Result(view, source.Layers);
        var (binaryPackages, goModules) = binaries.Result(view);
        PackageInventory[] inventories =
        [
            apk.Result(osReport?.Id == "alpine" ? osReport.VersionId : null),
            dpkg.Result(osReport?.Id is { Length: > 0 } debId && debId != "debian" ? debId : "debian",
                osReport is { Id.Length: > 0, VersionId.Length: > 0 } debOs ? $"{debOs.Id}-{debOs.VersionId}" : null, view),
            opkg.Result(),
            rpm.Result(osReport?.Id),
            .. tiny.Select(a => a.Result()),
            binaryPackages,
            goModules,
        ];
        var databases = inventories.Where(i => i.Databases.Count > 0).ToList();
        warnings.AddRange(ReleaseConsistency.Check(os.Claims, databases, source.Location));
        var lint = loader.Result(view, libc.Result(view, databases)) with { BusyBox = BusyBoxCommands.Classify(view, binaryPackages) };
        if (loader.CacheError is { } cacheError)
        {
            warnings.Add(new FsWarning("ld-so-cache-unreadable", cacheError, source.Location, "/etc/ld.so.cache", null));
        }

        var owners = fileList is null ? null : new FileOwners();
        var inventory = PackageOwnership.Compute(view, databases, installedReport.ApparentBytes, owners);
        if (options.Base is { } baseReference)
        {
            using var baseSource = ArtifactOpener.Open(baseReference, options.Platform, []);
            var (split, packages) = BaseSplit.Compute(baseReference, baseSource.Layers, source.Layers, inventory, installedReport);
            inventory = inventory with { Base = split, Packages = packages };
        }

        return new ArtifactReport
        {
            Input = source.Location,
            Kind = source.Kind,
            ManifestDigest = source.ManifestDigest,
            LayersVerified = layersVerified,
            Identity = new IdentityReport(osReport, arch.Result(config)),
            Config = config is null ? null : new ConfigReport(config.Os, config.Architecture, config.Variant, config.Entrypoint, config.Cmd, config.User, config.WorkingDir, config.ExposedPorts, config.Created),
            Download = download,
            Installed = installedReport,
            Inventory = inventory,
            Files = fileList is null ? null : FileListing.Build(fileList.Files, owners!),
            Lint = lint,
            Surface = surface.Result(view, config, hardening.Result()),
            Composition = source is Sources.LiveMedia.ComposedSource composedSource ? RamResidentMeasure.Describe(composedSource) : null,
            RamResident = source is Sources.LiveMedia.ComposedSource composed ? RamResidentMeasure.Compute(composed) : null,
            ExcludedPaths = source is Sources.Directory.DirectorySource d ? d.Excluded.Order(StringComparer.Ordinal).ToList() : [],
            Warnings = warnings.Select(w => new WarningReport(w.Code, w.Message, w.Source, w.Path, w.Offset)).ToList(),
        };
    }
}
