using Footprint.Formats;
using Footprint.Formats.Iso9660;

namespace Footprint.Fuzz;

/// <summary>Drives <see cref="IsoReader"/> over an input in all three name spaces: every entry, every file's data
/// (bounded), TryGetFile/OpenFile with a seek, the boot catalog and the partitions.</summary>
internal static class Iso9660Target
{
    private const long MaxContentPerEntryBytes = 16L << 20;

    internal static void Fuzz(byte[] input)
    {
        byte[] buffer = new byte[16 << 10];
        foreach (IsoNames names in new[] { IsoNames.Auto, IsoNames.Joliet, IsoNames.Plain })
        {
            using var reader = new IsoReader(new MemoryStream(input, writable: false), "fuzz", names);
            _ = reader.BootEntries.Count + reader.Partitions.Count + reader.Volume.VolumeId.Length;
            while (reader.GetNextEntry() is { } entry)
            {
                _ = entry.Name.Length + (entry.LinkTarget?.Length ?? 0);
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

                if (!reader.TryGetFile(entry.Name, out IsoFile file))
                {
                    throw new InvalidOperationException($"'{entry.Name}' yielded but not found by TryGetFile");
                }

                if (file.SizeBytes > 0 && entry.Kind == FileKind.Regular)
                {
                    using Stream s = reader.OpenFile(file);
                    s.Position = file.SizeBytes / 2;
                    _ = s.Read(buffer, 0, Math.Min(buffer.Length, 64));
                }
            }
        }
    }
}
