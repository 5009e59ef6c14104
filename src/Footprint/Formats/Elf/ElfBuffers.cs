using System.Buffers;

namespace Footprint.Formats.Elf;

/// <summary>
/// Buffers for reading ELF files, from a private pool with a fixed number of arrays per size bucket (up to the 64 MiB
/// inspection cap). ArrayPool.Shared is not used: it keeps an array per size bucket per thread, so 64 MiB buffers
/// rented on many pool threads stayed alive by the gigabyte; and fresh arrays per file are no better: each large ELF
/// then leaves a large-object-heap array that only a full collection frees, and on a big machine the GC lets those
/// pile up to most of its memory (a test run reached 22 GB). Reused arrays make neither happen: what is retained is at
/// most <see cref="ArraysPerBucket"/> arrays per power-of-two size. A whole file read from a layer stream is another
/// matter: it is read once, so <see cref="RentWhole"/> gives it memory of its own, returned when the file is done.
/// </summary>
internal static class ElfBuffers
{
    private const int MaxPooledBytes = ElfInspector.MaxInspectBytes;

    /// <summary>Up to this size <see cref="RentWhole"/> takes an array from the pool (below the large-object heap's 85,000 bytes).</summary>
    private const int MaxSmallBytes = 64 << 10;

    private static readonly int ArraysPerBucket = Math.Clamp(Environment.ProcessorCount, 2, 8);

    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(MaxPooledBytes, ArraysPerBucket);

    /// <summary>Whole-file mappings kept between files: one per concurrently read layer on most machines.</summary>
    private static readonly int MappingsKept = ArraysPerBucket;

    private static readonly List<MappedBuffer> Mappings = [];

    public static byte[] Rent(int length) => length <= MaxPooledBytes ? Pool.Rent(length) : new byte[length];

    /// <summary>
    /// Memory for <paramref name="length"/> bytes, returned by disposing the owner: small sizes from the pool, larger
    /// ones on Linux from mappings of their own (<see cref="MappedBuffer"/>), at most <see cref="MappingsKept"/> kept
    /// for the next file (a mapping per file faulted its pages in again each time: 0.1-0.3 s of system time on a Debian
    /// image) and all unmapped by <see cref="ReleaseWhole"/>. As managed arrays they sat on the large-object heap, the
    /// largest binary's size and every smaller size before it, until a full collection.
    /// </summary>
    public static IMemoryOwner<byte> RentWhole(int length)
    {
        if (length <= MaxSmallBytes || !OperatingSystem.IsLinux())
        {
            return new PooledArray(Rent(length), length);
        }

        lock (Mappings)
        {
            // The smallest kept mapping that fits: a larger one stays free for a larger file on another thread.
            var best = -1;
            for (var i = 0; i < Mappings.Count; i++)
            {
                if (Mappings[i].Length >= length && (best < 0 || Mappings[i].Length < Mappings[best].Length))
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                var found = Mappings[best];
                Mappings.RemoveAt(best);
                return new MappedLease(found, length);
            }
        }

        // A power of two: a run of growing files maps a few times, not once each.
        return new MappedLease(new MappedBuffer((int)Math.Min(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)length), (uint)int.MaxValue / 2 + 1)), length);
    }

    /// <summary>Unmaps the kept whole-file mappings (once the layers were read: nothing reads an ELF stream whole after).</summary>
    public static void ReleaseWhole()
    {
        lock (Mappings)
        {
            foreach (var m in Mappings)
            {
                ((IDisposable)m).Dispose();
            }

            Mappings.Clear();
        }
    }

    private static void Keep(MappedBuffer mapping)
    {
        lock (Mappings)
        {
            if (Mappings.Count < MappingsKept)
            {
                Mappings.Add(mapping);
                return;
            }

            // Full: keep the larger of this one and the smallest kept.
            var smallest = 0;
            for (var i = 1; i < Mappings.Count; i++)
            {
                if (Mappings[i].Length < Mappings[smallest].Length)
                {
                    smallest = i;
                }
            }

            if (Mappings[smallest].Length < mapping.Length)
            {
                (Mappings[smallest], mapping) = (mapping, Mappings[smallest]);
            }
        }

        ((IDisposable)mapping).Dispose();
    }

    public static void Return(byte[] buffer)
    {
        if (buffer.Length <= MaxPooledBytes)
        {
            Pool.Return(buffer);
        }
    }

    /// <summary>The first <c>length</c> bytes of a mapping; disposing hands the mapping back to be kept or unmapped.</summary>
    private sealed class MappedLease(MappedBuffer mapping, int length) : IMemoryOwner<byte>
    {
        private MappedBuffer? _mapping = mapping;

        public Memory<byte> Memory => _mapping is { } m ? m.Memory[..length] : throw new ObjectDisposedException(nameof(MappedLease));

        public void Dispose()
        {
            if (_mapping is { } m)
            {
                _mapping = null;
                Keep(m);
            }
        }
    }

    /// <summary>A pooled array as a memory owner; disposing returns it.</summary>
    private sealed class PooledArray(byte[] array, int length) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => _array is { } a ? a.AsMemory(0, length) : throw new ObjectDisposedException(nameof(PooledArray));

        public void Dispose()
        {
            if (_array is { } a)
            {
                _array = null;
                Return(a);
            }
        }
    }
}
