using Footprint.FileSystem;
using Footprint.Walk;

namespace Footprint.Analyzers.Identity;

/// <summary>
/// The machine the files are built for, voted by the ELF headers of executables in the usual bin
/// directories (System V ABI: e_ident[EI_CLASS] at 4, [EI_DATA] at 5, e_machine at 18). Used when no image
/// config says it, and as a cross-check when one does.
/// </summary>
public sealed class ArchitectureAnalyzer : IAnalyzer, IProducer<ArchitectureReport>
{
    private const int ElfHeaderBytes = 20;

    private static readonly string[] BinDirectories = ["bin/", "sbin/", "usr/bin/", "usr/sbin/", "usr/local/bin/", "usr/local/sbin/"];

    private readonly Dictionary<string, (int Count, string Example)> _votes = new(StringComparer.Ordinal);

    public string Id => "architecture";

    public int Version => 1;

    public ArchitectureReport? Produce(AnalysisContext context) => Result(context.Source.Config);

    public ContentNeed Required(string path, FsNode node)
        => node.Kind == Formats.FileKind.Regular && (node.Mode & 0b001_001_001) != 0 && node.SizeBytes >= ElfHeaderBytes && InBinDirectory(path)
            ? ContentNeed.Head
            : ContentNeed.None;

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        if (content is null)
        {
            return;
        }

        Span<byte> head = stackalloc byte[ElfHeaderBytes];
        using (var s = content.Open())
        {
            if (s.ReadAtLeast(head, ElfHeaderBytes, throwOnEndOfStream: false) < ElfHeaderBytes)
            {
                return;
            }
        }

        if (Machine(head) is { } arch)
        {
            _votes.TryGetValue(arch, out var v);
            _votes[arch] = (v.Count + 1, v.Example ?? "/" + path);
        }
    }

    public ArchitectureReport? Result(Sources.ImageConfig? config)
    {
        var evidence = _votes.OrderByDescending(v => v.Value.Count).ThenBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => new Evidence(v.Value.Example, null, $"{v.Value.Count} ELF executables for {v.Key}")).ToList();
        if (config?.Architecture is { Length: > 0 } configured)
        {
            var value = config.Variant is { Length: > 0 } variant ? $"{configured}/{variant}" : configured;
            evidence.Insert(0, new Evidence("config", null, $"image config architecture: {value}"));
            return new ArchitectureReport(value, "image-config", evidence);
        }

        return _votes.Count == 0 ? null : new ArchitectureReport(_votes.MaxBy(v => v.Value.Count).Key, "elf-headers", evidence);
    }

    /// <summary>The OCI / Go architecture name for an ELF header, or null when it is not ELF.</summary>
    public static string? Machine(ReadOnlySpan<byte> header)
    {
        if (header.Length < ElfHeaderBytes || header[0] != 0x7F || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F')
        {
            return null;
        }

        var is64 = header[4] == 2;
        var little = header[5] == 1;
        var machine = little ? header[18] | (header[19] << 8) : (header[18] << 8) | header[19];
        return machine switch
        {
            3 => "386",
            62 => "amd64",
            40 => "arm",
            183 => "arm64",
            8 => (is64 ? "mips64" : "mips") + (little ? "le" : string.Empty),
            243 => is64 ? "riscv64" : "riscv32",
            21 => little ? "ppc64le" : "ppc64",
            20 => "ppc",
            22 => "s390x",
            258 => "loong64",
            2 or 43 => "sparc",
            _ => $"elf-machine-{machine}",
        };
    }

    private static bool InBinDirectory(string path)
    {
        foreach (var dir in BinDirectories)
        {
            if (path.StartsWith(dir, StringComparison.Ordinal) && path.IndexOf('/', dir.Length) < 0)
            {
                return true;
            }
        }

        return false;
    }
}
