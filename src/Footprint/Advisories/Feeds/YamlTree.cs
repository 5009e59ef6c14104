using Footprint.Formats;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Footprint.Advisories.Feeds;

/// <summary>
/// Loads one YAML document into <see cref="YamlFeedNode"/>s from YamlDotNet's event parser, without its object
/// deserializer: no type is chosen by the input, aliases are refused (no feed uses them, and an alias is how a
/// "billion laughs" document grows a few hundred bytes into gigabytes), nesting is capped at
/// <see cref="MaxDepth"/>, and tags are ignored. Every error names the file and the line.
/// </summary>
public static class YamlTree
{
    /// <summary>Deepest nesting accepted; the feeds nest six levels at most.</summary>
    public const int MaxDepth = 64;

    public static YamlFeedNode Load(string text, string file)
    {
        try
        {
            return LoadCore(text, file);
        }
        catch (YamlException e)
        {
            throw new FootprintFormatException(file, null, $"line {e.Start.Line}: YAML: {FeedNode.Clip(e.Message)}");
        }

    }

    private static YamlFeedNode LoadCore(string text, string file)
    {
        var parser = new Parser(new StringReader(text));
        var stack = new Stack<(YamlFeedNode Node, string? PendingKey)>();
        YamlFeedNode? root = null;
        var documents = 0;
        while (Next(parser, file))
        {
            var e = parser.Current!;
            long line = e.Start.Line;
            switch (e)
            {
                case StreamStart or StreamEnd or DocumentEnd:
                    break;
                case DocumentStart:
                    if (++documents > 1)
                    {
                        // A second document: the feeds have one; anything after it is not read as data.
                        if (root is null)
                        {
                            break;
                        }

                        throw new FootprintFormatException(file, null, $"line {line}: a second YAML document; feeds have one");
                    }

                    break;
                case AnchorAlias alias:
                    throw new FootprintFormatException(file, null, $"line {line}: YAML alias *{FeedNode.Clip(alias.Value.Value)} refused (aliases can expand without bound)");
                case Scalar scalar:
                    {
                        if (stack.Count > 0 && stack.Peek().Node.Kind == FeedNodeKind.Mapping && stack.Peek().PendingKey is null)
                        {
                            // A key: plain or quoted text; kept until its value arrives.
                            var top = stack.Pop();
                            stack.Push((top.Node, scalar.Value));
                            break;
                        }

                        var isNull = scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";
                        Attach(stack, ref root, file, line, path => YamlFeedNode.ScalarNode(file, path, line, isNull ? null : scalar.Value));
                        break;
                    }

                case MappingStart:
                    Push(stack, ref root, file, line, path => YamlFeedNode.Mapping(file, path, line));
                    break;
                case SequenceStart:
                    Push(stack, ref root, file, line, path => YamlFeedNode.Sequence(file, path, line));
                    break;
                case MappingEnd or SequenceEnd:
                    stack.Pop();
                    break;
                default:
                    throw new FootprintFormatException(file, null, $"line {line}: unexpected YAML event {e.GetType().Name}");
            }
        }

        return root ?? throw new FootprintFormatException(file, null, "empty YAML document");
    }

    private static bool Next(Parser parser, string file)
    {
        try
        {
            return parser.MoveNext();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet 18 throws these instead of a YamlException on some bad input: InvalidOperationException from
            // the scanner on malformed flow collections ("a: [1, 2\nb: 3"), ArgumentException from TagName on a tag
            // that is not a URI ("!!:::"). Still bad input; only the parser runs in this try, so no bug of ours is hidden.
            throw new FootprintFormatException(file, null, $"YAML: malformed document ({FeedNode.Clip(e.Message)})");
        }
    }

    private static void Push(Stack<(YamlFeedNode Node, string? PendingKey)> stack, ref YamlFeedNode? root, string file, long line, Func<string, YamlFeedNode> make)
    {
        if (stack.Count >= MaxDepth)
        {
            throw new FootprintFormatException(file, null, $"line {line}: YAML nested deeper than {MaxDepth} levels");
        }

        if (stack.Count > 0 && stack.Peek().Node.Kind == FeedNodeKind.Mapping && stack.Peek().PendingKey is null)
        {
            throw new FootprintFormatException(file, null, $"line {line}: a mapping or list used as a mapping key");
        }

        var node = Attach(stack, ref root, file, line, make);
        stack.Push((node, null));
    }

    private static YamlFeedNode Attach(Stack<(YamlFeedNode Node, string? PendingKey)> stack, ref YamlFeedNode? root, string file, long line, Func<string, YamlFeedNode> make)
    {
        if (stack.Count == 0)
        {
            if (root is not null)
            {
                throw new FootprintFormatException(file, null, $"line {line}: more than one root value");
            }

            root = make("$");
            return root;
        }

        var (parent, key) = stack.Pop();
        YamlFeedNode node;
        if (parent.Kind == FeedNodeKind.Mapping)
        {
            node = make(JsonFeedNode.Child(parent.Path, key!));
            parent.Add(key!, node);
            stack.Push((parent, null));
        }
        else
        {
            node = make($"{parent.Path}[{parent.Items().Count()}]");
            parent.Add(node);
            stack.Push((parent, null));
        }

        return node;
    }
}
