namespace Footprint.FileSystem;

/// <summary>Lazy access to a file's bytes. Captured content is bounded; disk content is opened on demand.</summary>
public interface IFileContent
{
    /// <summary>True when the whole file is available, false when only its first bytes were kept.</summary>
    bool IsComplete { get; }

    Stream Open();
}
