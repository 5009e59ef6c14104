using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Walk;

namespace Footprint.Analyzers.Installed;

/// <summary>
/// The installed footprint of the squashed view: apparent and on-disk bytes, counts, top
/// directories and largest files. Hard links are counted once (the first name in path order owns the bytes).
/// </summary>
public sealed class InstalledFootprintAnalyzer(int largestFiles = 10) : IAnalyzer, IProducer<InstalledReport>
{
    private readonly HashSet<FileData> _seen = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, (long Apparent, long OnDisk, long Files)> _top = new(StringComparer.Ordinal);
    private readonly PriorityQueue<FileUsage, (long, string)> _largest = new(Comparer<(long Bytes, string Path)>.Create(
        (a, b) => a.Bytes != b.Bytes ? a.Bytes.CompareTo(b.Bytes) : string.CompareOrdinal(b.Path, a.Path)));

    private long _apparent;
    private long _onDisk;
    private long _files;
    private long _dirs;
    private long _symlinks;
    private long _hardLinks;
    private long _devices;
    private long _other;

    public string Id => "installed-footprint";

    public int Version => 1;

    public bool IsCore => true;

    public InstalledReport Produce(AnalysisContext context) => Result(context.View, context.Source.Layers);

    public ContentNeed Required(string path, FsNode node) => ContentNeed.None;

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        long apparent = 0;
        long files = 0;
        var first = true;
        switch (node.Kind)
        {
            case FileKind.Regular:
                // Only data with several names needs remembering: that keeps this set small on a host with millions of files.
                first = node.Data is not { LinkCount: > 1 } || _seen.Add(node.Data);
                if (first)
                {
                    apparent = node.SizeBytes;
                    files = 1;
                    _files++;
                    Track(path, node);
                }
                else
                {
                    _hardLinks++;
                }

                break;
            case FileKind.Directory:
                _dirs++;
                break;
            case FileKind.Symlink:
                _symlinks++;
                break;
            case FileKind.CharDevice or FileKind.BlockDevice:
                _devices++;
                break;
            default:
                _other++;
                break;
        }

        var onDisk = DiskUsageModel.NodeBytes(node, countData: first);
        _apparent += apparent;
        _onDisk += onDisk;
        var slash = path.IndexOf('/');
        var top = slash < 0 ? (node.Kind == FileKind.Directory ? path : "(root files)") : path[..slash];
        _top.TryGetValue(top, out var t);
        _top[top] = (t.Apparent + apparent, t.OnDisk + onDisk, t.Files + files);
    }

    /// <summary>The figures, with the per-layer changes taken from the layered filesystem.</summary>
    public InstalledReport Result(IFileSystemView view, IReadOnlyList<Sources.LayerDescriptor> descriptors)
    {
        // The root directory itself is not visited by the walk.
        var onDisk = _onDisk + DiskUsageModel.DirectoryBytes(view.Root);
        var layers = view is LayeredFileSystem fs ? LayerUsages(fs, descriptors) :
        [
            new LayerUsage { Index = 0, Entries = _files + _hardLinks + _dirs + _symlinks + _devices + _other, StoredBytes = _apparent, StoredFiles = _files, AddedBytes = _apparent, AddedFiles = _files },
        ];
        var stored = layers.Sum(l => l.StoredBytes);
        var wasted = layers.Sum(l => l.WastedBytes);
        var largest = new List<FileUsage>();
        while (_largest.Count > 0)
        {
            largest.Add(_largest.Dequeue());
        }

        largest.Reverse();
        return new InstalledReport
        {
            ApparentBytes = _apparent,
            OnDiskBytes = onDisk,
            BlockSizeBytes = DiskUsageModel.BlockSizeBytes,
            Files = _files,
            Directories = _dirs,
            Symlinks = _symlinks,
            HardLinks = _hardLinks,
            Devices = _devices,
            Other = _other,
            TopDirectories = _top.Select(kv => new DirectoryUsage("/" + kv.Key, kv.Value.Apparent, kv.Value.OnDisk, kv.Value.Files))
                .OrderByDescending(d => d.ApparentBytes).ThenBy(d => d.Path, StringComparer.Ordinal).ToList(),
            LargestFiles = largest,
            Layers = layers,
            WastedBytes = wasted,
            Efficiency = stored == 0 ? 1.0 : Math.Round((double)(stored - wasted) / stored, 6),
        };
    }

    private static List<LayerUsage> LayerUsages(LayeredFileSystem fs, IReadOnlyList<Sources.LayerDescriptor> descriptors)
        => fs.Changes.Select((c, i) => new LayerUsage
        {
            Index = c.LayerIndex,
            Digest = i < descriptors.Count ? descriptors[i].Digest : null,
            Entries = fs.Layers[i].EntryCount,
            StoredBytes = c.StoredBytes,
            StoredFiles = c.StoredFiles,
            AddedBytes = c.AddedBytes,
            AddedFiles = c.AddedFiles,
            ModifiedBytes = c.ModifiedBytes,
            ModifiedFiles = c.ModifiedFiles,
            RemovedBytes = c.RemovedBytes,
            RemovedFiles = c.RemovedFiles,
            WastedBytes = c.WastedBytes,
            WastedFiles = c.WastedFiles,
            Whiteouts = fs.Layers[i].Whiteouts.Count,
            OpaqueDirectories = fs.Layers[i].OpaqueDirectories.Count,
        }).ToList();

    private void Track(string path, FsNode node)
    {
        if (largestFiles <= 0)
        {
            return;
        }

        // Most files are smaller than the smallest kept: decided on the size alone, before any string is made for them.
        if (_largest.Count >= largestFiles && _largest.TryPeek(out _, out var smallest) && node.SizeBytes < smallest.Item1)
        {
            return;
        }

        var usage = new FileUsage("/" + path, node.SizeBytes, node.Data?.LayerIndex ?? node.LayerIndex);
        var key = (node.SizeBytes, usage.Path);
        if (_largest.Count < largestFiles)
        {
            _largest.Enqueue(usage, key);
        }
        else
        {
            _largest.EnqueueDequeue(usage, key);
        }
    }
}
