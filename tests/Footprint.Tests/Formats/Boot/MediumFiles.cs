using System.Text;
using Footprint.Formats.Fat;
using Footprint.Formats.Iso9660;

namespace Footprint.Tests.Formats.Boot;

/// <summary>Reads one text file out of a FAT or ISO 9660 image with Footprint's own readers (no extraction).</summary>
internal static class MediumFiles
{
    public static string Fat(string image, string path)
    {
        using var stream = File.OpenRead(image);
        using var fat = new FatReader(stream, image);
        using var data = fat.OpenFile(path);
        using var text = new StreamReader(data, Encoding.UTF8);
        return text.ReadToEnd();
    }

    public static string? Iso(string image, string path)
    {
        using var stream = File.OpenRead(image);
        using var iso = new IsoReader(stream, image);
        if (!iso.TryGetFile(path, out var file))
        {
            return null;
        }

        using var data = iso.OpenFile(file);
        using var text = new StreamReader(data, Encoding.UTF8);
        return text.ReadToEnd();
    }
}
