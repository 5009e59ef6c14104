using System.Text;
using Footprint.Formats;
using Footprint.Formats.Boot;
using Footprint.Formats.Fat;
using Footprint.Formats.Iso9660;

namespace Footprint.Measures.Running;

/// <summary>Files of an ISO 9660 or FAT image by path, read in place (no extraction).</summary>
internal sealed class MediumFiles : IDisposable
{
    private readonly IsoReader? _iso;
    private readonly FatReader? _fat;

    private MediumFiles(IsoReader? iso, FatReader? fat)
    {
        _iso = iso;
        _fat = fat;
    }

    public static MediumFiles Open(Stream stream, string path, string format)
        => format == "iso" ? new MediumFiles(new IsoReader(stream, path), null) : new MediumFiles(null, new FatReader(stream, path));

    public bool Exists(string path) => _iso is not null ? _iso.TryGetFile(path, out _) : _fat!.TryGetFile(path, out var e) && e.Kind == FileKind.Regular;

    public Stream? Open(string path)
    {
        if (_iso is not null)
        {
            return _iso.TryGetFile(path, out var file) ? _iso.OpenFile(file) : null;
        }

        return _fat!.TryGetFile(path, out var entry) && entry.Kind == FileKind.Regular ? _fat.OpenFile(path) : null;
    }

    /// <summary>A text file, read up to one character past <see cref="BootConfigLimits.MaxConfigChars"/> (the parser refuses more).</summary>
    public string? ReadText(string path)
    {
        using var data = Open(path);
        if (data is null)
        {
            return null;
        }

        using var reader = new StreamReader(data, Encoding.UTF8);
        var buffer = new char[BootConfigLimits.MaxConfigChars + 1];
        var n = reader.ReadBlock(buffer, 0, buffer.Length);
        return new string(buffer, 0, n);
    }

    public void Dispose()
    {
        _iso?.Dispose();
        _fat?.Dispose();
    }
}
