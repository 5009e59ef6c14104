namespace Footprint.FileSystem;

/// <summary>
/// Something wrong in the input that did not stop the scan: a name escaping the root, a hard link to
/// nothing, a symlink loop. It names the file (archive or blob), the path inside it, and the byte offset.
/// </summary>
/// <param name="Code">Stable kebab-case code, e.g. <c>path-traversal</c>.</param>
/// <param name="Message">Human-readable explanation.</param>
/// <param name="Source">The file the problem is in (archive, blob, layer).</param>
/// <param name="Path">The path inside the artifact, when there is one.</param>
/// <param name="Offset">Byte offset in the (decompressed) stream, when known.</param>
public sealed record FsWarning(string Code, string Message, string Source, string? Path, long? Offset);
