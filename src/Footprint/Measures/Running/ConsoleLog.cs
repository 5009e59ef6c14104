using System.Text;

namespace Footprint.Measures.Running;

/// <summary>
/// The guest's console as it arrives: cleaned text (<see cref="ConsoleText"/>), kept up to <see cref="MaxKeptChars"/>
/// (older text is dropped: a chatty guest cannot grow it without bound), with the time of the last change. Written by
/// the reader thread, read by the watcher; all members lock.
/// </summary>
public sealed class ConsoleLog
{
    /// <summary>Text kept: enough for the boot log of a small system and the probe's answer.</summary>
    public const int MaxKeptChars = 256 << 10;

    private readonly object _gate = new();
    private readonly StringBuilder _text = new();
    private readonly System.Diagnostics.Stopwatch _clock;
    private byte[] _pendingEscape = [];

    public ConsoleLog(System.Diagnostics.Stopwatch clock) => _clock = clock;

    /// <summary>Seconds since the boot started at which the console last changed; null before any output.</summary>
    public double? LastChangeSeconds { get; private set; }

    /// <summary>Characters ever appended (grows while text is dropped at the front).</summary>
    public long Appended { get; private set; }

    public void Append(ReadOnlySpan<byte> chunk)
    {
        lock (_gate)
        {
            // An escape sequence split between two reads would leave its tail as text: hold back a trailing ESC run.
            var bytes = _pendingEscape.Length == 0 ? chunk.ToArray() : [.. _pendingEscape, .. chunk];
            var esc = Array.LastIndexOf(bytes, (byte)0x1b);
            if (esc >= 0 && bytes.Length - esc < 16 && !HasFinal(bytes.AsSpan(esc)))
            {
                _pendingEscape = bytes[esc..];
                bytes = bytes[..esc];
            }
            else
            {
                _pendingEscape = [];
            }

            var text = ConsoleText.Clean(bytes);
            Add(text);
        }
    }

    /// <summary>Replaces the whole text (the VGA route reads a screen, not a stream).</summary>
    public void ReplaceScreen(string screen)
    {
        lock (_gate)
        {
            if (_text.ToString() == screen)
            {
                return;
            }

            _text.Clear();
            Add(screen);
        }
    }

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }

    /// <summary>The last <paramref name="count"/> non-empty lines.</summary>
    public IReadOnlyList<string> LastLines(int count)
    {
        var lines = Text.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        return lines.Skip(Math.Max(0, lines.Count - count)).ToList();
    }

    private void Add(string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        _text.Append(text);
        Appended += text.Length;
        if (_text.Length > MaxKeptChars)
        {
            _text.Remove(0, _text.Length - MaxKeptChars);
        }

        LastChangeSeconds = _clock.Elapsed.TotalSeconds;
    }

    private static bool HasFinal(ReadOnlySpan<byte> escape)
    {
        if (escape.Length < 2)
        {
            return false;
        }

        if (escape[1] != '[')
        {
            return true;
        }

        foreach (var b in escape[2..])
        {
            if (b is >= 0x40 and <= 0x7e)
            {
                return true;
            }
        }

        return false;
    }
}
