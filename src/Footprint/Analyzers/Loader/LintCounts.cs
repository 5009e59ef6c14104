namespace Footprint.Analyzers.Loader;

/// <summary>ELF files seen and how many of the dynamic ones loaded completely in the model.</summary>
/// <param name="DynamicExecutables">ELF files with a PT_INTERP (programs; glibc's libc.so.6 counts too).</param>
/// <param name="SharedLibraries">ELF shared objects without PT_INTERP.</param>
/// <param name="StaticExecutables">Static and static-pie programs: nothing to resolve. A damaged ELF file (an elf-damaged finding) is counted in none of these.</param>
/// <param name="Resolved">Dynamic executables and shared libraries whose whole dependency closure was found.</param>
/// <param name="Scripts">Executable files starting with "#!".</param>
public sealed record LintCounts(int DynamicExecutables, int SharedLibraries, int StaticExecutables, int Resolved, int Scripts);
