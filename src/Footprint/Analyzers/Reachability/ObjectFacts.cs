namespace Footprint.Analyzers.Reachability;

/// <summary>What reachability needs of one ELF object beyond the loader's facts.</summary>
/// <param name="SpawnImports">Undefined dynamic symbols that start another program (execve, system, popen, posix_spawn...).</param>
/// <param name="ImportsDlopen">dlopen or dlmopen is an undefined dynamic symbol.</param>
/// <param name="Strings">For a dlopen importer: printable strings that can name a library (".so" in them, or an absolute path).</param>
/// <param name="Unreadable">Why the imports could not be read (no section headers, no .dynsym, file cut short), or null.</param>
public sealed record ObjectFacts(IReadOnlyList<string> SpawnImports, bool ImportsDlopen, IReadOnlyList<string> Strings, string? Unreadable);
