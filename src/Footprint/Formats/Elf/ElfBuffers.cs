using System.Buffers;

namespace Footprint.Formats.Elf;

/// <summary>
/// Buffers for reading ELF files, from a private pool with a fixed number of arrays per size bucket (up to the 64 MiB
/// inspection cap). ArrayPool.Shared is not used: it keeps an array per size bucket per thread, so 64 MiB buffers
/// rented on many pool threads stayed alive by the gigabyte; and fresh arrays per file are no better: each large ELF
/// then leaves a large-object-heap array that only a full collection frees, and on a big machine the GC lets those
/// pile up to most of its memory (a test run reached 22 GB). Reused arrays make neither happen: what is retained is at
/// most <see cref="ArraysPerBucket"/> arrays per power-of-two size.
/// </summary>
internal static class ElfBuffers
{
    private const int MaxPooledBytes = ElfInspector.MaxInspectBytes;

    private static readonly int ArraysPerBucket = Math.Clamp(Environment.ProcessorCount, 2, 8);

    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(MaxPooledBytes, ArraysPerBucket);

    public static byte[] Rent(int length) => length <= MaxPooledBytes ? Pool.Rent(length) : new byte[length];

    public static void Return(byte[] buffer)
    {
        if (buffer.Length <= MaxPooledBytes)
        {
            Pool.Return(buffer);
        }
    }
}
