namespace Footprint.Store;

/// <summary>A cache row or file that cannot be trusted: its entry is dropped and rebuilt, never used.</summary>
internal sealed class CacheCorruptException(string message, Exception? inner = null) : Exception(message, inner);
