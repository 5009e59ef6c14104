using Footprint.Measures.Running;
using Footprint.Measures.Running.Container;

namespace Footprint.Reports;

/// <summary>What `footprint boot -f json` writes (docs/boot.schema.json): <see cref="RunningMemory"/> for what boots in QEMU, <see cref="Container"/> for a container image.</summary>
public sealed record BootDocument
{
    public int SchemaVersion { get; init; } = 1;

    public required ToolInfo Tool { get; init; }

    public required string Artifact { get; init; }

    public RunningMemoryReport? RunningMemory { get; init; }

    public ContainerReport? Container { get; init; }
}
