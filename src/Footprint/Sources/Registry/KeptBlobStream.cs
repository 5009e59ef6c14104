using Footprint.Formats;
using Footprint.Sources.Image;

namespace Footprint.Sources.Registry;

/// <summary>
/// A blob read from the kept-blob directory instead of the registry. The file is trusted no more than the network: it
/// is hashed before it is used (a damaged copy is deleted and the blob fetched instead), and again as it is read; a
/// copy that changes in between fails the read, naming the file, and is deleted (the next run fetches it again).
/// </summary>
internal sealed class KeptBlobStream : ReadOnlyStream
{
    private readonly FileStream _file;
    private readonly string _path;
    private readonly string _digest;
    private readonly long _size;
    private readonly System.Security.Cryptography.IncrementalHash _hash;
    private long _position;
    private bool _checked;

    private KeptBlobStream(FileStream file, string path, string digest, long size)
    {
        _file = file;
        _path = path;
        _digest = digest;
        _size = size;
        _hash = Digests.CreateHash(digest);
    }

    /// <summary>
    /// The kept copy of <paramref name="digest"/> when there is one of exactly <paramref name="size"/> bytes that hashes
    /// to it now; null otherwise (a copy that does not is deleted, so the blob is fetched and kept again). Hashed before
    /// use because a decoder fed a damaged copy fails before the end, where the streaming check sits; the streaming
    /// check stays for a copy changed after this one.
    /// </summary>
    public static KeptBlobStream? TryOpen(string directory, string digest, long size)
    {
        var path = BlobKeeper.PathOf(directory, digest);
        FileStream? file = null;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            if (file.Length != size || !Hashes(file, digest))
            {
                file.Dispose();
                file = null;
                File.Delete(path);
                return null;
            }

            file.Position = 0;
            return new KeptBlobStream(file, path, digest, size);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            file?.Dispose();
            return null;
        }
    }

    private static bool Hashes(FileStream file, string digest)
    {
        using var hash = Digests.CreateHash(digest);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int n;
            while ((n = file.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, n);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return Digests.Format(digest, hash.GetHashAndReset()) == digest;
    }

    public override int Read(Span<byte> buffer)
    {
        if (_checked || buffer.Length == 0)
        {
            return 0;
        }

        var n = _file.Read(buffer[..(int)Math.Min(buffer.Length, _size - _position)]);
        _hash.AppendData(buffer[..n]);
        _position += n;
        if (n == 0 || _position == _size)
        {
            Check();
        }

        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Check()
    {
        _checked = true;
        var actual = Digests.Format(_digest, _hash.GetHashAndReset());
        if (_position != _size || actual != _digest)
        {
            try
            {
                File.Delete(_path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The next read checks it again.
            }

            throw new FootprintFormatException(_path, _position, $"kept blob is not {_digest} (content digest {actual}, {_position} of {_size} bytes): deleted, run again to fetch it");
        }
    }
}
