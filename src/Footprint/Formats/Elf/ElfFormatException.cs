namespace Footprint.Formats.Elf;

/// <summary>
/// A table of one ELF file that cannot be read. Internal to the reader: each parsing stage catches it and keeps the
/// first message in <see cref="ElfSummary.Error"/>, so it never leaves <see cref="ElfReader"/>.
/// </summary>
internal sealed class ElfFormatException(string message) : Exception(message);
