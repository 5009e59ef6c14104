using Footprint.FileSystem;

namespace Footprint.Analyzers.Binaries;

/// <summary>One BusyBox binary (an inode) and every path that names it.</summary>
internal sealed class BusyBoxFind(string version, string machine, FileData data)
{
    public string Version { get; } = version;

    public string Machine { get; } = machine;

    public FileData Data { get; } = data;

    /// <summary>The paths of the inode itself: the binary and its hard-linked applets.</summary>
    public List<string> Paths { get; } = [];

    public List<string> SymlinkApplets { get; } = [];
}
