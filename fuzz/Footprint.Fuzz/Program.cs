using System.Buffers;
using Footprint.FileSystem;
using Footprint.Formats.Compression;
using Footprint.Formats.Elf;
using Footprint.Formats.Tar;
using Footprint.Formats;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Sources;
using SharpFuzz;

namespace Footprint.Fuzz;

/// <summary>
/// SharpFuzz/AFL++ harness. Usage:
///   Footprint.Fuzz TARGET              run under afl-fuzz (input from AFL; runs once on stdin otherwise)
///   Footprint.Fuzz TARGET FILE...      reproduce: run each file once, print the outcome, exit 1 on a bug
/// Expected rejections of bad input (see <see cref="IsExpected"/>) are swallowed; every other exception escapes and is
/// reported to AFL as a crash. Hangs are caught by afl-fuzz's -t timeout.
/// </summary>
internal static class Program
{
    /// <summary>AFL's coverage map size; instrumented code writes here.</summary>
    private const int MapSizeBytes = 1 << 16;

    /// <summary>
    /// Content read per entry. Sparse entries present their logical size, which a few header bytes can set to
    /// exabytes of holes; the pipeline itself only ever reads a bounded prefix (ArtifactLoader), so the harness
    /// stops there too and lets GetNextEntry drain the stored bytes.
    /// </summary>
    private const long MaxContentPerEntryBytes = 64L << 20;

    private static readonly Dictionary<string, Action<byte[]>> Targets = new(StringComparer.Ordinal)
    {
        ["tar"] = FuzzTar,
        ["compressed"] = FuzzCompressed,
        ["layer"] = FuzzLayer,
        ["image-config"] = FuzzImageConfig,
        ["image"] = ImageManifestTarget.Fuzz,
        ["elf"] = FuzzElf,
        ["ld-so-cache"] = FuzzLdSoCache,
        ["iso9660"] = Iso9660Target.Fuzz,
        ["squashfs"] = SquashfsTarget.Fuzz,
        ["cpio"] = CpioTarget.Fuzz,
        ["initramfs"] = InitramfsTarget.Fuzz,
        ["firmware"] = FirmwareTarget.Fuzz,
        ["kernel-image"] = KernelImageTarget.Fuzz,
        ["fat"] = FatTarget.Fuzz,
        ["tarpath"] = TarPathTarget.Fuzz,
        ["cache-rows"] = CacheRowsTarget.Fuzz,
        ["version"] = VersionTarget.Fuzz,
        ["advisory-columns"] = AdvisoryColumnsTarget.Fuzz,
        ["registry-text"] = RegistryTextTarget.Fuzz,
        ["advisory-yaml"] = AdvisoryTargets.Yaml,
        ["advisory-json"] = AdvisoryTargets.Json,
        ["osv-zip"] = AdvisoryTargets.OsvZip,
        ["vex"] = VexTarget.Fuzz,
        ["scan-request"] = ScanRequestTarget.Fuzz,
        ["list-file"] = ListFileTarget.Fuzz,
        ["boot-config"] = BootConfigTarget.Fuzz,
        ["container-user"] = ContainerUserTarget.Fuzz,
        ["catalog"] = CatalogTarget.Fuzz,
        ["inittab"] = InitTabTarget.Fuzz,
        ["stored-report"] = StoredReportTarget.Fuzz,

        // Checks the plumbing, not Footprint: an input starting with "crash" must show up in AFL's crashes/.
        ["selftest"] = input =>
        {
            _ = Decompression.Detect(input); // some instrumented code, or afl-fuzz refuses to start
            if (input.AsSpan().StartsWith("crash"u8))
            {
                throw new InvalidOperationException("selftest crash");
            }
        },
    };

    private static string? _layerDir;

    public static int Main(string[] args)
    {
        if (args.Length == 0 || !Targets.TryGetValue(args[0], out Action<byte[]>? target))
        {
            Console.Error.WriteLine($"usage: Footprint.Fuzz {{{string.Join('|', Targets.Keys)}}} [FILE...]");
            return 2;
        }

        // Nothing from the instrumented Footprint.dll may run before SharpFuzz (or Reproduce) has set up the coverage
        // map: the instrumentation writes to SharpFuzz.Common.Trace.SharedMem, and a null map is an access violation.
        if (args.Length > 1)
        {
            return Reproduce(target, args[1..]);
        }

        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var ms = new MemoryStream();
            stream.CopyTo(ms);
            RunOne(target, ms.ToArray());
        });
        return 0;
    }

    private static unsafe int Reproduce(Action<byte[]> target, string[] files)
    {
        SharpFuzz.Common.Trace.SharedMem = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(MapSizeBytes);
        int bugs = 0;
        foreach (string file in files)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                RunOne(target, File.ReadAllBytes(file));
                Console.WriteLine($"{file}: ok ({sw.ElapsedMilliseconds} ms)");
            }
            catch (Exception e)
            {
                bugs++;
                Console.WriteLine($"{file}: BUG ({sw.ElapsedMilliseconds} ms)\n{e}");
            }
        }

        return bugs == 0 ? 0 : 1;
    }

    private static void RunOne(Action<byte[]> target, byte[] input)
    {
        try
        {
            target(input);
        }
        catch (Exception e) when (IsExpected(e))
        {
            if (Environment.GetEnvironmentVariable("FOOTPRINT_FUZZ_VERBOSE") == "1")
            {
                Console.WriteLine($"  rejected: {e.GetType().Name}: {e.Message}");
            }
        }
    }

    /// <summary>
    /// What the library documents as "this input is bad": <see cref="FootprintFormatException"/> from the readers and
    /// parsers, and <see cref="SymlinkLoopException"/> from path resolution in the layered filesystem. Both derive
    /// from IOException, which the CLI reports as a user error. Anything else (IndexOutOfRange, NullReference,
    /// ArgumentOutOfRange, InvalidOperation, OutOfMemory, a bare IOException or EndOfStream leaking from a reader...)
    /// is a bug.
    /// </summary>
    private static bool IsExpected(Exception e)
        => e is FootprintFormatException or SymlinkLoopException || (IgnoreKnownBugs && IsKnownBug(e));

    /// <summary>FOOTPRINT_FUZZ_IGNORE_KNOWN=1: let the fuzzer get past bugs already reported, to find the next ones.</summary>
    private static readonly bool IgnoreKnownBugs = Environment.GetEnvironmentVariable("FOOTPRINT_FUZZ_IGNORE_KNOWN") == "1";

    /// <summary>Reported, outside src/Footprint/Formats; see fuzz/README.md "Open bugs".</summary>
    private static bool IsKnownBug(Exception e)
        => (e is OverflowException && Thrown(e, "Footprint.Sources.Image.ArchiveIndex.Read"))
            || (e is InvalidOperationException && e.InnerException is System.Text.DecoderFallbackException && Thrown(e, "Footprint.Sources."))
            || (e is ArgumentException && Thrown(e, "Footprint.Formats.Tar.TarArchiveReader.HasMagic"));

    private static bool Thrown(Exception e, string frame) => e.StackTrace?.Contains(frame, StringComparison.Ordinal) == true;

    private static void FuzzTar(byte[] input)
    {
        using var stream = new MemoryStream(input, writable: false);
        ReadAllEntries(stream);
    }

    private static void FuzzCompressed(byte[] input)
    {
        using var stream = new MemoryStream(input, writable: false);
        // Small limits, so bombs are rejected quickly instead of timing out. Built per call: see Main.
        var limits = new DecompressionLimits { MaxOutputBytes = 32L << 20, RatioGraceBytes = 1L << 20, MaxRatio = 250 };
        using Stream decompressed = Decompression.Open(stream, "fuzz", limits, out _, onWarning: static (_, _) => { });
        ReadAllEntries(decompressed);
        // The integrity checks (gzip trailers, xz/zstd/bzip2 checks) and the trailing-data rules run at the end.
        decompressed.CopyTo(Stream.Null);
    }

    private static void ReadAllEntries(Stream stream)
    {
        using var reader = new TarArchiveReader(stream, "fuzz", leaveOpen: true);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 << 10);
        try
        {
            while (reader.GetNextEntry() is { } entry)
            {
                _ = entry.Name.Length + entry.Xattrs.Count + (entry.LinkTarget?.Length ?? 0);
                Stream data = reader.OpenData();
                long read = 0;
                int n;
                while (read < MaxContentPerEntryBytes && (n = data.Read(buffer, 0, buffer.Length)) > 0)
                {
                    read += n;
                }

                if (read < MaxContentPerEntryBytes && entry.Kind == FileKind.Regular && read != entry.SizeBytes)
                {
                    throw new InvalidOperationException($"'{entry.Name}': content is {read} bytes but SizeBytes is {entry.SizeBytes}");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void FuzzLayer(byte[] input)
    {
        _layerDir ??= Directory.CreateTempSubdirectory("footprint-fuzz-").FullName;
        string path = Path.Combine(_layerDir, "input");
        File.WriteAllBytes(path, input);
        _ = ReportAssembler.Measure(path, new MeasureOptions());
    }

    private static void FuzzImageConfig(byte[] input)
    {
        _ = ImageConfig.Parse(input, "fuzz");
    }

    /// <summary>A damaged /etc/ld.so.cache may only throw InvalidDataException (the pipeline then warns and goes on).</summary>
    private static void FuzzLdSoCache(byte[] input)
    {
        try
        {
            _ = Footprint.Formats.LdSoCache.LdSoCache.Parse(input);
        }
        catch (InvalidDataException)
        {
        }
    }

    private static string? _elfFile;

    /// <summary>
    /// The ELF reader never throws on malformed input (problems go into ElfSummary.Error), so any exception is a bug.
    /// Three paths: bytes in memory (layer streams), the loader's pooled stream read, and random access on a file (disk).
    /// </summary>
    private static void FuzzElf(byte[] input)
    {
        var inMemory = ElfReader.Read(input, input.Length);
        using (var stream = new MemoryStream(input, writable: false))
        {
            _ = ElfInspector.Read(stream, input.Length, 4096, out _, out _);
        }

        _elfFile ??= Path.Combine(Path.GetTempPath(), $"footprint-fuzz-elf-{Environment.ProcessId}");
        File.WriteAllBytes(_elfFile, input);
        using var handle = File.OpenHandle(_elfFile);
        var onDisk = ElfReader.Read(handle, input.Length);
        // Both read the same tables; only the whole-file scans (BusyBox, rustc, Go without section headers) are memory-only.
        if ((inMemory is null) != (onDisk is null) || inMemory?.Interpreter != onDisk?.Interpreter || inMemory?.Needed.Count != onDisk?.Needed.Count
            || inMemory?.Damage != onDisk?.Damage)
        {
            throw new InvalidOperationException("the in-memory and random-access readers disagree");
        }
    }
}
