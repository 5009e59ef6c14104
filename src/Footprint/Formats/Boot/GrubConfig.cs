using System.Text.RegularExpressions;

namespace Footprint.Formats.Boot;

/// <summary>
/// Reads GRUB 2 configurations (GRUB manual, "Shell-like scripting", "menuentry", "submenu", "default"): every
/// <c>menuentry</c> block with its <c>linux</c>/<c>linux16</c>/<c>linuxefi</c> kernel and command line and the
/// <c>initrd</c>/<c>initrd16</c>/<c>initrdefi</c> files (several per line, loaded in order); <c>submenu</c> blocks nest
/// entries. The default is the last top-level <c>set default=</c> (or <c>default=</c>): an index, counting menu entries
/// and submenus from 0, with <c>&gt;</c> stepping into a submenu ("1&gt;2"), or a title or <c>--id</c>; GRUB boots entry 0
/// when there is none or it names nothing. Nothing is evaluated: a default held in a variable (<c>${saved_entry}</c>)
/// falls back to entry 0 and says so; <c>if</c> branches are all read (their entries are counted).
/// </summary>
public static partial class GrubConfig
{
    /// <summary>Menuentry options that take an argument (grub-core/commands/menuentry.c).</summary>
    private static readonly string[] OptionsWithArgument = ["--class", "--users", "--hotkey", "--source"];

    /// <exception cref="FootprintFormatException">Unterminated quotes or braces, a stray '}', nesting or sizes over <see cref="BootConfigLimits"/>.</exception>
    public static BootMenu Parse(string configPath, string text)
    {
        var parser = new Parser(configPath, GrubLexer.Tokens(configPath, text));
        var items = parser.Block(0, null);
        var entries = new List<BootMenuEntry>();
        Flatten(items, entries);
        var (chosen, reason) = ChooseDefault(items, parser.Default);
        if (chosen is Item { Kernel: null } noKernel)
        {
            return new BootMenu(configPath, "grub", entries, null, $"{reason}: \"{noKernel.Title}\" loads no Linux kernel");
        }

        return new BootMenu(configPath, "grub", entries, chosen is null ? null : ToEntry(chosen), reason);
    }

    private static void Flatten(List<Item> items, List<BootMenuEntry> into)
    {
        foreach (var item in items)
        {
            if (item.Children is { } children)
            {
                Flatten(children, into);
            }
            else if (item.Kernel is not null)
            {
                into.Add(ToEntry(item));
            }
        }
    }

    private static BootMenuEntry ToEntry(Item item) => new(item.Title, item.Kernel!, item.Initrds, item.Append);

    private static (Item? Chosen, string Reason) ChooseDefault(List<Item> items, string? value)
    {
        if (items.Count == 0)
        {
            return (null, "no menuentry");
        }

        if (value is null)
        {
            return (First(items), "the first menuentry (no set default)");
        }

        if (value.Contains('$', StringComparison.Ordinal))
        {
            return (First(items), $"the first menuentry (default={value} is a variable, not evaluated)");
        }

        var found = Find(items, value);
        return found is null ? (First(items), $"the first menuentry (default={value} names no entry)") : (found, $"default={value}");
    }

    private static Item? First(List<Item> items) => items[0].Children is null ? items[0] : null;

    private static Item? Find(List<Item> items, string value)
    {
        var level = items;
        Item? found = null;
        foreach (var step in value.Split('>'))
        {
            if (level is null)
            {
                return null;
            }

            found = IndexPattern().IsMatch(step)
                ? (int.TryParse(step, out var i) && i < level.Count ? level[i] : null)
                : level.FirstOrDefault(x => x.Title == step || x.Id == step);
            if (found is null)
            {
                return null;
            }

            level = found.Children!;
        }

        return found?.Children is null ? found : null;
    }

    [GeneratedRegex("^[0-9]{1,9}$")]
    private static partial Regex IndexPattern();

    private sealed class Item
    {
        public string? Title { get; init; }

        public string? Id { get; init; }

        public List<Item>? Children { get; init; }

        public string? Kernel { get; set; }

        public string Append { get; set; } = "";

        public List<string> Initrds { get; } = [];
    }

    private sealed class Parser(string file, List<GrubToken> tokens)
    {
        private int _next;
        private int _items;

        public string? Default { get; private set; }

        /// <summary>Reads commands up to the matching '}' (or the end at depth 0); returns the menu items met.</summary>
        public List<Item> Block(int depth, Item? entry)
        {
            if (depth > BootConfigLimits.MaxGrubDepth)
            {
                throw new FootprintFormatException(file, tokens[_next - 1].Offset, $"blocks nested deeper than {BootConfigLimits.MaxGrubDepth}");
            }

            var open = _next > 0 ? tokens[_next - 1].Offset : 0;
            var items = new List<Item>();
            var words = new List<string>();
            while (_next < tokens.Count)
            {
                var t = tokens[_next++];
                switch (t.Kind)
                {
                    case GrubTokenKind.Word:
                        words.Add(t.Text);
                        break;
                    case GrubTokenKind.Separator:
                        Command(words, entry);
                        words.Clear();
                        break;
                    case GrubTokenKind.Open:
                        OpenBlock(words, items, entry, depth, t.Offset);
                        words.Clear();
                        break;
                    case GrubTokenKind.Close:
                        Command(words, entry);
                        if (depth == 0)
                        {
                            throw new FootprintFormatException(file, t.Offset, "'}' without a matching '{'");
                        }

                        return items;
                }
            }

            Command(words, entry);
            if (depth > 0)
            {
                throw new FootprintFormatException(file, open, "unterminated '{' (no matching '}')");
            }

            return items;
        }

        private void OpenBlock(List<string> words, List<Item> items, Item? entry, int depth, int offset)
        {
            var keyword = words.Count > 0 ? words[0] : "";
            if (keyword is "menuentry" or "submenu" && ++_items > BootConfigLimits.MaxEntries)
            {
                throw new FootprintFormatException(file, offset, $"more than {BootConfigLimits.MaxEntries} menu entries");
            }

            var (title, id) = keyword is "menuentry" or "submenu" ? TitleAndId(words) : (null, null);
            switch (keyword)
            {
                case "menuentry":
                    var item = new Item { Title = title, Id = id };
                    items.Add(item);
                    _ = Block(depth + 1, item);
                    break;
                case "submenu":
                    var sub = new Item { Title = title, Id = id, Children = [] };
                    items.Add(sub);
                    sub.Children.AddRange(Block(depth + 1, null));
                    break;
                default:
                    // function bodies, "if ...; then {" style groupings: read through; entries inside still count.
                    items.AddRange(Block(depth + 1, entry));
                    break;
            }
        }

        private static (string? Title, string? Id) TitleAndId(List<string> words)
        {
            string? title = null;
            string? id = null;
            for (var i = 1; i < words.Count; i++)
            {
                var w = words[i];
                if (w is "--id" or "$menuentry_id_option" or "${menuentry_id_option}")
                {
                    id = i + 1 < words.Count ? words[++i] : null;
                }
                else if (w.StartsWith("--id=", StringComparison.Ordinal))
                {
                    id = w[5..];
                }
                else if (OptionsWithArgument.Contains(w))
                {
                    i++;
                }
                else if (!w.StartsWith("--", StringComparison.Ordinal))
                {
                    title ??= w;
                }
            }

            return (title, id);
        }

        private void Command(List<string> words, Item? entry)
        {
            if (words.Count == 0)
            {
                return;
            }

            var command = words[0];
            if (entry is null)
            {
                // "set default=2", "default=2"; inside a function or if-branch too (GRUB's own 00_header does that).
                var assignment = command == "set" && words.Count > 1 ? words[1] : command;
                if (assignment.StartsWith("default=", StringComparison.Ordinal))
                {
                    Default = assignment[8..];
                }

                return;
            }

            if (command is "linux" or "linux16" or "linuxefi" && words.Count > 1)
            {
                entry.Kernel = BootPaths.Resolve("", words[1]);
                entry.Append = string.Join(' ', words.Skip(2));
            }
            else if (command is "initrd" or "initrd16" or "initrdefi")
            {
                entry.Initrds.Clear();
                entry.Initrds.AddRange(words.Skip(1).Select(w => BootPaths.Resolve("", w)).Where(w => w.Length > 0));
            }
        }
    }
}
