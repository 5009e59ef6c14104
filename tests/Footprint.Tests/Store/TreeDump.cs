using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Footprint.FileSystem;

namespace Footprint.Tests.Store;

/// <summary>
/// Everything a layer tree holds, as text: every node's metadata in child order, which nodes share file data (hard
/// links), each file's sizes, offset, link count, digests, captured content (SHA-256, length, completeness) and ELF
/// facts; the whiteouts, opaque directories and entry count. Two trees with the same dump are the same to every reader.
/// </summary>
internal static class TreeDump
{
    public static string Of(FileTree tree)
    {
        var text = new StringBuilder();
        text.AppendLine($"layer {tree.LayerIndex} source {tree.Source} entries {tree.EntryCount} implicit-root {tree.RootIsImplicit}");
        text.AppendLine($"whiteouts {string.Join('|', tree.Whiteouts)}");
        text.AppendLine($"opaque {string.Join('|', tree.OpaqueDirectories)}");
        var ids = new Dictionary<FileData, int>(ReferenceEqualityComparer.Instance);
        Node(text, tree.Root, string.Empty, ids);
        return text.ToString();
    }

    private static void Node(StringBuilder text, FsNode node, string path, Dictionary<FileData, int> ids)
    {
        text.Append($"{path} {node.Kind} {node.Mode} {node.Uid}:{node.Gid} {node.ModificationTime:O} L{node.LayerIndex} implicit={node.Implicit} -> {node.LinkTarget}");
        foreach (var (key, value) in node.Xattrs)
        {
            text.Append($" xattr {key}={Convert.ToHexString(value)}");
        }

        if (node.Data is { } data)
        {
            if (!ids.TryGetValue(data, out var id))
            {
                id = ids.Count;
                ids[data] = id;
            }

            text.Append($" data#{id} {data.SizeBytes}/{data.DataBytes} L{data.LayerIndex} @{data.Offset} links={data.LinkCount} {data.Digests?.Sha1}/{data.Digests?.Sha256}");
            if (data.Content is CapturedContent captured)
            {
                text.Append($" content {captured.Bytes.Length} complete={captured.IsComplete} {Convert.ToHexStringLower(SHA256.HashData(captured.Bytes.Span))}");
            }

            if (data.Inspected)
            {
                text.Append(" elf ").Append(data.GetElf() is { } elf ? JsonSerializer.Serialize(elf, ElfJsonContext.Default.ElfSummary) : "none");
            }
        }

        text.AppendLine();
        foreach (var child in node.ChildNodes)
        {
            Node(text, child, path + "/" + child.Name, ids);
        }
    }
}
