using Footprint.Analyzers;
using Footprint.Sources.LiveMedia;

namespace Footprint.Measures.RamResident;

/// <summary>
/// The RAM-resident footprint of a composed system: what its components hold in RAM once booted. A component
/// unpacked into RAM (an initramfs, copy2fs) holds its regular files in tmpfs pages (each file rounded up to 4 KiB);
/// one copied into RAM compressed (toram) holds its stored bytes; one mounted from the medium holds nothing for
/// certain (its pages are evictable cache). Directories, inodes and dentries are not counted. See docs/live.md.
/// </summary>
public sealed class RamResidentMeasure : IProducer<RamResidentReport>
{
    public string Id => "ram-resident";

    public int Version => 1;

    /// <summary>Only composed systems (live media, disk images, firmware) have a RAM-resident footprint to compute.</summary>
    public RamResidentReport? Produce(AnalysisContext context)
        => context.Source.Capability<IComposedMedium>() is { } medium ? Compute(medium) : null;

    public static RamResidentReport Compute(IComposedMedium source)
    {
        var rows = source.Composition.Components.Select(c =>
        {
            var stats = source.Stats[c.Layer];
            return new RamComponentReport(c.Layer, c.Path, Name(c.Default), Bytes(c.Default, c, stats), Name(c.ToRam), Bytes(c.ToRam, c, stats));
        }).ToList();
        return new RamResidentReport
        {
            MinimumBytes = rows.Sum(r => r.Bytes),
            ToRamBytes = rows.Sum(r => r.ToRamBytes),
            Explanation = "lower bound on running memory: files unpacked into RAM in 4 KiB tmpfs pages plus images copied into RAM compressed; "
                + "components mounted from the medium count 0; the kernel, page tables, slab and processes come on top",
            Components = rows,
            KernelInitSizeBytes = source.Medium.Kernel?.InitSizeBytes,
        };
    }

    public static CompositionReport Describe(IComposedMedium source)
    {
        var c = source.Composition;
        return new CompositionReport
        {
            Rule = c.Rule,
            Description = c.Description,
            Source = c.Source,
            Medium = source.Medium.Format,
            MediumDetails = source.Medium.Details,
            Parts = source.Medium.Parts.Select(p => new MediumPartReport(p.Type, p.Offset, p.Length, p.Description)).ToList(),
            Boot = c.Boot is { } b ? new BootEntryReport(b.ConfigPath, b.Label, b.Kernel, b.Initrds, b.Append) : null,
            Kernel = source.Medium.Kernel is { } k ? new KernelReport(k.Path, k.StoredBytes, k.Version, k.InitSizeBytes) : null,
            Components = c.Components.Select(comp =>
            {
                var s = source.Stats[comp.Layer];
                return new ComponentReport
                {
                    Layer = comp.Layer,
                    Path = comp.Path,
                    Role = comp.Role,
                    Format = comp.Format switch { ComponentFormat.Initramfs => "initramfs", ComponentFormat.Squashfs => "squashfs", ComponentFormat.Tar => "tar", _ => "tree" },
                    Compression = s.Compression,
                    StoredBytes = comp.StoredBytes,
                    ExpandedBytes = s.ApparentBytes,
                    Files = s.Files,
                    CompressionRatio = comp.StoredBytes > 0 ? Math.Round((double)s.ApparentBytes / comp.StoredBytes, 3) : 0,
                    DuplicateBytesSaved = s.DuplicateBytesSaved,
                };
            }).ToList(),
            NotLoaded = c.NotLoaded,
        };
    }

    private static long Bytes(Residency r, Component c, ComponentStats s) => r switch
    {
        Residency.ExpandedInRam => s.PageBytes,
        Residency.CompressedInRam => c.StoredBytes,
        _ => 0,
    };

    private static string Name(Residency r) => r switch
    {
        Residency.ExpandedInRam => "expanded-in-ram",
        Residency.CompressedInRam => "compressed-in-ram",
        _ => "on-media",
    };
}
