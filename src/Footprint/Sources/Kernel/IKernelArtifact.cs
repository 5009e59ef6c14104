using Footprint.Formats.Kernel;

namespace Footprint.Sources.Kernel;

/// <summary>The capability of a source that is a kernel image: what the image says about itself (docs/kernel.md).</summary>
public interface IKernelArtifact
{
    KernelImage Image { get; }
}
