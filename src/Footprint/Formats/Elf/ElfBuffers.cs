using System.Buffers;

namespace Footprint.Formats.Elf;

/// <summary>
/// Buffers for reading ELF files: a private pool for blocks up to 1 MiB (most binaries and every table read), plain
/// arrays above that. ArrayPool.Shared is not used: it keeps a cached array per size bucket per thread, so 64 MiB
/// inspection buffers rented on many pool threads (parallel layers, parallel tests) stayed alive by the gigabyte.
/// Here what is retained is bounded: a few arrays per bucket up to 1 MiB.
/// </summary>
internal static class ElfBuffers
{
    private const int MaxPooledBytes = 1 << 20;

    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(MaxPooledBytes, maxArraysPerBucket: 2 * Environment.ProcessorCount);

    public static byte[] Rent(int length) => length <= MaxPooledBytes ? Pool.Rent(length) : new byte[length];

    public static void Return(byte[] buffer)
    {
        if (buffer.Length <= MaxPooledBytes)
        {
            Pool.Return(buffer);
        }
    }
}
