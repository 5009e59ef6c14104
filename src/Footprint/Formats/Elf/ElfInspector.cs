using System.Buffers;

namespace Footprint.Formats.Elf;

/// <summary>
/// Reads one file's stream once and keeps two things: its first <c>keepBytes</c> (what the analyzers' content need
/// asked for) and, when the head has the ELF magic, an <see cref="ElfSummary"/>. The ELF bytes go through a buffer
/// rented from <see cref="ArrayPool{T}.Shared"/> for the length of one file and returned at once, so memory is
/// bounded by <see cref="MaxInspectBytes"/> per concurrently read layer, not by the size of the image's binaries.
/// Thread-safe: no shared state but the pool.
/// </summary>
public static class ElfInspector
{
    /// <summary>Files larger than this are summarised from their first part and marked <see cref="ElfSummary.Partial"/>.</summary>
    public const int MaxInspectBytes = 64 << 20;

    /// <summary>Enough for e_ident: whether a stream is worth buffering.</summary>
    private const int MagicBytes = 16;

    /// <summary>
    /// Reads <paramref name="data"/> (a file of <paramref name="sizeBytes"/>): returns the first <paramref name="keepBytes"/>
    /// bytes as a new array and sets <paramref name="elf"/> when the file is ELF. A stream shorter than its size is not
    /// an error here: <paramref name="readBytes"/> tells the caller, which names the archive and offset.
    /// </summary>
    public static byte[] Read(Stream data, long sizeBytes, int keepBytes, out ElfSummary? elf, out long readBytes)
    {
        elf = null;
        var keep = (int)Math.Min(sizeBytes, keepBytes);
        var first = (int)Math.Min(sizeBytes, Math.Max(keep, MagicBytes));
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(first, 1));
        try
        {
            var got = data.ReadAtLeast(buffer.AsSpan(0, first), first, throwOnEndOfStream: false);
            readBytes = got;
            if (got == first && ElfReader.IsElf(buffer.AsSpan(0, got)))
            {
                var whole = (int)Math.Min(sizeBytes, MaxInspectBytes);
                if (whole > buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(whole);
                    buffer.AsSpan(0, got).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                got += data.ReadAtLeast(buffer.AsSpan(got, whole - got), whole - got, throwOnEndOfStream: false);
                readBytes = got;
                if (got == whole)
                {
                    elf = ElfReader.Read(buffer.AsMemory(0, got), sizeBytes);
                }
            }

            return buffer.AsSpan(0, Math.Min(keep, got)).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Summarises a file on disk (a directory source's file) by random access, without reading it whole; null when it
    /// is not ELF or cannot be opened (a file that vanished or is unreadable during a host scan is not an error here).
    /// </summary>
    public static ElfSummary? Inspect(string fullPath)
    {
        try
        {
            using var handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return ElfReader.Read(handle, RandomAccess.GetLength(handle));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
