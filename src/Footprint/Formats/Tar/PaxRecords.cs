using System.Text;

namespace Footprint.Formats.Tar;

/// <summary>
/// Parses the data of a PAX extended header ('x') into its records, keeping every record in order and each value
/// as raw bytes. POSIX.1-2017 pax, "pax Extended Header": each record is <c>"%d %s=%s\n"</c>, length, keyword, value,
/// where length counts the whole record in bytes including itself and the newline. Values may be binary
/// (e.g. <c>SCHILY.xattr.security.capability</c>), and GNU sparse 0.0 repeats keywords, so neither the BCL's
/// string dictionary nor "last one wins" is enough here.
/// </summary>
internal static class PaxRecords
{
    public static List<KeyValuePair<string, byte[]>> Parse(ReadOnlySpan<byte> data, string sourceName, long dataOffset)
    {
        var records = new List<KeyValuePair<string, byte[]>>();
        int pos = 0;
        while (pos < data.Length)
        {
            ReadOnlySpan<byte> rest = data[pos..];
            if (rest[0] == 0)
            {
                break; // some writers pad the data area with NULs
            }

            int space = rest.IndexOf((byte)' ');
            if (space <= 0 || space > 10)
            {
                throw Bad(sourceName, dataOffset + pos, "PAX record has no length");
            }

            int length = 0;
            foreach (byte b in rest[..space])
            {
                if (b is < (byte)'0' or > (byte)'9')
                {
                    throw Bad(sourceName, dataOffset + pos, "PAX record length is not decimal");
                }

                length = (length * 10) + (b - '0');
            }

            if (length <= space + 2 || length > rest.Length || rest[length - 1] != (byte)'\n')
            {
                throw Bad(sourceName, dataOffset + pos, $"PAX record length {length} is inconsistent");
            }

            ReadOnlySpan<byte> keyValue = rest[(space + 1)..(length - 1)];
            int eq = keyValue.IndexOf((byte)'=');
            if (eq <= 0)
            {
                throw Bad(sourceName, dataOffset + pos, "PAX record has no keyword");
            }

            records.Add(new(Encoding.UTF8.GetString(keyValue[..eq]), keyValue[(eq + 1)..].ToArray()));
            pos += length;
        }

        return records;
    }

    public static string? LastString(List<KeyValuePair<string, byte[]>> records, string key)
    {
        for (int i = records.Count - 1; i >= 0; i--)
        {
            if (records[i].Key == key)
            {
                return Encoding.UTF8.GetString(records[i].Value);
            }
        }

        return null;
    }

    private static FootprintFormatException Bad(string source, long offset, string message) => new(source, offset, message);
}
