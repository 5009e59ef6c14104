using System.Buffers;
using Footprint.Formats;
using Footprint.Formats.Compression;
using Footprint.Formats.Cpio;

namespace Footprint.Fuzz;

/// <summary>CpioReader over raw bytes: every entry, every regular file's data (bounded).</summary>
internal static class CpioTarget
{
    private const long MaxContentPerEntryBytes = 64L << 20;

    internal static void Fuzz(byte[] input)
    {
        using var reader = new CpioReader(new MemoryStream(input, writable: false), "fuzz");
        ReadAll(reader);
    }

    /// <summary>Reads every entry and its data; checks that regular files hold exactly SizeBytes.</summary>
    internal static void ReadAll(IEntryReader reader)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 << 10);
        try
        {
            while (reader.GetNextEntry() is { } entry)
            {
                _ = entry.Name.Length + (entry.LinkTarget?.Length ?? 0);
                if (entry.Kind == FileKind.HardLink && entry.LinkTarget is null)
                {
                    throw new InvalidOperationException($"'{entry.Name}': hard link without a target");
                }

                Stream data = reader.OpenData();
                long read = 0;
                int n;
                while (read < MaxContentPerEntryBytes && (n = data.Read(buffer, 0, buffer.Length)) > 0)
                {
                    read += n;
                }

                if (read < MaxContentPerEntryBytes && entry.Kind == FileKind.Regular && read != entry.SizeBytes)
                {
                    throw new InvalidOperationException($"'{entry.Name}': content is {read} bytes but SizeBytes is {entry.SizeBytes}");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>InitramfsReader over raw bytes (concatenated, separately compressed segments), with small limits.</summary>
internal static class InitramfsTarget
{
    internal static void Fuzz(byte[] input)
    {
        var limits = new DecompressionLimits { MaxOutputBytes = 32L << 20, RatioGraceBytes = 1L << 20, MaxRatio = 250 };
        using var reader = new InitramfsReader(new MemoryStream(input, writable: false), "fuzz", limits);
        CpioTarget.ReadAll(reader);
        _ = reader.Segments.Count;
    }
}
