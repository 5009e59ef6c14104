using System.Globalization;

namespace Footprint.Sources.Registry;

/// <summary>
/// `--keep-blobs`: writes a registry blob into the kept-blob directory (DIR/ALGORITHM/HEX, the OCI layout's naming) as
/// it streams, under a temporary name that holds this process's id, renamed into place only once the whole blob was
/// delivered and its digest matched. A blob that is not read to its end, fails its digest or cannot be written is not
/// kept: keeping never changes a figure, so a write error only stops keeping. Temporary files of processes that no
/// longer run (killed before they could delete theirs) are removed when a store opens the directory.
/// </summary>
internal sealed class BlobKeeper : IDisposable
{
    private const string PartialSuffix = ".partial";

    private readonly string _final;
    private readonly string _temporary;
    private FileStream? _file;

    private BlobKeeper(string final, string temporary, FileStream file)
    {
        _final = final;
        _temporary = temporary;
        _file = file;
    }

    /// <summary>Where a kept blob of <paramref name="digest"/> (already validated by the manifest reader) lives.</summary>
    public static string PathOf(string directory, string digest)
    {
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        return Path.Combine(directory, digest[..colon], digest[(colon + 1)..]);
    }

    /// <summary>A keeper for <paramref name="digest"/>, or null when the directory cannot be written (then nothing is kept).</summary>
    public static BlobKeeper? Start(string directory, string digest)
    {
        var final = PathOf(directory, digest);
        var temporary = Path.Combine(Path.GetDirectoryName(final)!,
            $".{Path.GetFileName(final)}.{Environment.ProcessId}.{Guid.NewGuid():N}{PartialSuffix}");
        try
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            return new BlobKeeper(final, temporary, new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Removes temporary files left by processes that are gone (their id is the second-to-last dot field).</summary>
    public static void SweepAbandoned(string directory)
    {
        try
        {
            if (!System.IO.Directory.Exists(directory))
            {
                return;
            }

            foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*" + PartialSuffix, SearchOption.AllDirectories))
            {
                var parts = Path.GetFileName(file).Split('.');
                if (parts.Length >= 4 && int.TryParse(parts[^3], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    && pid != Environment.ProcessId && !System.IO.Directory.Exists($"/proc/{pid}"))
                {
                    File.Delete(file);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover is retried by the next store that opens the directory.
        }
    }

    /// <summary>Appends delivered bytes; on a write error the blob is no longer kept.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        try
        {
            _file?.Write(bytes);
        }
        catch (IOException)
        {
            Abandon();
        }
    }

    /// <summary>The blob was delivered whole and its digest matched: move it into place.</summary>
    public void Commit()
    {
        if (_file is null)
        {
            return;
        }

        try
        {
            _file.Flush(flushToDisk: true);
            _file.Dispose();
            _file = null;
            File.Move(_temporary, _final, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Abandon();
        }
    }

    public void Dispose() => Abandon();

    private void Abandon()
    {
        try
        {
            _file?.Dispose();
        }
        catch (IOException)
        {
            // The file is deleted next, whatever its state.
        }

        _file = null;
        try
        {
            File.Delete(_temporary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for SweepAbandoned once this process is gone.
        }
    }
}
