using Footprint.Formats.Compression;
using Footprint.Sources;

namespace Footprint.Analyzers;

/// <summary>The options producers read (a projection of the pipeline's measure options, which live above this room).</summary>
public sealed record AnalysisOptions
{
    public Platform? Platform { get; init; }

    /// <summary>Another artifact whose layers are already cached locally (`--have`): the download measure says what is still to pull.</summary>
    public string? Have { get; init; }

    /// <summary>The base image (`--base`): the inventory splits packages and bytes into base and added.</summary>
    public string? Base { get; init; }

    /// <summary>List every regular file with its digests and owners (`sbom --files`).</summary>
    public bool ListFiles { get; init; }

    public int LargestFiles { get; init; } = 10;

    /// <summary>Break the installed bytes down by directory and by package (`report`, `measure --breakdown`; Measures/Breakdown).</summary>
    public bool Breakdown { get; init; }

    /// <summary>Classify every package by whether the entrypoints load it (Analyzers/Reachability); reads ELF objects whole.</summary>
    public bool Reachability { get; init; }

    /// <summary>Layers were checked against their digests while they were read (false under `--no-verify`).</summary>
    public bool Verify { get; init; } = true;

    public DecompressionLimits Limits { get; init; } = DecompressionLimits.Default;

    /// <summary>The advisory database to match packages against (`--db`, `footprint vulns`); null: no vulnerability matching.</summary>
    public string? AdvisoryDatabase { get; init; }
    /// <summary>How registry references (`--have`, `--base` naming an image in a registry) are read.</summary>
    public Sources.Registry.RegistryOptions Registry { get; init; } = Sources.Registry.RegistryOptions.Default;
}
