using System.Text.Json.Serialization;
using Footprint.Formats.Elf;

namespace Footprint.Tests.Store;

/// <summary>
/// ELF summaries as JSON, for comparing them whole in tests: the source-generated serializer follows the record
/// without a hand-written field list (the cache's own codec, <see cref="Footprint.Store.ElfSummaryCodec"/>, has one).
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(ElfSummary))]
internal sealed partial class ElfJsonContext : JsonSerializerContext;
