using System.Collections;

namespace Footprint.FileSystem;

/// <summary>
/// A directory's children by name (ordinal), in insertion order. A Dictionary&lt;string, FsNode&gt; costs about
/// 28 bytes an entry plus its growth slack and 200 bytes for a directory of one; the node already carries its
/// name, so this keeps only the nodes in insertion order and, past <see cref="LinearScanMax"/> children, an
/// open-addressed index of their positions (linear probing, at most half full): about 8 + 8 bytes an entry.
/// Insertion order is kept because the layer merge visits children in that order (it decides which hard-linked
/// name of a file counts as added or modified), exactly as the dictionary did.
/// </summary>
internal sealed class ChildTable : IEnumerable<FsNode>
{
    /// <summary>Small directories (most of them) are searched by comparing names: no index at all.</summary>
    private const int LinearScanMax = 8;

    private FsNode?[] _nodes;

    /// <summary>Slot = position in <see cref="_nodes"/> + 1 (0 = empty); length a power of two, or empty when unindexed.</summary>
    private int[] _index = [];
    private int _used;

    public ChildTable(int capacity = 0)
    {
        _nodes = capacity == 0 ? [] : new FsNode?[capacity];
        if (capacity > LinearScanMax)
        {
            Reindex(capacity);
        }
    }

    /// <summary>Number of children.</summary>
    public int Count { get; private set; }

    public FsNode? Get(string name) => Get(name.AsSpan());

    public FsNode? Get(ReadOnlySpan<char> name)
    {
        var i = Find(name, out _);
        return i < 0 ? null : _nodes[i];
    }

    /// <summary>Adds a child, or replaces the child of the same name in its place.</summary>
    public void Set(FsNode node)
    {
        var i = Find(node.Name, out var slot);
        if (i >= 0)
        {
            _nodes[i] = node;
            return;
        }

        if (_used == _nodes.Length)
        {
            Grow();
            slot = _index.Length == 0 ? -1 : FreeSlot(node.Name);
        }

        _nodes[_used] = node;
        _used++;
        Count++;
        if (_index.Length > 0)
        {
            _index[slot] = _used;
        }
        else if (_used > LinearScanMax)
        {
            Reindex(_nodes.Length);
        }
    }

    public bool Remove(string name, out FsNode? removed)
    {
        var i = Find(name, out _);
        if (i < 0)
        {
            removed = null;
            return false;
        }

        removed = _nodes[i];
        if (_index.Length > 0)
        {
            Unindex(i);
        }

        _nodes[i] = null;
        Count--;
        if (Count == 0)
        {
            Clear();
        }

        return true;
    }

    public void Clear()
    {
        _nodes = [];
        _index = [];
        _used = 0;
        Count = 0;
    }

    /// <summary>The children sorted by name, ordinal (the walk's order).</summary>
    public FsNode[] Sorted()
    {
        var sorted = new FsNode[Count];
        var n = 0;
        foreach (var node in this)
        {
            sorted[n++] = node;
        }

        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return sorted;
    }

    public IEnumerator<FsNode> GetEnumerator()
    {
        for (var i = 0; i < _used; i++)
        {
            if (_nodes[i] is { } node)
            {
                yield return node;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static int Hash(ReadOnlySpan<char> name) => string.GetHashCode(name, StringComparison.Ordinal);

    /// <summary>Position of the child named <paramref name="name"/>, or -1; <paramref name="freeSlot"/> is where its index entry would go.</summary>
    private int Find(ReadOnlySpan<char> name, out int freeSlot)
    {
        freeSlot = -1;
        if (_index.Length == 0)
        {
            for (var i = 0; i < _used; i++)
            {
                if (_nodes[i] is { } node && name.SequenceEqual(node.Name))
                {
                    return i;
                }
            }

            return -1;
        }

        var mask = _index.Length - 1;
        for (var slot = Hash(name) & mask; ; slot = (slot + 1) & mask)
        {
            var entry = _index[slot];
            if (entry == 0)
            {
                freeSlot = slot;
                return -1;
            }

            if (name.SequenceEqual(_nodes[entry - 1]!.Name))
            {
                return entry - 1;
            }
        }
    }

    /// <summary>
    /// Drops position <paramref name="position"/> from the index by backward-shift deletion (linear probing has no
    /// tombstones): each later entry of the same probe run moves into the hole unless its home slot lies after it.
    /// </summary>
    private void Unindex(int position)
    {
        var mask = _index.Length - 1;
        var hole = Hash(_nodes[position]!.Name) & mask;
        while (_index[hole] != position + 1)
        {
            hole = (hole + 1) & mask;
        }

        var next = (hole + 1) & mask;
        while (_index[next] != 0)
        {
            var home = Hash(_nodes[_index[next] - 1]!.Name) & mask;

            // The entry at `next` may fill the hole when its home is not cyclically within (hole, next].
            var homeAfterHole = (home - hole - 1) & mask;
            var nextAfterHole = (next - hole - 1) & mask;
            if (homeAfterHole > nextAfterHole)
            {
                _index[hole] = _index[next];
                hole = next;
            }

            next = (next + 1) & mask;
        }

        _index[hole] = 0;
    }

    private int FreeSlot(string name)
    {
        var mask = _index.Length - 1;
        var slot = Hash(name) & mask;
        while (_index[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }

        return slot;
    }

    private void Grow()
    {
        // Removed children leave holes; compact them away before deciding to grow.
        if (Count < _used)
        {
            var n = 0;
            for (var i = 0; i < _used; i++)
            {
                if (_nodes[i] is { } node)
                {
                    _nodes[n++] = node;
                }
            }

            Array.Clear(_nodes, n, _used - n);
            _used = n;
            if (_used < _nodes.Length)
            {
                if (_index.Length > 0)
                {
                    Reindex(_nodes.Length);
                }

                return;
            }
        }

        var capacity = _nodes.Length == 0 ? 2 : _nodes.Length * 2;
        Array.Resize(ref _nodes, capacity);
        if (_index.Length > 0 || _used >= LinearScanMax)
        {
            Reindex(capacity);
        }
    }

    /// <summary>Rebuilds the index for up to <paramref name="capacity"/> children, at most half full.</summary>
    private void Reindex(int capacity)
    {
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity * 2));
        if (_index.Length == size)
        {
            Array.Clear(_index);
        }
        else
        {
            _index = new int[size];
        }

        var mask = size - 1;
        for (var i = 0; i < _used; i++)
        {
            if (_nodes[i] is { } node)
            {
                var slot = Hash(node.Name) & mask;
                while (_index[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }

                _index[slot] = i + 1;
            }
        }
    }
}
