using System.Globalization;
using System.Text;
using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Sources;

namespace Footprint.Measures.Running.Container;

/// <summary>
/// An image's merged filesystem written to a private temporary directory (mode 0700), for the sandbox to run from.
/// The layers are read once each through the source's own layer readers and stacked by <see cref="LayeredFileSystem"/>
/// (the view every analyzer sees: whiteouts, opaque directories, hard links into lower layers); the bytes of each
/// regular file are staged as they stream past, and once the view is complete only what it shows is placed:
/// directories, regular files (hard links kept as hard links), symlinks (targets verbatim: they are only ever
/// followed inside the sandbox, where the root is this directory). Device nodes, FIFOs and sockets are skipped;
/// set-user-ID, set-group-ID and sticky bits are dropped; ownership is not kept (every file belongs to the user
/// running Footprint, whom the sandbox maps to the image's user), nor are extended attributes (file capabilities).
/// <para>
/// Nothing is written outside the directory: names come from the view (normalised, no "..", never through a
/// symlink: a view's symlink has no children), every file is created inside a directory this code made itself
/// with mkdir in this run, files are created with O_EXCL, and each full path is checked to lie under the root.
/// The bytes written are capped by <see cref="ContainerOptions.MaxRootfsBytes"/> (checked against each file's
/// declared size before it is written). <see cref="Dispose"/> deletes the directory on every exit path.
/// </para>
/// </summary>
public sealed class ContainerRootfs : IDisposable
{
    /// <summary>Name prefix of the temporary directory; the owning process id and a random part follow.</summary>
    public const string DirectoryPrefix = "footprint-container-";

    private const int Private = 0x1C0;

    /// <summary>The permission bits kept: set-id and sticky bits (07000) are dropped.</summary>
    private const int PermissionBits = 0x1FF;

    private const int SetIdBits = 0xC00;

    /// <summary>NAME_MAX: a longer name cannot be created on Linux filesystems, so it is skipped (and counted).</summary>
    private const int MaxNameBytes = 255;

    /// <summary>PATH_MAX, counting the terminating NUL: system calls refuse longer paths (the root's own path counts too).</summary>
    private const int MaxPathBytes = 4096;

    /// <summary>Mount points the sandbox needs as directories (bwrap mounts /proc, /dev and a tmpfs /tmp on them).</summary>
    private static readonly string[] MountPoints = ["proc", "dev", "tmp"];

    private bool _disposed;

    private ContainerRootfs(string directory, LayeredFileSystem view)
    {
        Directory = directory;
        View = view;
    }

    /// <summary>The private temporary directory (mode 0700) holding <see cref="Root"/>.</summary>
    public string Directory { get; }

    /// <summary>The materialised root, bound at / in the sandbox.</summary>
    public string Root => Path.Combine(Directory, "rootfs");

    /// <summary>The merged view the root was written from.</summary>
    public LayeredFileSystem View { get; }

    /// <summary>Problems met while reading the layers (the same warnings the measure report gives).</summary>
    public List<FsWarning> Warnings { get; } = [];

    public long RegularFiles { get; private set; }

    public long HardLinkNames { get; private set; }

    public long Directories { get; private set; }

    public long Symlinks { get; private set; }

    /// <summary>Bytes of the regular files placed (each inode once).</summary>
    public long FileBytes { get; private set; }

    /// <summary>Bytes written while staging, including files an upper layer replaced or deleted.</summary>
    public long StagedBytes { get; private set; }

    /// <summary>Device nodes, FIFOs and sockets not created.</summary>
    public long SkippedSpecial { get; private set; }

    /// <summary>Files whose set-user-ID or set-group-ID bit was dropped.</summary>
    public long SetIdDropped { get; private set; }

    /// <summary>Names not placed because they could not be (an unusable name, a parent that is not a directory).</summary>
    public long SkippedNames { get; private set; }

    /// <summary>What was changed to make the root runnable (mount points made or replaced), in words.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Writes the merged filesystem of <paramref name="source"/> under a new private directory.</summary>
    /// <exception cref="ContainerLimitException">The files would exceed <see cref="ContainerOptions.MaxRootfsBytes"/>.</exception>
    /// <exception cref="FootprintFormatException">A layer cannot be read.</exception>
    public static ContainerRootfs Materialise(IArtifactSource source, ContainerOptions options, CancellationToken cancel = default)
    {
        var parent = options.TempParent ?? Path.GetTempPath();
        SweepStale(parent);
        var directory = CreatePrivateDirectory(parent);
        ContainerRootfs? rootfs = null;
        try
        {
            rootfs = new ContainerRootfs(directory, new LayeredFileSystem());
            var stage = Path.Combine(directory, "stage");
            UnixCalls.MakeDirectory(stage, Private);
            var staged = rootfs.Stage(source, stage, options.MaxRootfsBytes, cancel);
            rootfs.Place(staged);
            System.IO.Directory.Delete(stage, recursive: true);
            rootfs.MakeMountPoints();
            return rootfs;
        }
        catch
        {
            if (rootfs is not null)
            {
                rootfs.Dispose();
            }
            else
            {
                DeleteTree(directory);
            }

            throw;
        }
    }

    /// <summary>Reads every layer once, stacking its tree on the view and staging each regular file's bytes.</summary>
    private Dictionary<FileData, string> Stage(IArtifactSource source, string stage, long maxBytes, CancellationToken cancel)
    {
        var staged = new Dictionary<FileData, string>(ReferenceEqualityComparer.Instance);
        var buffer = new byte[1 << 16];
        long next = 0;
        foreach (var layer in source.Layers)
        {
            // The lookup lets a hard link name a file of a lower layer, as the layer is applied over them.
            var tree = new FileTree(layer.Index, layer.Location, source.InterpretWhiteouts, Warnings, View.FindSquashed);
            using var reader = source.OpenLayer(layer, new LayerReadOptions { OnWarning = Warnings.Add });
            while (reader.GetNextEntry() is { } entry)
            {
                cancel.ThrowIfCancellationRequested();
                var node = tree.Add(entry);
                if (entry.Kind != FileKind.Regular || node?.Data is not { } data)
                {
                    continue;
                }

                if (StagedBytes + entry.SizeBytes > maxBytes)
                {
                    throw new ContainerLimitException(
                        $"{layer.Location}: '{ImagePath.Abbreviate(entry.Name)}' ({entry.SizeBytes} bytes) would take the image's files past the limit of {maxBytes} bytes (--max-rootfs-mib)");
                }

                var file = Path.Combine(stage, (next++).ToString(CultureInfo.InvariantCulture));
                using (var output = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                using (var input = reader.OpenData())
                {
                    // The reader bounds the data by the entry's size; the count is checked again so that no reader
                    // that yields more than it declared can carry the total past the cap.
                    int n;
                    long copied = 0;
                    while ((n = input.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        copied += n;
                        if (StagedBytes + copied > maxBytes)
                        {
                            throw new ContainerLimitException($"{layer.Location}: '{ImagePath.Abbreviate(entry.Name)}' takes the image's files past the limit of {maxBytes} bytes (--max-rootfs-mib)");
                        }

                        output.Write(buffer, 0, n);
                    }

                    StagedBytes += copied;
                }

                staged[data] = file;
            }

            reader.Finish();
            View.Apply(tree);
        }

        return staged;
    }

    /// <summary>Creates what the view shows, parents before children (the walk's order).</summary>
    private void Place(Dictionary<FileData, string> staged)
    {
        var root = Root;
        UnixCalls.MakeDirectory(root, DirectoryMode(View.Squashed.Mode));
        var rootPrefix = Path.GetFullPath(root) + "/";
        var made = new HashSet<string>(StringComparer.Ordinal) { string.Empty };
        var placed = new Dictionary<FileData, string>(ReferenceEqualityComparer.Instance);
        foreach (var (path, node) in LayeredFileSystem.Enumerate(View.Squashed))
        {
            if (path.Contains('\0', StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(node.Name) > MaxNameBytes || !made.Contains(ImagePath.Parent(path)))
            {
                // A parent this run did not make (a skipped or non-directory entry): nothing is created through it.
                SkippedNames++;
                continue;
            }

            var full = Path.GetFullPath(Path.Combine(root, path));
            if (!full.StartsWith(rootPrefix, StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(full) >= MaxPathBytes)
            {
                SkippedNames++;
                continue;
            }

            switch (node.Kind)
            {
                case FileKind.Directory:
                    UnixCalls.MakeDirectory(full, DirectoryMode(node.Mode));
                    made.Add(path);
                    Directories++;
                    break;
                case FileKind.Symlink when node.LinkTarget is { Length: > 0 } target && !target.Contains('\0', StringComparison.Ordinal):
                    File.CreateSymbolicLink(full, target);
                    Symlinks++;
                    break;
                case FileKind.Regular when node.Data is { } data:
                    PlaceFile(full, node, data, staged, placed);
                    break;
                case FileKind.CharDevice or FileKind.BlockDevice or FileKind.Fifo or FileKind.Socket:
                    SkippedSpecial++;
                    break;
                default:
                    SkippedNames++;
                    break;
            }
        }
    }

    private void PlaceFile(string full, FsNode node, FileData data, Dictionary<FileData, string> staged, Dictionary<FileData, string> placed)
    {
        if (placed.TryGetValue(data, out var first))
        {
            UnixCalls.HardLink(first, full);
            HardLinkNames++;
            return;
        }

        if (staged.Remove(data, out var file))
        {
            File.Move(file, full);
        }
        else
        {
            // No bytes were read for it (cannot happen for a tar layer); an empty file keeps the name.
            new FileStream(full, FileMode.CreateNew, FileAccess.Write).Dispose();
        }

        if ((node.Mode & SetIdBits) != 0)
        {
            SetIdDropped++;
        }

        UnixCalls.ChangeMode(full, node.Mode & PermissionBits);
        placed[data] = full;
        RegularFiles++;
        FileBytes += data.SizeBytes;
    }

    /// <summary>/proc, /dev and /tmp as directories: bwrap mounts on them, and must never follow a symlink the image put there.</summary>
    private void MakeMountPoints()
    {
        foreach (var name in MountPoints)
        {
            var full = Path.Combine(Root, name);
            var info = new FileInfo(full);
            if (info.LinkTarget is not null || File.Exists(full))
            {
                File.Delete(full);
                Notes.Add($"/{name} was a {(info.LinkTarget is not null ? "symlink" : "file")} in the image: replaced by an empty directory for the sandbox's mount");
            }

            if (!System.IO.Directory.Exists(full))
            {
                UnixCalls.MakeDirectory(full, Private | 0x2D);
            }
        }
    }

    /// <summary>The image's permission bits, plus owner rwx so that this process can always fill and delete it.</summary>
    private static int DirectoryMode(int mode) => (mode & PermissionBits) | Private;

    private static string CreatePrivateDirectory(string parent)
    {
        var path = Path.Combine(Path.GetFullPath(parent), $"{DirectoryPrefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
        if (System.IO.Directory.Exists(path) || File.Exists(path))
        {
            throw new IOException($"{path}: already exists");
        }

        UnixCalls.MakeDirectory(path, Private);
        return path;
    }

    /// <summary>
    /// Deletes directories a killed Footprint (SIGKILL runs no cleanup) left behind: ones with this prefix whose
    /// process id no longer runs. Directories of running processes, and ones this user cannot delete, are left.
    /// </summary>
    private static void SweepStale(string parent)
    {
        try
        {
            foreach (var dir in System.IO.Directory.EnumerateDirectories(parent, DirectoryPrefix + "*"))
            {
                var rest = Path.GetFileName(dir)[DirectoryPrefix.Length..];
                var dash = rest.IndexOf('-', StringComparison.Ordinal);
                if (dash > 0 && int.TryParse(rest.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    && pid != Environment.ProcessId && !System.IO.Directory.Exists($"/proc/{pid}") && new FileInfo(dir).LinkTarget is null)
                {
                    DeleteTree(dir);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover of another run is not this run's problem.
        }
    }

    /// <summary>
    /// Deletes a tree the sandboxed process may have written to (as this user): directories it made unwritable are
    /// made writable first. Symlinks are deleted, never followed.
    /// </summary>
    internal static void DeleteTree(string path)
    {
        if (!System.IO.Directory.Exists(path))
        {
            return;
        }

        try
        {
            System.IO.Directory.Delete(path, recursive: true);
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Retried below once the directories are writable again.
        }

        var pending = new Stack<string>();
        pending.Push(path);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            if (new DirectoryInfo(dir).LinkTarget is not null)
            {
                continue;
            }

            try
            {
                UnixCalls.ChangeMode(dir, Private);
                foreach (var child in System.IO.Directory.EnumerateDirectories(dir))
                {
                    pending.Push(child);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for the final delete to report.
            }
        }

        System.IO.Directory.Delete(path, recursive: true);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        DeleteTree(Directory);
    }
}
