using System.Buffers;
using Footprint.Formats;
using Footprint.Formats.Fat;

namespace Footprint.Fuzz;

/// <summary>Lists a FAT volume, reads every file (bounded), and opens each path again by name.</summary>
internal static class FatTarget
{
    private const long MaxContentPerEntryBytes = 16L << 20;

    internal static void Fuzz(byte[] input)
    {
        using var stream = new MemoryStream(input, writable: false);
        using var reader = new FatReader(stream, "fuzz");
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 << 10);
        try
        {
            var names = new List<string>();
            while (reader.GetNextEntry() is { } entry)
            {
                names.Add(entry.Name);
                Stream data = reader.OpenData();
                long read = 0;
                int n;
                while (read < MaxContentPerEntryBytes && (n = data.Read(buffer, 0, buffer.Length)) > 0)
                {
                    read += n;
                }

                if (entry.Kind == FileKind.Regular && read < MaxContentPerEntryBytes && read != entry.SizeBytes)
                {
                    throw new InvalidOperationException($"'{entry.Name}': content is {read} bytes but SizeBytes is {entry.SizeBytes}");
                }
            }

            foreach (string name in names.Take(64))
            {
                if (!reader.TryGetFile(name, out FileEntry _))
                {
                    throw new InvalidOperationException($"'{name}' was listed but TryGetFile does not find it");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
