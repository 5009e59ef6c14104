using System.Globalization;
using System.Text;
using Footprint.Measures.Running.Container;

namespace Footprint.Cli.Rendering;

/// <summary>`footprint boot IMAGE`'s table for a container image: what ran and how, the outcome, each process and the totals.</summary>
internal static class ContainerTable
{
    public static string Render(string artifact, ContainerReport r)
    {
        var s = new StringBuilder();
        void Row(string name, string? value)
        {
            if (value is not null)
            {
                s.Append(CultureInfo.InvariantCulture, $"{name,-16}{TerminalText.Escape(value)}\n");
            }
        }

        Row("artifact", $"{artifact} ({r.ImageKind})");
        Row("plan", "container: " + r.Method);
        Row("command", r.Command.Count == 0 ? "(none)" : string.Join(' ', r.Command.Select(Quote)));
        Row("executable", r.Executable is null ? null : $"{r.Executable}: {r.ExecutableKind}");
        Row("user", r.Uid is null ? null : $"{r.Uid}:{r.Gid} ({r.UserSource})");
        Row("working dir", r.WorkingDir);
        if (r.Rootfs is { } fs)
        {
            Row("rootfs", $"{fs.RegularFiles} files ({Mib(fs.FileBytes / 1024)}), {fs.HardLinks} hard links, {fs.Directories} directories, {fs.Symlinks} symlinks; "
                + $"skipped {fs.SkippedSpecial} device/fifo/socket, set-id bits dropped on {fs.SetIdDropped}; cap {Mib(fs.MaxBytes / 1024)}");
        }

        Row("outcome", r.Outcome);
        Row("reason", r.Message);
        if (r.Total is { } t)
        {
            Row("idle PSS", $"{Mib(t.PssKiB)} (anon {Mib(t.PssAnonKiB)}, file {Mib(t.PssFileKiB)}, shmem {Mib(t.PssShmemKiB)}) over {r.Processes.Count} process{(r.Processes.Count == 1 ? "" : "es")} after {r.ElapsedSeconds:0.0} s");
            Row("idle RSS", $"{Mib(t.RssKiB)} (private {Mib(t.PrivateCleanKiB + t.PrivateDirtyKiB)}, shared {Mib(t.SharedCleanKiB + t.SharedDirtyKiB)}, swap {Mib(t.SwapKiB)})");
            s.Append(CultureInfo.InvariantCulture, $"  {"pid",8} {"ns pid",7} {"PSS KiB",9} {"RSS KiB",9}  comm\n");
            foreach (var p in r.Processes)
            {
                s.Append(CultureInfo.InvariantCulture, $"  {p.Pid,8} {p.NsPid,7} {p.Memory.PssKiB,9} {p.Memory.RssKiB,9}  {TerminalText.Escape(p.Comm)}\n");
            }
        }

        foreach (var note in r.Notes)
        {
            Row("note", note);
        }

        if (!r.Running && r.LastOutputLines.Count > 0)
        {
            s.Append("last output lines:\n");
            foreach (var line in r.LastOutputLines)
            {
                s.Append("  ").Append(TerminalText.Escape(line)).Append('\n');
            }
        }

        return s.ToString();
    }

    private static string Quote(string arg) => arg.Length > 0 && !arg.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"') ? arg : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Mib(long kib) => (kib / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
