using System.Text;
using Microsoft.Win32.SafeHandles;
using static Footprint.Formats.Elf.ElfConstants;

namespace Footprint.Formats.Elf;

/// <summary>
/// Reads an <see cref="ElfSummary"/> from the bytes of one ELF file held in memory (all of it, or its first
/// <see cref="ElfInspector.MaxInspectBytes"/>), or from a file on disk by random access. The parsing is in
/// <see cref="ElfParser"/>; the whole-file string scans (BusyBox banner, rustc paths) are here.
/// <para>
/// Parsed by hand, not with ELFSharp 2.17.3 or LibObjectFile 2.3.1: both want a seekable stream and materialise
/// section contents as arrays sized from the headers (an allocation a hostile header controls), ELFSharp targets
/// netstandard2.0 without trimming/AOT annotations, and neither reads the GNU symbol-versioning sections
/// (SHT_GNU_verneed / verdef), PT_GNU_* segments by name, sstrip'ed files (no section headers, where the
/// dynamic section must be found through PT_DYNAMIC and DT_STRTAB mapped through PT_LOAD) or Go build info.
/// What is read here is a few fixed-size tables, so a bounds-checked span reader is smaller than the adapter.
/// </para>
/// <para>
/// Every file that starts with the four-byte magic gets a summary, however damaged: a file the kernel would refuse
/// (cut short, a bad EI_CLASS, program headers or segments outside the file) has <see cref="ElfSummary.Damage"/>
/// set, so lint can say so instead of skipping it or counting it as a static program.
/// </para>
/// </summary>
public static class ElfReader
{
    private static readonly byte[] Magic = [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    /// <summary>True when the bytes start with the ELF magic "\x7fELF": a file that means to be ELF, damaged or not.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> head) => head.StartsWith(Magic);

    /// <summary>True when the bytes start with the ELF magic and a known class and data encoding.</summary>
    public static bool IsElf(ReadOnlySpan<byte> head)
        => head.Length >= IdentBytes && head.StartsWith(Magic)
            && head[EiClass] is ClassElf32 or ClassElf64 && head[EiData] is DataLittle or DataBig;

    /// <summary>
    /// Summarises an ELF file. <paramref name="bytes"/> is the file or its first part; <paramref name="fileSizeBytes"/>
    /// its real size (larger when only a prefix is held). Returns null when the bytes do not start with the ELF magic;
    /// a damaged file gets a summary with <see cref="ElfSummary.Damage"/>. Never throws on malformed input.
    /// </summary>
    public static ElfSummary? Read(ReadOnlyMemory<byte> bytes, long fileSizeBytes)
    {
        if (!HasMagic(bytes.Span))
        {
            return null;
        }

        var partial = bytes.Length < fileSizeBytes;
        return ElfParser.CheckIdent(bytes.Span, fileSizeBytes, partial)
            ?? new ElfParser(bytes, null, bytes.Length, fileSizeBytes, scanStrings: true).Run(partial);
    }

    /// <summary>
    /// Summarises an ELF file on disk by random access: only the headers and the tables they point to are read (a few
    /// KiB for most files), so the whole-file string scans (<see cref="ElfSummary.BusyBoxVersion"/>,
    /// <see cref="ElfSummary.RustMarker"/>) are left out; <see cref="FindBusyBoxVersion(Stream)"/> does the first on request.
    /// Null when the file does not start with the ELF magic.
    /// </summary>
    public static ElfSummary? Read(SafeFileHandle file, long lengthBytes)
    {
        Span<byte> ident = stackalloc byte[IdentBytes];
        var n = RandomAccess.Read(file, ident[..(int)Math.Min(lengthBytes, IdentBytes)], 0);
        if (!HasMagic(ident[..n]))
        {
            return null;
        }

        if (ElfParser.CheckIdent(ident[..n], lengthBytes, partial: false) is { } damaged)
        {
            return damaged;
        }

        var parser = new ElfParser(ident[..n].ToArray(), file, lengthBytes, lengthBytes, scanStrings: false);
        try
        {
            return parser.Run(partial: false);
        }
        finally
        {
            parser.ReturnBuffers();
        }
    }

    /// <summary>
    /// What marks a Rust program or library, strongest first: the compiler commit from a <c>/rustc/HASH/</c> source
    /// path that std's panic locations keep in .rodata ("rustc 90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf"); a Debian-style
    /// remapped toolchain path <c>/usr/src/rustc-1.63.0/</c> ("rustc 1.63.0"); else std's <c>RUST_BACKTRACE</c>
    /// variable name ("RUST_BACKTRACE").
    /// </summary>
    internal static string? FindRustMarker(ReadOnlySpan<byte> bytes)
    {
        for (var at = 0; at < bytes.Length;)
        {
            var i = bytes[at..].IndexOf("/rustc/"u8);
            if (i < 0)
            {
                break;
            }

            var start = at + i + 7;
            if (start + 41 <= bytes.Length && bytes[start + 40] == (byte)'/' && IsHex(bytes.Slice(start, 40)))
            {
                return "rustc " + Encoding.ASCII.GetString(bytes.Slice(start, 40));
            }

            at = start;
        }

        var remapped = bytes.IndexOf("/usr/src/rustc-"u8);
        if (remapped >= 0)
        {
            var start = remapped + 15;
            var end = start;
            while (end < bytes.Length && end - start < 32 && bytes[end] is (>= (byte)'0' and <= (byte)'9') or (byte)'.')
            {
                end++;
            }

            if (end > start)
            {
                return "rustc " + Encoding.ASCII.GetString(bytes[start..end]);
            }
        }

        return bytes.IndexOf("RUST_BACKTRACE"u8) >= 0 ? "RUST_BACKTRACE" : null;
    }

    private static bool IsHex(ReadOnlySpan<byte> s)
    {
        foreach (var c in s)
        {
            if (c is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The BusyBox banner version, searching a stream in 1 MiB chunks (for files on disk, read only when asked).</summary>
    public static string? FindBusyBoxVersion(Stream stream)
    {
        const int ChunkBytes = 1 << 20;
        const int OverlapBytes = 128;
        var buffer = ElfBuffers.Rent(ChunkBytes + OverlapBytes);
        try
        {
            var kept = 0;
            while (true)
            {
                var n = stream.ReadAtLeast(buffer.AsSpan(kept, ChunkBytes), ChunkBytes, throwOnEndOfStream: false);
                var window = buffer.AsSpan(0, kept + n);
                if (FindBusyBoxVersion(window) is { } version)
                {
                    return version;
                }

                if (n < ChunkBytes)
                {
                    return null;
                }

                kept = Math.Min(OverlapBytes, window.Length);
                window[^kept..].CopyTo(buffer);
            }
        }
        finally
        {
            ElfBuffers.Return(buffer);
        }
    }

    /// <summary>BusyBox prints its banner "BusyBox v1.36.1 (2024-06-10 07:11:47 UTC)" from one string in .rodata (libbb/messages.c).</summary>
    internal static string? FindBusyBoxVersion(ReadOnlySpan<byte> bytes)
    {
        var at = 0;
        while (at < bytes.Length)
        {
            var i = bytes[at..].IndexOf("BusyBox v"u8);
            if (i < 0)
            {
                return null;
            }

            var start = at + i + 9;
            var end = start;
            while (end < bytes.Length && end - start < 64 && bytes[end] is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'.' or (byte)'-' or (byte)'_' or (byte)'+' or (byte)'~' or (byte)'.')
            {
                end++;
            }

            if (end > start && bytes[start] is >= (byte)'0' and <= (byte)'9' && end < bytes.Length && bytes[end] is (byte)' ' or 0)
            {
                return Encoding.ASCII.GetString(bytes[start..end]);
            }

            at = start;
        }

        return null;
    }
}
