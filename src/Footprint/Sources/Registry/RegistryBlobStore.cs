using Footprint.Sources.Image;

namespace Footprint.Sources.Registry;

/// <summary>
/// The blobs of one image in a registry, as an <see cref="IBlobStore"/> named like an OCI layout ("blobs/sha256/HEX"),
/// so layers are read by the same <see cref="TarLayerReader"/> as a layout's. Only blobs the verified manifest
/// describes are known, with the size it gives; each opens as a <see cref="RegistryBlobStream"/> that verifies the
/// digest while it streams. Nothing is written to disk unless asked (`--keep-blobs`: <see cref="BlobKeeper"/>, read back
/// through <see cref="KeptBlobStream"/>, which verifies again). A blob opened, barely read and closed (the loader's peek at a
/// layer's compression) keeps its response for the next opening (<see cref="BlobLease"/>): one GET per layer.
/// </summary>
internal sealed class RegistryBlobStore : IBlobStore
{
    private readonly RegistryClient _client;
    private readonly IProgress<BlobProgress>? _progress;
    private readonly Dictionary<string, (string Digest, long Size)> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (RegistryBlobStream Stream, byte[] Delivered)> _parked = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private readonly string? _keep;

    /// <param name="client">The registry of the image.</param>
    /// <param name="progress">Receives download progress, or null.</param>
    /// <param name="keep">`--keep-blobs`: the directory blobs are kept in and read back from (verified again); null to keep none.</param>
    public RegistryBlobStore(RegistryClient client, IProgress<BlobProgress>? progress, string? keep = null)
    {
        _client = client;
        _progress = progress;
        _keep = keep;
        if (keep is not null)
        {
            BlobKeeper.SweepAbandoned(keep);
        }
    }

    /// <summary>Makes a blob of the manifest known; returns its name in this store.</summary>
    public string Add(string digest, long size)
    {
        var name = Digests.BlobPath(digest)!;
        _known[name] = (digest, size);
        return name;
    }

    public string Describe(string name) => _known.TryGetValue(name, out var b) ? $"{_client.Reference}@{b.Digest}" : $"{_client.Reference} ({name})";

    public bool Contains(string name) => _known.ContainsKey(name);

    public long? LengthOf(string name) => _known.TryGetValue(name, out var b) ? b.Size : null;

    public Stream Open(string name)
    {
        var (digest, size) = _known.TryGetValue(name, out var b) ? b : throw new FileNotFoundException($"{_client.Reference}: {name} is not a blob of this image");
        lock (_lock)
        {
            if (_parked.Remove(name, out var parked))
            {
                return new BlobLease(parked.Stream, parked.Delivered, (s, d) => Park(name, s, d));
            }
        }

        if (_keep is not null && KeptBlobStream.TryOpen(_keep, digest, size) is { } kept)
        {
            return kept;
        }

        var keeper = _keep is null ? null : BlobKeeper.Start(_keep, digest);
        return new BlobLease(new RegistryBlobStream(_client, digest, size, Describe(name), _progress, keeper), [], (s, d) => Park(name, s, d));
    }

    public byte[] ReadAll(string name, long maxBytes)
    {
        var size = LengthOf(name) ?? throw new FileNotFoundException($"{_client.Reference}: {name} is not a blob of this image");
        if (size > maxBytes)
        {
            throw new Formats.FootprintFormatException(Describe(name), null, $"{size} bytes, more than the {maxBytes} allowed for metadata");
        }

        using var blob = Open(name);
        using var copy = new MemoryStream();
        blob.CopyTo(copy);
        return copy.ToArray();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var (stream, _) in _parked.Values)
            {
                stream.Dispose();
            }

            _parked.Clear();
        }

        _client.Dispose();
    }

    private void Park(string name, RegistryBlobStream stream, byte[] delivered)
    {
        lock (_lock)
        {
            if (_parked.Remove(name, out var older))
            {
                older.Stream.Dispose();
            }

            _parked[name] = (stream, delivered);
        }
    }
}
