using Footprint.FileSystem;
using Footprint.Walk;

namespace Footprint.Analyzers.Files;

/// <summary>Every regular file of the squashed view, in walk order, for `sbom --files` (asks for no content: the loader hashes).</summary>
public sealed class FileListCollector : IAnalyzer, IProducer<CollectedFiles>
{
    public List<(string Path, FileData Data)> Files { get; } = [];

    public string Id => "file-list";

    public int Version => 1;

    public bool IsWanted(AnalysisOptions options) => options.ListFiles;

    public CollectedFiles Produce(AnalysisContext context) => new(Files);

    public ContentNeed Required(string path, FsNode node) => ContentNeed.None;

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        if (node.Kind == Formats.FileKind.Regular && node.Data is { } data)
        {
            Files.Add((path, data));
        }
    }
}
