namespace Footprint.Formats.Kernel;

/// <summary>
/// What an embedded configuration says about booting the kernel on a small machine (docs/kernel.md explains each
/// choice): a serial console to talk to, the filesystems live media mount (squashfs, overlayfs), devtmpfs, initrd
/// support and its decompressors, and the symbols that move the memory the kernel needs before userspace starts.
/// </summary>
/// <param name="SerialConsoles">Every SERIAL_*_CONSOLE symbol set to y (8250, AMBA PL011, ...): a console on a UART.</param>
/// <param name="Squashfs">SQUASHFS: y, m or n.</param>
/// <param name="SquashfsCompressors">The SQUASHFS_ZLIB/LZ4/LZO/XZ/ZSTD decompressors built in, by name.</param>
/// <param name="Overlayfs">OVERLAY_FS: y, m or n.</param>
/// <param name="Devtmpfs">DEVTMPFS: y or n.</param>
/// <param name="DevtmpfsMount">DEVTMPFS_MOUNT: y or n (devtmpfs mounted on /dev by the kernel).</param>
/// <param name="Initrd">BLK_DEV_INITRD: y or n (initrd and initramfs support).</param>
/// <param name="InitrdCompressors">The RD_* decompressors for an initrd/initramfs (gzip, bzip2, lzma, xz, lzo, lz4, zstd).</param>
/// <param name="InitramfsSource">INITRAMFS_SOURCE: what was built into the image, when set.</param>
/// <param name="Memory">The memory-deciding symbols (<see cref="MemoryKeys"/>) the configuration mentions, with their values.</param>
public sealed record KernelConfigFacts(
    IReadOnlyList<string> SerialConsoles,
    string Squashfs,
    IReadOnlyList<string> SquashfsCompressors,
    string Overlayfs,
    string Devtmpfs,
    string DevtmpfsMount,
    string Initrd,
    IReadOnlyList<string> InitrdCompressors,
    string? InitramfsSource,
    IReadOnlyDictionary<string, string> Memory)
{
    /// <summary>
    /// Symbols that decide how much RAM the kernel takes or can give back: address-space and CPU sizing (64BIT, SMP,
    /// NR_CPUS, HIGHMEM*), the memory model and its struct page array (FLATMEM, SPARSEMEM*), page size, allocators,
    /// reclaim (SWAP, ZRAM, ZSWAP), boot-time reservations (CMA, LOG_BUF_SHIFT, BLK_DEV_RAM_SIZE), small-system
    /// trims (BASE_SMALL, SLOB, SLUB_TINY) and the debug options that cost memory (KASAN shadow, KFENCE pool, page owner...).
    /// </summary>
    public static readonly string[] MemoryKeys =
    [
        "64BIT", "SMP", "NR_CPUS", "HIGHMEM", "HIGHMEM4G", "HIGHMEM64G", "X86_PAE", "FLATMEM", "SPARSEMEM", "SPARSEMEM_VMEMMAP",
        "ARM64_4K_PAGES", "ARM64_16K_PAGES", "ARM64_64K_PAGES", "MMU", "SWAP", "ZRAM", "ZSWAP", "ZSMALLOC", "TMPFS", "SHMEM",
        "TRANSPARENT_HUGEPAGE", "HUGETLBFS", "CMA", "CMA_SIZE_MBYTES", "LOG_BUF_SHIFT", "BLK_DEV_RAM", "BLK_DEV_RAM_COUNT",
        "BLK_DEV_RAM_SIZE", "MODULES", "BASE_SMALL", "BASE_FULL", "SLUB", "SLAB", "SLOB", "SLUB_TINY", "SLUB_DEBUG", "SLUB_DEBUG_ON",
        "DEBUG_KERNEL", "KASAN", "KFENCE", "KFENCE_NUM_OBJECTS", "DEBUG_PAGEALLOC", "PAGE_OWNER", "DEBUG_KMEMLEAK", "PROVE_LOCKING",
        "LOCKDEP", "DEBUG_INFO", "KALLSYMS_ALL",
    ];

    private static readonly string[] SquashfsDecompressors = ["ZLIB", "LZ4", "LZO", "XZ", "ZSTD"];

    private static readonly string[] RamdiskDecompressors = ["GZIP", "BZIP2", "LZMA", "XZ", "LZO", "LZ4", "ZSTD"];

    /// <summary>The facts of <paramref name="config"/>.</summary>
    public static KernelConfigFacts Of(KernelConfig config)
    {
        var consoles = config.Entries
            .Where(e => e.Value == "y" && e.Key.StartsWith("SERIAL_", StringComparison.Ordinal) && e.Key.EndsWith("_CONSOLE", StringComparison.Ordinal))
            .Select(e => e.Key).Order(StringComparer.Ordinal).ToList();
        var memory = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in MemoryKeys)
        {
            if (config.Entries.TryGetValue(key, out var v))
            {
                memory[key] = v;
            }
        }

        return new KernelConfigFacts(
            consoles,
            config.Value("SQUASHFS"),
            SquashfsDecompressors.Where(c => config.Value("SQUASHFS_" + c) == "y").Select(c => c.ToLowerInvariant()).ToList(),
            config.Value("OVERLAY_FS"),
            config.Value("DEVTMPFS"),
            config.Value("DEVTMPFS_MOUNT"),
            config.Value("BLK_DEV_INITRD"),
            RamdiskDecompressors.Where(c => config.Value("RD_" + c) == "y").Select(c => c.ToLowerInvariant()).ToList(),
            config.Entries.TryGetValue("INITRAMFS_SOURCE", out var src) && src.Length > 0 ? src : null,
            memory);
    }
}
