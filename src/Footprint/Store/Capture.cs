using Footprint.Formats.Elf;
using Footprint.Walk;

namespace Footprint.Store;

/// <summary>One file's captured content as stored: how much was kept (the need it was read for), its ELF facts, its bytes' key.</summary>
internal sealed record Capture(int DataId, ContentNeed Need, bool Inspected, ElfSummary? Elf, byte[] ContentKey);
