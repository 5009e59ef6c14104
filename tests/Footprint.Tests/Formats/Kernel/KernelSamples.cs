using System.Buffers.Binary;
using System.Globalization;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Formats.Kernel;

/// <summary>
/// Real kernels for the kernel tests, and synthetic ones built at test time from them with the real compressors.
/// Ground truth is taken the way the kernel tree's scripts/extract-vmlinux takes it: the compressor's magic found with
/// grep -abo, the bytes from there piped through the compressor's own tool.
/// </summary>
internal static class KernelSamples
{
    /// <summary>Debian's linux-image-amd64 bzImage (xz, IKCONFIG not set).</summary>
    public static string Debian => Repo.Fixture("kernel/vmlinuz");

    /// <summary>The kernel of the FLOPPINUX floppy (i386, xz), copied out of the FAT image with mtools.</summary>
    public static string Floppinux(TestSupport.TempDir dir) => FromFat(dir, "images/floppinux/floppinux.img", "floppinux.bzImage");

    /// <summary>The kernel of initramfs_sandbox's boot disk (x86_64, xz, a gzip'ed busybox initramfs built in).</summary>
    public static string Sandbox(TestSupport.TempDir dir) => FromFat(dir, "images/initramfs_sandbox/busybox-linux-boot.img", "sandbox.bzImage");

    /// <summary>Offset of the first xz magic in <paramref name="file"/>, by grep.</summary>
    public static long XzOffset(string file)
        => long.Parse(Tool.Shell($"LC_ALL=C grep -aboP '\\xfd7zXZ\\x00' '{file}' | head -1 | cut -d: -f1").Trim(), CultureInfo.InvariantCulture);

    /// <summary>The vmlinux inside a bzImage, decompressed by xz(1) from the first xz magic (extract-vmlinux's way).</summary>
    public static string ExtractVmlinux(TestSupport.TempDir dir, string bzImage, string name)
    {
        var output = dir.File(name);
        // xz stops after the first stream (--single-stream): the payload's size trailer and anything after it are not xz.
        Tool.Shell($"tail -c +{XzOffset(bzImage) + 1} '{bzImage}' > '{output}.xz'; xz -dc --single-stream '{output}.xz' > '{output}'; rm '{output}.xz'");
        return output;
    }

    /// <summary>The "Linux version" lines of a decompressed kernel, by strings(1).</summary>
    public static string[] Banners(string vmlinux)
        => Tool.Shell($"strings -n 20 '{vmlinux}' | grep '^Linux version ' || true").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// A bzImage with <paramref name="vmlinux"/> as its payload, compressed by the real tool as scripts/Makefile.lib does
    /// it (with the 4-byte size appended, except for gzip whose ISIZE is that size), behind the setup code of
    /// <paramref name="template"/> with payload_length patched.
    /// </summary>
    public static string BuildBzImage(TestSupport.TempDir dir, string template, string vmlinux, string compressor, string name)
    {
        var payloadPath = dir.File(name + ".payload");
        var command = compressor switch
        {
            "gzip" => "gzip -n -9 -c",
            "bzip2" => "bzip2 -9 -c",
            "lzma" => "xz --format=lzma -9 -c",
            "xz" => "xz --check=crc32 --x86 --lzma2=,dict=32MiB -c",
            "lz4" => "lz4 -l -9 -c",
            "zstd" => "zstd -19 -q -c",
            "lzo" => "lzop -9 -c",
            _ => throw new ArgumentException(compressor),
        };
        Tool.Shell($"cat '{vmlinux}' | {command} > '{payloadPath}'");
        var payload = File.ReadAllBytes(payloadPath).ToList();
        if (compressor != "gzip")
        {
            var size = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)new FileInfo(vmlinux).Length);
            payload.AddRange(size);
        }

        var setup = File.ReadAllBytes(template).AsSpan(0, (int)XzOffset(template)).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(setup.AsSpan(0x24C), (uint)payload.Count);
        var output = dir.File(name);
        File.WriteAllBytes(output, [.. setup, .. payload]);
        return output;
    }

    /// <summary>A copy of <paramref name="vmlinux"/> with IKCFG_ST, gzip -9 of <paramref name="config"/>, IKCFG_ED appended (kernel/configs.c's layout).</summary>
    public static string WithIkconfig(TestSupport.TempDir dir, string vmlinux, string config, string name)
    {
        var output = dir.File(name);
        Tool.Shell($"{{ cat '{vmlinux}'; printf IKCFG_ST; gzip -n -9 -c '{config}'; printf IKCFG_ED; }} > '{output}'");
        return output;
    }

    private static string FromFat(TestSupport.TempDir dir, string image, string name)
    {
        var output = dir.File(name);
        Tool.Output("mcopy", "-o", "-i", Repo.CorpusFile(image), "::bzImage", output);
        return output;
    }
}
