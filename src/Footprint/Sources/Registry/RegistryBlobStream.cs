using System.Net;
using Footprint.Formats;
using Footprint.Sources.Image;

namespace Footprint.Sources.Registry;

/// <summary>
/// One blob, streamed from the registry (GET /v2/NAME/blobs/DIGEST, redirects followed). The request is sent on the
/// first read, so opening a layer costs nothing until its bytes are wanted. Every byte is hashed as it passes; at
/// the descriptor's size the digest must match, and a blob that runs past its size is refused. A connection that
/// drops mid-blob is resumed with `Range: bytes=N-` (distribution-spec: registries SHOULD support ranges on blob
/// GETs); a server that answers 200 instead of 206 is read again from the start with the first N bytes skipped.
/// With `--keep-blobs` a <see cref="BlobKeeper"/> writes the bytes as they pass and keeps them only once the digest matched.
/// </summary>
internal sealed class RegistryBlobStream : ReadOnlyStream
{
    /// <summary>Resumes after dropped connections, per blob.</summary>
    public const int MaxResumes = 5;

    private const long ProgressStepBytes = 1 << 20;

    private readonly RegistryClient _client;
    private readonly string _digest;
    private readonly long _size;
    private readonly string _location;
    private readonly IProgress<BlobProgress>? _progress;
    private readonly System.Security.Cryptography.IncrementalHash _hash;
    private readonly BlobKeeper? _keeper;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private long _position;
    private long _skip;
    private int _resumes;
    private long _reported;
    private bool _done;

    public RegistryBlobStream(RegistryClient client, string digest, long size, string location, IProgress<BlobProgress>? progress, BlobKeeper? keeper = null)
    {
        _keeper = keeper;
        _client = client;
        _digest = digest;
        _size = size;
        _location = location;
        _progress = progress;
        _hash = Digests.CreateHash(digest);
    }

    /// <summary>How many times the download was resumed after a dropped connection.</summary>
    public int Resumes => _resumes;

    /// <summary>Bytes delivered so far.</summary>
    public long Delivered => _position;

    /// <summary>True once every byte was delivered and the digest checked.</summary>
    public bool Done => _done;

    public override int Read(Span<byte> buffer)
    {
        if (_done || buffer.Length == 0)
        {
            return 0;
        }

        while (true)
        {
            int n;
            try
            {
                _body ??= OpenBody();
                n = _client.ReadTimed(_body, buffer, $"blob {_digest}");
            }
            catch (IOException e) when (e is not FootprintFormatException and not RegistryException)
            {
                Reopen(e);
                continue;
            }

            if (n == 0)
            {
                if (_skip > 0 || _position < _size)
                {
                    Reopen(new IOException($"the connection closed after {_position} of {_size} bytes"));
                    continue;
                }

                Complete();
                return 0;
            }

            var span = buffer[..n];
            if (_skip > 0)
            {
                // A 200 after a dropped connection: the bytes before the resume point were hashed already.
                var drop = (int)Math.Min(_skip, n);
                _skip -= drop;
                if (drop == n)
                {
                    continue;
                }

                span[drop..].CopyTo(buffer);
                n -= drop;
                span = buffer[..n];
            }

            if (_position + n > _size)
            {
                throw new FootprintFormatException(_location, _size, $"the registry sends more than the {_size} bytes the manifest gives for blob {_digest}");
            }

            _hash.AppendData(span);
            _keeper?.Write(span);
            _position += n;
            if (_progress is not null && (_position - _reported >= ProgressStepBytes || _position == _size))
            {
                _reported = _position;
                _progress.Report(new BlobProgress(_digest, _position, _size));
            }

            if (_position == _size)
            {
                Complete();
            }

            return n;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close(ref _body, ref _response);
            _hash.Dispose();
            _keeper?.Dispose();
        }

        base.Dispose(disposing);
    }

    private Stream OpenBody()
    {
        var from = _position > 0 ? _position : (long?)null;
        var response = _client.Get(_client.Api("blobs", _digest), $"blob {_digest}", rangeFrom: from);
        if (from is { } start)
        {
            if (response.StatusCode == HttpStatusCode.PartialContent)
            {
                if (response.Content.Headers.ContentRange is not { From: { } f } || f != start)
                {
                    response.Dispose();
                    throw new FootprintFormatException(_location, start, $"the registry resumed blob {_digest} at another offset than asked ({start})");
                }
            }
            else
            {
                _skip = start;
            }
        }

        if (response.Content.Headers.ContentLength is { } length && length > _size - (from ?? 0) + _skip)
        {
            response.Dispose();
            throw new FootprintFormatException(_location, null, $"the registry declares {length} bytes for blob {_digest}, the manifest gives {_size}");
        }

        _response = response;
        return response.Content.ReadAsStream();
    }

    private void Reopen(IOException cause)
    {
        Close(ref _body, ref _response);
        if (++_resumes > MaxResumes)
        {
            throw new RegistryException($"{_client.Reference}: blob {_digest}: the connection dropped {MaxResumes} times (last: {cause.Message})", cause);
        }
    }

    private void Complete()
    {
        _done = true;
        Close(ref _body, ref _response);
        var actual = Digests.Format(_digest, _hash.GetHashAndReset());
        if (actual != _digest)
        {
            throw new FootprintFormatException(_location, null, $"{_client.Reference}: blob content digest is {actual}, not {_digest} as the manifest names it (tampered or corrupted in transit)");
        }

        _keeper?.Commit();
    }

    private static void Close(ref Stream? body, ref HttpResponseMessage? response)
    {
        body?.Dispose();
        body = null;
        response?.Dispose();
        response = null;
    }
}
