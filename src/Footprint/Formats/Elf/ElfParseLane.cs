using System.Buffers;

namespace Footprint.Formats.Elf;

/// <summary>
/// Summarises one ELF file at a time on a thread of its own while the caller reads the next file of the same layer
/// stream: parsing is a third of what the reading thread did on a Debian image (bench/: debian-oci, debian-docker),
/// and the read cannot be split, the parse can. At most one parse runs beside the read, so a layer holds at most two
/// whole-file buffers (the one read, the one parsed), not one per binary. Not thread-safe: one lane per layer read.
/// </summary>
public sealed class ElfParseLane : IDisposable
{
    private Task? _running;

    /// <summary>
    /// Summarises <paramref name="length"/> bytes of <paramref name="owner"/> (a whole file of <paramref name="sizeBytes"/>)
    /// and hands the summary to <paramref name="done"/>, on the lane's thread; the buffer is returned after. Waits for
    /// the previous parse first.
    /// </summary>
    public void Run(IMemoryOwner<byte> owner, int length, long sizeBytes, Action<ElfSummary?> done)
    {
        try
        {
            Wait();
        }
        catch
        {
            owner.Dispose();
            throw;
        }

        _running = Task.Run(() =>
        {
            try
            {
                done(ElfReader.Read(owner.Memory[..length], sizeBytes));
            }
            finally
            {
                owner.Dispose();
            }
        });
    }

    /// <summary>Waits for the parse in flight: every summary handed out so far is in place after this.</summary>
    public void Wait()
    {
        var running = _running;
        _running = null;
        running?.GetAwaiter().GetResult();
    }

    /// <summary>Waits without throwing (an error path: the read already failed, the parse's own error adds nothing).</summary>
    public void Dispose()
    {
        var running = _running;
        _running = null;
        if (running is not null)
        {
            ((IAsyncResult)running).AsyncWaitHandle.WaitOne();
        }
    }
}
