namespace Footprint.Formats;

/// <summary>
/// Malformed or hostile input (the BCL's InvalidDataException is sealed, so this derives from IOException). The message always names the file and, where known, the byte offset
/// (or the path inside the artifact), so a user can find the bad bytes.
/// </summary>
public sealed class FootprintFormatException : IOException
{
    public FootprintFormatException(string source, long? offset, string message, Exception? inner = null)
        : base(Compose(source, offset, message), inner)
    {
        FileName = source;
        Offset = offset;
    }

    /// <summary>The file (or file inside the artifact) that is malformed.</summary>
    public string FileName { get; }

    /// <summary>Byte offset of the problem, when known.</summary>
    public long? Offset { get; }

    private static string Compose(string source, long? offset, string message)
        => offset is { } o ? $"{source}: at offset {o}: {message}" : $"{source}: {message}";
}
