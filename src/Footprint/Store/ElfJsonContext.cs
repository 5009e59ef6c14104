using System.Text.Json.Serialization;
using Footprint.Formats.Elf;

namespace Footprint.Store;

/// <summary>
/// ELF summaries in the cache, as JSON: the summary is a record of some thirty facts that grows with the analyzers,
/// and the source-generated serializer follows it without a hand-written field list to forget (and works trimmed).
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(ElfSummary))]
internal sealed partial class ElfJsonContext : JsonSerializerContext;
