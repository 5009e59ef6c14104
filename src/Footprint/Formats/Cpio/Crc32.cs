namespace Footprint.Formats.Cpio;

/// <summary>CRC-32 (ISO-HDLC, reflected polynomial 0xEDB88320) as the gzip trailer uses it (RFC 1952 §2.3.1, §8).</summary>
internal sealed class Crc32
{
    private static readonly uint[] Table = BuildTable();
    private uint _state = 0xFFFFFFFF;

    public uint Value => ~_state;

    public void Append(ReadOnlySpan<byte> data)
    {
        uint s = _state;
        foreach (byte b in data)
        {
            s = Table[(s ^ b) & 0xFF] ^ (s >> 8);
        }

        _state = s;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
