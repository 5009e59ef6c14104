namespace Footprint.Formats.Elf;

/// <summary>
/// Reads one file's stream once and keeps two things: its first <c>keepBytes</c> (what the analyzers' content need
/// asked for) and, when the head has the ELF magic, an <see cref="ElfSummary"/>. The ELF bytes go through a buffer
/// rented from <see cref="ElfBuffers.RentWhole"/> for the length of one file and returned at once, so memory is
/// bounded by <see cref="MaxInspectBytes"/> per concurrently read layer, not by the size of the image's binaries.
/// Thread-safe: no shared state but the pool.
/// </summary>
public static class ElfInspector
{
    /// <summary>Files larger than this are summarised from their first part and marked <see cref="ElfSummary.Partial"/>.</summary>
    public const int MaxInspectBytes = 64 << 20;

    /// <summary>Enough for e_ident: whether a stream is worth buffering (any file with the four-byte magic is, damaged or not).</summary>
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
        var owner = ElfBuffers.RentWhole(Math.Max(first, 1));
        try
        {
            var buffer = owner.Memory;
            var got = data.ReadAtLeast(buffer.Span[..first], first, throwOnEndOfStream: false);
            readBytes = got;
            if (got == first && ElfReader.HasMagic(buffer.Span[..got]))
            {
                var whole = (int)Math.Min(sizeBytes, MaxInspectBytes);
                if (whole > buffer.Length)
                {
                    var bigger = ElfBuffers.RentWhole(whole);
                    buffer.Span[..got].CopyTo(bigger.Memory.Span);
                    owner.Dispose();
                    owner = bigger;
                    buffer = bigger.Memory;
                }

                got += data.ReadAtLeast(buffer.Span[got..whole], whole - got, throwOnEndOfStream: false);
                readBytes = got;
                var kept = buffer.Span[..Math.Min(keep, got)].ToArray();
                if (got == whole)
                {
                    elf = ElfReader.Read(buffer[..got], sizeBytes);
                    if (elf is { Partial: true } && (elf.Go is null || elf.BusyBoxVersion is null))
                    {
                        // The rest streams past anyway: look for what sits anywhere in a file, reusing the buffer.
                        var (go, busybox, rest) = ScanRest(data, buffer, elf.Go is null, elf.BusyBoxVersion is null);
                        readBytes += rest;
                        elf = elf with { Go = elf.Go ?? go, BusyBoxVersion = elf.BusyBoxVersion ?? busybox };
                    }
                }

                return kept;
            }

            return buffer.Span[..Math.Min(keep, got)].ToArray();
        }
        finally
        {
            owner.Dispose();
        }
    }

    /// <summary>
    /// Past the first <see cref="MaxInspectBytes"/> of a large file (a 100 MB Go program keeps .go.buildinfo past
    /// the text), the rest of the stream is searched in 1 MiB windows for the Go build-info magic (Go 1.18+ inline
    /// strings need no address mapping) and the BusyBox banner. Returns the bytes read.
    /// </summary>
    private static (GoBuildInfo? Go, string? BusyBox, long ReadBytes) ScanRest(Stream data, Memory<byte> buffer, bool wantGo, bool wantBusyBox)
    {
        const int WindowBytes = 1 << 20;
        const int LookaheadBytes = 1 << 20;
        GoBuildInfo? go = null;
        string? busybox = null;
        long total = 0;
        var carry = 0;
        while (wantGo || wantBusyBox)
        {
            var n = data.ReadAtLeast(buffer.Span.Slice(carry, WindowBytes), WindowBytes, throwOnEndOfStream: false);
            total += n;
            var length = carry + n;
            if (wantBusyBox && ElfReader.FindBusyBoxVersion(buffer.Span[..length]) is { } version)
            {
                (busybox, wantBusyBox) = (version, false);
            }

            if (wantGo && buffer.Span[..length].IndexOf(GoBuildInfoReader.MagicBytes) is var at and >= 0)
            {
                // Make sure the strings after the header are in the buffer too.
                var more = data.ReadAtLeast(buffer.Span.Slice(length, LookaheadBytes), LookaheadBytes, throwOnEndOfStream: false);
                total += more;
                length += more;
                var window = length;
                go = GoBuildInfoReader.Read((o, l) => o <= (ulong)window && l <= (ulong)window - o ? buffer.Span.Slice((int)o, (int)l) : default, at, _ => null, default);
                wantGo = false;
            }

            if (n < WindowBytes)
            {
                break;
            }

            carry = Math.Min(64, length);
            buffer.Span.Slice(length - carry, carry).CopyTo(buffer.Span);
        }

        // Drain nothing more: the layer reader skips whatever is left of the entry.
        return (go, busybox, total);
    }

    /// <summary>Lets the buffers kept for whole files go (call once every layer stream was read).</summary>
    public static void ReleaseBuffers() => ElfBuffers.ReleaseWhole();

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
