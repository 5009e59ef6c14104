using System.Text;

namespace Footprint.Formats.Kernel;

/// <summary>
/// The configuration a kernel built with CONFIG_IKCONFIG=y carries (kernel/configs.c): the gzip'ed .config between the
/// markers "IKCFG_ST" and "IKCFG_ED" in the kernel image, found and unpacked here as scripts/extract-ikconfig does it.
/// Lines are "CONFIG_X=value" or "# CONFIG_X is not set"; keys are kept without the CONFIG_ prefix and a "not set"
/// symbol reads "n".
/// </summary>
public sealed class KernelConfig
{
    /// <summary>Cap on the unpacked .config (a distribution's is about 260 KB).</summary>
    public const int MaxConfigBytes = 4 << 20;

    /// <summary>Cap on the gzip stream between the markers.</summary>
    public const int MaxCompressedConfigBytes = 1 << 20;

    private static readonly byte[] StartMarker = "IKCFG_ST"u8.ToArray();
    private static readonly byte[] EndMarker = "IKCFG_ED"u8.ToArray();

    private KernelConfig(long offset, long compressedBytes, int textBytes, IReadOnlyDictionary<string, string> entries)
    {
        Offset = offset;
        CompressedBytes = compressedBytes;
        TextBytes = textBytes;
        Entries = entries;
    }

    /// <summary>Offset of the gzip stream (just after "IKCFG_ST") in the decompressed kernel image.</summary>
    public long Offset { get; }

    /// <summary>Bytes of the gzip stream between the markers.</summary>
    public long CompressedBytes { get; }

    /// <summary>Bytes of the unpacked .config text.</summary>
    public int TextBytes { get; }

    /// <summary>Every symbol set or explicitly not set, without the CONFIG_ prefix; string values without their quotes.</summary>
    public IReadOnlyDictionary<string, string> Entries { get; }

    /// <summary>The symbol's value; "n" when it is not set or absent (Kconfig leaves a symbol out when its dependencies are off).</summary>
    public string Value(string key) => Entries.GetValueOrDefault(key, "n");

    /// <summary>True when the symbol is "y" (built in) or "m" (a module).</summary>
    public bool IsEnabled(string key) => Value(key) is "y" or "m";

    /// <summary>
    /// Finds and parses the embedded configuration of <paramref name="image"/> (a decompressed kernel); null when the
    /// image has no "IKCFG_ST" marker. <paramref name="name"/> names the image in errors, offsets are in the image.
    /// </summary>
    /// <exception cref="FootprintFormatException">A marker without an end marker or a valid gzip stream between them.</exception>
    public static KernelConfig? Find(ReadOnlySpan<byte> image, string name)
    {
        int start = image.IndexOf(StartMarker);
        if (start < 0)
        {
            return null;
        }

        int data = start + StartMarker.Length;
        var window = image.Slice(data, Math.Min(MaxCompressedConfigBytes + EndMarker.Length, image.Length - data));
        int length = window.IndexOf(EndMarker);
        if (length < 0)
        {
            throw new FootprintFormatException(name, start, $"IKCFG_ST marker at 0x{start:x} without an IKCFG_ED marker in the next {MaxCompressedConfigBytes} bytes");
        }

        var gz = window[..length];
        if (gz.Length < 18 || gz[0] != 0x1F || gz[1] != 0x8B)
        {
            throw new FootprintFormatException(name, data, $"IKCFG_ST marker at 0x{start:x} is not followed by a gzip stream (kernel/configs.c embeds config_data.gz there)");
        }

        string text = Gunzip(gz, name, data);
        return new KernelConfig(data, length, Encoding.UTF8.GetByteCount(text), Parse(text));
    }

    /// <summary>Parses .config text: "CONFIG_X=value" and "# CONFIG_X is not set"; other lines are comments.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("CONFIG_", StringComparison.Ordinal) && line.IndexOf('=', StringComparison.Ordinal) is var eq && eq > 7)
            {
                var value = line[(eq + 1)..];
                if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
                {
                    value = value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
                }

                entries[line[7..eq]] = value;
            }
            else if (line.StartsWith("# CONFIG_", StringComparison.Ordinal) && line.EndsWith(" is not set", StringComparison.Ordinal) && line.Length > 9 + 11)
            {
                entries[line[9..^11]] = "n";
            }
        }

        return entries;
    }

    /// <summary>Through the same gzip reader as every other stream (CRC-32 and ISIZE checked at the end), capped.</summary>
    private static string Gunzip(ReadOnlySpan<byte> gz, string name, long offset)
    {
        var bytes = KernelDecompressor.Decompress(new ArraySegment<byte>(gz.ToArray()), "gzip", $"{name} (IKCONFIG gzip stream)", offset, MaxConfigBytes);
        return Encoding.UTF8.GetString(bytes);
    }
}
