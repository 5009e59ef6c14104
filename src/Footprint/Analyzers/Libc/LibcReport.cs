using Footprint.Walk;

namespace Footprint.Analyzers.Libc;

/// <summary>A C library: musl, glibc, uclibc, klibc or bionic, its version when known, and where both were read.</summary>
public sealed record LibcReport(string Name, string? Version, IReadOnlyList<Evidence> Evidence);
