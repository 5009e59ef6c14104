namespace Footprint.Tests.TestSupport;

/// <summary>
/// Tests that boot guests in QEMU run one at a time and alone: two emulated guests on the 2-core test machine would
/// slow each other past their time limits, and a boot's timing must not depend on other tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QemuCollection
{
    public const string Name = "qemu-boots";
}
