using Footprint.Measures.Running;

namespace Footprint.Reports;

/// <summary>What `footprint boot -f json` writes (docs/boot.schema.json).</summary>
public sealed record BootDocument
{
    public int SchemaVersion { get; init; } = 1;

    public required ToolInfo Tool { get; init; }

    public required string Artifact { get; init; }

    public required RunningMemoryReport RunningMemory { get; init; }
}
