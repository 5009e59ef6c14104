using Footprint.Measures.Download;
using Footprint.Reports;

namespace Footprint.Cli.Commands;

/// <summary>One image's download, as `measure --download-only` reports it.</summary>
internal sealed record DownloadOnlyArtifact(string Input, string Kind, string Reference, string? ManifestDigest, DownloadReport Download, IReadOnlyList<WarningReport> Warnings);
