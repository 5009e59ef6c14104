using System.Collections.Concurrent;
using System.IO.Enumeration;

/// <summary>Walks a tree with one worker per core pulling directories from a shared queue; lstat of every entry.</summary>
internal static class MetadataWalk
{
    public static (long Entries, long Bytes) Run(string root, string[] skip)
    {
        var skipped = new HashSet<string>(skip.Select(s => s.TrimEnd('/')), StringComparer.Ordinal);
        var queue = new BlockingCollection<string>(new ConcurrentQueue<string>());
        var pending = 1;
        long entries = 0, bytes = 0;
        queue.Add(root);
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = 0, ReturnSpecialDirectories = false };
        var workers = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(() =>
        {
            foreach (var dir in queue.GetConsumingEnumerable())
            {
                long e = 0, b = 0;
                try
                {
                    // Length and Attributes make .NET lstat the entry (d_type alone would say nothing of its size).
                    var children = new FileSystemEnumerable<(string Path, bool Dir, long Length)>(dir,
                        (ref FileSystemEntry x) => (x.ToFullPath(), x.IsDirectory && (x.Attributes & FileAttributes.ReparsePoint) == 0, x.IsDirectory ? 0 : x.Length), options);
                    foreach (var (path, isDir, length) in children)
                    {
                        e++;
                        b += length;
                        if (isDir && !skipped.Contains(path))
                        {
                            Interlocked.Increment(ref pending);
                            queue.Add(path);
                        }
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                }

                Interlocked.Add(ref entries, e);
                Interlocked.Add(ref bytes, b);
                if (Interlocked.Decrement(ref pending) == 0)
                {
                    queue.CompleteAdding();
                }
            }
        })).ToArray();
        Task.WaitAll(workers);
        return (entries, bytes);
    }
}
