namespace Footprint.Measures.Running;

/// <summary>Seconds from QEMU's start to the prompt, per boot at the reference size, and their median.</summary>
public sealed record TimeToPrompt(double MedianSeconds, IReadOnlyList<double> Samples, int MemoryMiB);
