using Footprint.Analyzers;
using Footprint.Formats.Kernel;
using Footprint.Sources.Kernel;

namespace Footprint.Measures.Kernel;

/// <summary>
/// The `kernel` section: a kernel image's version, sizes, compressor, architecture, embedded configuration and built-in
/// initramfs (docs/kernel.md). Only kernel artifacts have one; the facts were read when the source was opened.
/// </summary>
public sealed class KernelImageMeasure : IProducer<KernelImageReport>
{
    public string Id => "kernel-image";

    public int Version => 1;

    public KernelImageReport? Produce(AnalysisContext context)
        => context.Source.Capability<IKernelArtifact>() is { } kernel ? Describe(kernel.Image) : null;

    public static KernelImageReport Describe(KernelImage k) => new()
    {
        Format = k.Format,
        Release = k.Release,
        SetupVersion = k.Setup?.SetupVersion,
        Banner = k.Banner,
        VersionsAgree = k.VersionsAgree,
        Architecture = k.Architecture,
        Bits = k.Bits,
        Compressor = k.Compressor,
        FileBytes = k.FileBytes,
        PayloadOffset = k.PayloadOffset,
        PayloadBytes = k.PayloadBytes,
        DecompressedBytes = k.DecompressedBytes,
        BootProtocol = k.Setup?.ProtocolText,
        SetupSectors = k.Setup?.SetupSectors,
        InitSizeBytes = k.Setup?.InitSizeBytes,
        EfiStub = k.Setup?.EfiStub,
        Config = k.Config is { } c ? Config(c) : null,
        Initramfs = k.Initramfs is { } i ? new BuiltInInitramfsReport(i.Offset, i.Bytes.Length, i.Compression, i.LocatedBy, i.RecordedBytes, i.DefaultStub) : null,
    };

    private static KernelConfigReport Config(KernelConfig c)
    {
        var f = KernelConfigFacts.Of(c);
        return new KernelConfigReport
        {
            Offset = c.Offset,
            CompressedBytes = c.CompressedBytes,
            Symbols = c.Entries.Count,
            SerialConsoles = f.SerialConsoles,
            SerialConsole = f.SerialConsoles.Count > 0,
            Squashfs = f.Squashfs,
            SquashfsCompressors = f.SquashfsCompressors,
            Overlayfs = f.Overlayfs,
            Devtmpfs = f.Devtmpfs,
            DevtmpfsMount = f.DevtmpfsMount,
            Initrd = f.Initrd,
            InitrdCompressors = f.InitrdCompressors,
            InitramfsSource = f.InitramfsSource,
            Memory = f.Memory,
        };
    }
}
