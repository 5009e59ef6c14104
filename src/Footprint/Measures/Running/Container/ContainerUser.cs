using System.Globalization;
using Footprint.FileSystem;

namespace Footprint.Measures.Running.Container;

/// <summary>
/// The uid and gid the entrypoint runs as, from the config's User ("", "name", "uid", "name:group", "uid:gid"), the way
/// docker reads it: an empty User is root (inside the sandbox's user namespace, with every capability dropped: it
/// has no power outside); a number is taken as it is; a name is looked up in the image's /etc/passwd (/etc/group for a
/// group name). A name the image does not know runs as 65534 (nobody), and the report says so.
/// </summary>
internal static class ContainerUser
{
    public const int Nobody = 65534;

    /// <summary>Bytes of /etc/passwd or /etc/group read at most.</summary>
    public const int MaxAccountFileBytes = 1 << 20;

    public readonly record struct Resolved(int Uid, int Gid, string Home, string Source);

    /// <summary>Resolves <paramref name="user"/> against the image's account files in the materialised root.</summary>
    public static Resolved Resolve(string? user, ContainerRootfs rootfs)
        => Resolve(user, Text(rootfs, "etc/passwd"), Text(rootfs, "etc/group"));

    /// <summary>
    /// Resolves <paramref name="user"/> against the text of /etc/passwd and /etc/group (null: the file is missing).
    /// Pure: the fuzz target `container-user` runs it on arbitrary text.
    /// </summary>
    public static Resolved Resolve(string? user, string? passwdText, string? groupText)
    {
        var passwd = Entries(passwdText);
        var spec = (user ?? string.Empty).Trim();
        if (spec.Length == 0)
        {
            return new Resolved(0, 0, Home(passwd, 0) ?? "/root", "image User empty: root, as docker runs it (root of the sandbox's user namespace, no capabilities)");
        }

        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? spec : spec[..colon];
        var group = colon < 0 ? null : spec[(colon + 1)..];
        int uid;
        int? gid = null;
        string? home = null;
        string how;
        if (Id(name) is { } numeric)
        {
            uid = numeric;
            var entry = passwd.FirstOrDefault(e => e.Length >= 4 && Id(e[2]) == numeric);
            gid = entry is null ? null : Id(entry[3]);
            home = entry is { Length: >= 6 } ? entry[5] : null;
            how = "numeric";
        }
        else if (passwd.FirstOrDefault(e => e.Length >= 4 && e[0] == name && Id(e[2]) is not null) is { } entry)
        {
            uid = Id(entry[2])!.Value;
            gid = Id(entry[3]);
            home = entry.Length >= 6 ? entry[5] : null;
            how = "/etc/passwd";
        }
        else
        {
            return new Resolved(Nobody, Nobody, "/", $"image User '{spec}': not in the image's /etc/passwd, run as {Nobody} (nobody)");
        }

        if (group is { Length: > 0 })
        {
            if (Id(group) is { } g)
            {
                gid = g;
            }
            else if (Entries(groupText).FirstOrDefault(e => e.Length >= 3 && e[0] == group && Id(e[2]) is not null) is { } ge)
            {
                gid = Id(ge[2]);
            }
            else
            {
                return new Resolved(uid, Nobody, HomeOrRoot(home), $"image User '{spec}': uid {uid} ({how}); group '{group}' not in the image's /etc/group, run as {Nobody}");
            }
        }

        return new Resolved(uid, gid ?? 0, HomeOrRoot(home), $"image User '{spec}': uid {uid} ({how}), gid {gid ?? 0}");
    }

    /// <summary>The passwd home, or / when it has none (an empty field included: HOME must name a directory).</summary>
    private static string HomeOrRoot(string? home) => home is { Length: > 0 } ? home : "/";

    private static string? Home(List<string[]> passwd, int uid)
        => passwd.FirstOrDefault(e => e.Length >= 6 && Id(e[2]) == uid) is { } e && e[5].Length > 0 ? e[5] : null;

    /// <summary>A uid or gid as bwrap takes it (0 to 2^31-1), or null when the text is not one.</summary>
    private static int? Id(string text)
        => text.Length is > 0 and <= 10 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>The colon-separated lines of an account file's text (none when it is missing).</summary>
    private static List<string[]> Entries(string? text)
        => text is null ? [] : text.Split('\n').Select(l => l.Split(':')).ToList();

    /// <summary>An account file of the view, read from the materialised root (at most <see cref="MaxAccountFileBytes"/>), or null.</summary>
    private static string? Text(ContainerRootfs rootfs, string path)
    {
        if (rootfs.View.TryResolve(path, followFinal: true, out var resolved) is not { Kind: Formats.FileKind.Regular })
        {
            return null;
        }

        try
        {
            using var file = File.OpenRead(Path.Combine(rootfs.Root, resolved));
            var buffer = new byte[(int)Math.Min(file.Length, MaxAccountFileBytes)];
            var n = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, n);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
