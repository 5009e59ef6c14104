using System.Buffers;
using Footprint.Formats;
using Footprint.Formats.Squashfs;

namespace Footprint.Fuzz;

/// <summary>squashfs: the superblock probe, then the whole walk with every file's content read (bounded).</summary>
internal static class SquashfsTarget
{
    private const long MaxContentPerEntryBytes = 16L << 20;

    internal static void Fuzz(byte[] input)
    {
        _ = SquashfsReader.TryReadSuperblock(input, out _, out _);
        using var reader = new SquashfsReader(new MemoryStream(input, writable: false), "fuzz");
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 << 10);
        try
        {
            while (reader.GetNextEntry() is { } entry)
            {
                _ = entry.Name.Length + entry.Xattrs.Count + (entry.LinkTarget?.Length ?? 0) + reader.CurrentStoredBytes;
                using Stream data = reader.OpenData();
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

            _ = reader.DataStats;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
