using System.Globalization;
using System.Text;

namespace Footprint.Measures.Running;

/// <summary>
/// Writes an uncompressed "newc" cpio archive, the format the kernel unpacks as an initramfs
/// (Documentation/driver-api/early-userspace/buffer-format.rst): 110-byte ASCII-hex headers, names and data padded to
/// 4 bytes, ended by a TRAILER!!! entry. Inode numbers are assigned in order; hard links are written as separate files.
/// </summary>
public sealed class NewcWriter : IDisposable
{
    private readonly Stream _out;
    private int _inode = 1;
    private bool _finished;

    public NewcWriter(Stream output) => _out = output;

    /// <summary>Bytes written so far.</summary>
    public long Position { get; private set; }

    public void Directory(string name, int mode) => Write(name, 0x4000 | (mode & 0xfff), ReadOnlySpan<byte>.Empty, null);

    public void Symlink(string name, string target) => Write(name, 0xa000 | 0x1ff, Encoding.UTF8.GetBytes(target), null);

    public void File(string name, int mode, Stream data, long length) => Write(name, 0x8000 | (mode & 0xfff), ReadOnlySpan<byte>.Empty, (data, length));

    public void File(string name, int mode, byte[] data) => Write(name, 0x8000 | (mode & 0xfff), data, null);

    public void CharDevice(string name, int mode, int major, int minor) => Write(name, 0x2000 | (mode & 0xfff), ReadOnlySpan<byte>.Empty, null, major, minor);

    /// <summary>Writes the trailer; nothing can be added after.</summary>
    public void Finish()
    {
        if (!_finished)
        {
            _finished = true;
            Write("TRAILER!!!", 0, ReadOnlySpan<byte>.Empty, null, 0, 0, trailer: true);
        }
    }

    private void Write(string name, int mode, ReadOnlySpan<byte> inline, (Stream Data, long Length)? stream, int major = 0, int minor = 0, bool trailer = false)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        var size = stream?.Length ?? inline.Length;
        var header = new StringBuilder("070701");
        foreach (var field in new long[] { trailer ? 0 : _inode++, mode, 0, 0, 1, 0, size, 0, 0, major, minor, nameBytes.Length, 0 })
        {
            header.Append(field.ToString("x8", CultureInfo.InvariantCulture));
        }

        Emit(Encoding.ASCII.GetBytes(header.ToString()));
        Emit(nameBytes);
        Pad();
        if (stream is { } s)
        {
            var buffer = new byte[1 << 16];
            long left = s.Length;
            while (left > 0)
            {
                var n = s.Data.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (n == 0)
                {
                    throw new IOException($"{name}: data ended {left} bytes early");
                }

                Emit(buffer.AsSpan(0, n));
                left -= n;
            }
        }
        else
        {
            Emit(inline);
        }

        Pad();
    }

    private void Emit(ReadOnlySpan<byte> bytes)
    {
        _out.Write(bytes);
        Position += bytes.Length;
    }

    private void Pad()
    {
        while (Position % 4 != 0)
        {
            Emit([0]);
        }
    }

    public void Dispose() => Finish();
}
