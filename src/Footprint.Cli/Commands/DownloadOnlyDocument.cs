using Footprint.Reports;

namespace Footprint.Cli.Commands;

/// <summary>The document `measure --download-only -f json` writes.</summary>
internal sealed record DownloadOnlyDocument(string SchemaVersion, ToolInfo Tool, IReadOnlyList<DownloadOnlyArtifact> Artifacts);
