using System.IO.Compression;
using Footprint.Advisories.Model;
using Footprint.Formats;

namespace Footprint.Advisories.Feeds;

/// <summary>
/// An OSV per-ecosystem export (osv-vulnerabilities.storage.googleapis.com/ECOSYSTEM/all.zip): one record per
/// <c>*.json</c> entry. Nothing is extracted to disk, yet names that would escape a directory (<c>..</c>, absolute,
/// backslashes) are refused as the sign of a hostile archive; entries are capped in count, each entry's bytes are
/// counted as they are inflated (the header's size is not trusted), and the whole is capped in size and ratio.
/// </summary>
public static class OsvZipImporter
{
    public static FeedBatch Import(Stream stream, string file, FeedLimits limits)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            throw new FootprintFormatException(file, null, $"not a readable zip: {e.Message}");
        }

        using (archive)
        {
            return Read(archive, stream.CanSeek ? stream.Length : 0, file, limits);
        }
    }

    private static FeedBatch Read(ZipArchive archive, long compressedBytes, string file, FeedLimits limits)
    {
        var advisories = new List<Advisory>();
        var coverage = new HashSet<DistroRelease>();
        DateTimeOffset? newest = null;
        var skipped = 0;
        long total = 0;
        IReadOnlyCollection<ZipArchiveEntry> entries;
        try
        {
            entries = archive.Entries;
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            throw new FootprintFormatException(file, null, $"damaged zip central directory: {e.Message}");
        }

        if (entries.Count > limits.MaxZipEntries)
        {
            throw new FootprintFormatException(file, null, $"{entries.Count} zip entries, more than the {limits.MaxZipEntries} accepted");
        }

        var buffer = new byte[81920];
        foreach (var entry in entries)
        {
            var name = entry.FullName;
            if (IsUnsafe(name))
            {
                throw new FootprintFormatException(file, null, $"zip entry '{FeedNode.Clip(name)}': name escapes the archive (absolute, '..' or '\\')");
            }

            if (name.EndsWith('/') || !name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var where = $"{file}!{name}";
            using var content = new MemoryStream();
            try
            {
                using var data = entry.Open();
                int n;
                while ((n = data.Read(buffer, 0, buffer.Length)) > 0)
                {
                    content.Write(buffer, 0, n);
                    total += n;
                    if (content.Length > limits.MaxZipEntryBytes)
                    {
                        throw new FootprintFormatException(where, content.Length, $"entry inflates past {limits.MaxZipEntryBytes} bytes");
                    }

                    if (total > limits.MaxZipTotalBytes || (total > limits.ZipRatioGraceBytes && compressedBytes > 0 && total / compressedBytes > limits.MaxZipRatio))
                    {
                        throw new FootprintFormatException(where, null, $"the zip inflates to more than {total} bytes from {compressedBytes} (limits: {limits.MaxZipTotalBytes} bytes, ratio {limits.MaxZipRatio})");
                    }
                }
            }
            catch (Exception e) when (e is InvalidDataException or NotSupportedException)
            {
                // NotSupportedException: a compression method other than stored and deflate (deflate64 is read).
                throw new FootprintFormatException(where, null, $"damaged zip entry: {e.Message}");
            }

            var root = FeedJson.Parse(content.GetBuffer().AsMemory(0, (int)content.Length), where);
            using (root.Document)
            {
                skipped += OsvImporter.Read(root.Node, FeedKind.OsvZip, advisories, coverage, out var modified);
                newest = modified is not null && (newest is null || modified > newest) ? modified : newest;
            }
        }

        var distros = coverage.Select(r => r.Distro).Distinct().Order(StringComparer.Ordinal).ToList();
        var key = "osv-zip:" + (distros.Count > 0 ? string.Join('+', distros) : Path.GetFileName(file));
        return new FeedBatch(FeedKind.OsvZip, file, key, advisories, coverage, newest, skipped);
    }

    /// <summary>Names a careless extractor would write outside its directory.</summary>
    public static bool IsUnsafe(string name)
        => name.Length == 0 || name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal)
            || (name.Length > 1 && name[1] == ':') || name.Split('/').Any(part => part == "..");
}
