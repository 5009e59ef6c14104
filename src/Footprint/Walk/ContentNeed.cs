namespace Footprint.Walk;

/// <summary>How much of a file an analyzer must read.</summary>
public enum ContentNeed
{
    /// <summary>Metadata only.</summary>
    None,

    /// <summary>The first <see cref="ContentLimits.HeadBytes"/> bytes (magic numbers, ELF headers).</summary>
    Head,

    /// <summary>
    /// The head, plus the facts of an ELF file (<see cref="FileSystem.FileData.GetElf"/>): a layer pass reads the whole
    /// stream of a file whose head has the ELF magic through a pooled buffer and keeps only the summary.
    /// </summary>
    Inspect,

    /// <summary>The whole file, up to <see cref="ContentLimits.MaxWholeBytes"/> (ELF files are inspected too).</summary>
    Whole,
}
