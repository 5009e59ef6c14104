using System.Diagnostics;
using Footprint.Sources.Registry;
using Spectre.Console;

namespace Footprint.Cli.Rendering;

/// <summary>One progress bar per blob being downloaded from a registry: bytes received of the descriptor's size, and the rate.</summary>
internal sealed class BlobProgressTasks(ProgressContext context)
{
    private readonly Dictionary<string, (ProgressTask Task, Stopwatch Clock)> _tasks = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>
    /// Runs on the thread pool (a <see cref="Progress{T}"/> handler), where an exception would end the process: a
    /// progress bar that cannot be drawn (the display already stopped) is skipped, never fatal.
    /// </summary>
    public void Report(BlobProgress progress)
    {
        lock (_lock)
        {
            try
            {
                var shortDigest = progress.Digest[..Math.Min(progress.Digest.Length, 19)];
                if (!_tasks.TryGetValue(progress.Digest, out var entry))
                {
                    entry = (context.AddTask(TerminalText.Cell("  " + shortDigest), maxValue: Math.Max(1, progress.TotalBytes)), Stopwatch.StartNew());
                    _tasks[progress.Digest] = entry;
                }

                var seconds = Math.Max(entry.Clock.Elapsed.TotalSeconds, 0.001);
                var rate = progress.ReceivedBytes / seconds / (1 << 20);
                entry.Task.Description = TerminalText.Cell(FormattableString.Invariant(
                    $"  {shortDigest} {progress.ReceivedBytes / 1048576.0:0.0}/{progress.TotalBytes / 1048576.0:0.0} MiB, {rate:0.0} MiB/s"));
                entry.Task.Value = progress.ReceivedBytes;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
            }
        }
    }
}
