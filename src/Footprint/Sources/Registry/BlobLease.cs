using Footprint.Formats;

namespace Footprint.Sources.Registry;

/// <summary>
/// One opening of a registry blob. The layer loader opens a layer twice when a cache is in use: once to peek at its
/// first bytes (its compression, for the cache key) and again to read it. So that this costs one GET, not two, a
/// lease whose stream has delivered only a few bytes is not closed when disposed but parked in its store with the
/// bytes it delivered; the next lease of the same blob replays them and goes on with the same response.
/// </summary>
internal sealed class BlobLease : ReadOnlyStream
{
    /// <summary>A stream that delivered more than this is closed, not parked (a peek reads a few bytes).</summary>
    public const int MaxParkedBytes = 64 << 10;

    private readonly RegistryBlobStream _core;
    private readonly byte[] _replay;
    private readonly Action<RegistryBlobStream, byte[]> _park;
    private readonly MemoryStream _seen = new();
    private int _replayed;
    private bool _faulted;

    public BlobLease(RegistryBlobStream core, byte[] replay, Action<RegistryBlobStream, byte[]> park)
    {
        _core = core;
        _replay = replay;
        _park = park;
        _seen.Write(replay);
    }

    public override int Read(Span<byte> buffer)
    {
        if (_replayed < _replay.Length)
        {
            var n = Math.Min(buffer.Length, _replay.Length - _replayed);
            _replay.AsSpan(_replayed, n).CopyTo(buffer);
            _replayed += n;
            return n;
        }

        try
        {
            var n = _core.Read(buffer);
            if (_seen.Length + n <= MaxParkedBytes)
            {
                _seen.Write(buffer[..n]);
            }
            else
            {
                _seen.SetLength(MaxParkedBytes + 1);
            }

            return n;
        }
        catch
        {
            _faulted = true;
            throw;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (!_faulted && !_core.Done && _seen.Length <= MaxParkedBytes && _seen.Length == _core.Delivered)
            {
                _park(_core, _seen.ToArray());
            }
            else
            {
                _core.Dispose();
            }

            _seen.Dispose();
        }

        base.Dispose(disposing);
    }
}
