using Footprint.Analyzers;
using Footprint.Analyzers.Files;
using Footprint.Measures.Inventory;

namespace Footprint.Measures.Files;

/// <summary>The file list of `sbom --files`: the collected files with the packages that own them (<see cref="FileListing"/>).</summary>
public sealed class FileListingMeasure : IProducer<FileList>
{
    public string Id => "file-listing";

    public int Version => 1;

    public IReadOnlyList<Type> Consumes => [typeof(CollectedFiles), typeof(Ownership)];

    public bool IsWanted(AnalysisOptions options) => options.ListFiles;

    public FileList? Produce(AnalysisContext context)
        => context.Get<CollectedFiles>() is { } files
            ? new FileList(FileListing.Build(files.Files, context.Get<Ownership>()?.Owners ?? new FileOwners()))
            : null;
}
