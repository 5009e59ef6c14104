using Footprint.Formats.Compression;
using Footprint.Formats.Cpio;
using Footprint.Formats.Kernel;
using Footprint.Sources.LiveMedia;

namespace Footprint.Sources.Kernel;

/// <summary>
/// A kernel image as an artifact (docs/kernel.md): an x86 bzImage, a U-Boot uImage kernel or a raw vmlinux. Its facts are the
/// <see cref="IKernelArtifact"/> capability; its one layer, when the kernel has one, is the built-in initramfs,
/// measured through the initramfs reader like any initrd (expanded into RAM at boot). A kernel with no built-in
/// initramfs has no layers. It is also a composed medium (<see cref="IComposedMedium"/>), so download and
/// RAM-resident figures come out as they do for live media.
/// </summary>
public sealed class KernelSource : IArtifactSource, IComposedMedium, IKernelArtifact
{
    private readonly ComposedSource _composed;

    private KernelSource(KernelImage image, ComposedSource composed)
    {
        Image = image;
        _composed = composed;
    }

    public KernelImage Image { get; }

    public SourceKind Kind => _composed.Kind;

    public string Location => _composed.Location;

    public ImageConfig? Config => null;

    public IReadOnlyList<LayerDescriptor> Layers => _composed.Layers;

    public long? ManifestBytes => null;

    public long? ConfigBytes => null;

    public string? ManifestDigest => null;

    public bool InterpretWhiteouts => false;

    public long MediumBytes => _composed.MediumBytes;

    public Composition Composition => _composed.Composition;

    public MediumInfo Medium => _composed.Medium;

    public IReadOnlyList<ComponentStats> Stats => _composed.Stats;

    /// <summary>
    /// Opens <paramref name="path"/> when its content is a kernel image: "HdrS" at 0x202, a uImage holding nothing but a kernel, or an ELF carrying a whole
    /// "Linux version" banner. Null otherwise (the caller tries the other kinds).
    /// </summary>
    public static KernelSource? TryOpen(string path, ReadOnlySpan<byte> head, long length, DecompressionLimits limits)
    {
        bool kernel = KernelImageReader.HasMagic(head)
            || (KernelImageReader.IsUImage(head) && UImageKernel.IsBareKernel(path))
            || KernelImageReader.IsVmlinux(path, head, length);
        if (!kernel)
        {
            return null;
        }

        return Open(path, limits);
    }

    /// <summary>Reads the kernel image at <paramref name="path"/> (a format error names the file and offset).</summary>
    public static KernelSource Open(string path, DecompressionLimits limits)
    {
        var image = KernelImageReader.Read(path, limits);
        var components = new List<Component>();
        if (image.Initramfs is { } initramfs)
        {
            components.Add(new Component
            {
                Layer = 0, Path = $"vmlinux@0x{initramfs.Offset:x}", Format = ComponentFormat.Initramfs, Role = "built-in-initramfs",
                StoredBytes = initramfs.Bytes.Length, Offset = initramfs.Offset, Default = Residency.ExpandedInRam, ToRam = Residency.ExpandedInRam,
            });
        }

        var composition = new Composition
        {
            Rule = "kernel",
            Description = image.Initramfs is { DefaultStub: true }
                ? "a kernel image whose built-in initramfs is only the kernel's default (/dev, /dev/console, /root): no root filesystem of its own"
                : image.Initramfs is null
                    ? "a kernel image without a built-in initramfs"
                    : "a kernel image with a built-in initramfs, unpacked into RAM at boot before any initrd",
            Source = "Linux Documentation/arch/x86/boot.rst (setup header), include/asm-generic/vmlinux.lds.h (INIT_RAM_FS), kernel/configs.c (IKCONFIG)",
            Components = components,
        };
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["kernelFormat"] = image.Format,
            ["compressor"] = image.Compressor,
        };
        var kernel = new KernelInfo("", image.FileBytes, image.Setup?.SetupVersion ?? image.Release, image.Setup?.InitSizeBytes);
        var medium = new MediumInfo { Format = "kernel", Details = details, Kernel = kernel };
        var composed = new ComposedSource("kernel", path, image.FileBytes, composition, medium, (c, options, stats) =>
        {
            var blob = image.Initramfs!.Bytes;
            var reader = new InitramfsReader(new MemoryStream(blob, writable: false), $"{path} (built-in initramfs at 0x{image.Initramfs.Offset:x} of the decompressed kernel)", options.Limits);
            return new EntryLayerReader(reader, stats, "", () => stats.Compression = string.Join('+', reader.Segments.Select(s => s.Compression).Distinct()));
        });
        return new KernelSource(image, composed);
    }

    public ILayerReader OpenLayer(LayerDescriptor layer, LayerReadOptions options) => _composed.OpenLayer(layer, options);

    public void Dispose() => _composed.Dispose();
}
