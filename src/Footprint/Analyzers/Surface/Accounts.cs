using System.Globalization;
using Footprint.Walk;

namespace Footprint.Analyzers.Surface;

/// <summary>
/// etc/passwd, etc/shadow and etc/group (passwd(5), shadow(5), group(5)): colon-separated lines. Malformed lines are
/// skipped, never fatal: the files come from an untrusted artifact.
/// </summary>
public static class Accounts
{
    /// <summary>Shells that refuse a login: an account whose shell ends with one of these has no login shell.</summary>
    private static readonly string[] NoLoginShells = ["nologin", "false", "/bin/sync", "/usr/bin/sync"];

    public static AccountsReport Read(string? passwd, string? shadow, string? group, IReadOnlyList<Evidence> evidence, IReadOnlyDictionary<string, int?> layers)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var fields in Lines(shadow, 2))
        {
            hashes.TryAdd(fields[0], fields[1]);
        }

        var users = new List<AccountReport>();
        var findings = new List<SurfaceItem>();
        layers.TryGetValue("etc/passwd", out var passwdLayer);
        layers.TryGetValue("etc/shadow", out var shadowLayer);
        foreach (var f in Lines(passwd, 7))
        {
            if (!long.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                || !long.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
            {
                continue;
            }

            var shell = f[6];
            var login = !NoLoginShells.Any(s => shell.EndsWith(s, StringComparison.Ordinal));
            var password = Password(f[1], shadow is null ? null : hashes.TryGetValue(f[0], out var h) ? h : null, shadow is not null);
            users.Add(new AccountReport(f[0], uid, gid, f[5], shell, login, password));
            if (uid == 0 && f[0] != "root")
            {
                findings.Add(new SurfaceItem(f[0], "/etc/passwd", passwdLayer, "uid 0 but not root: a second superuser"));
            }

            if (password == "empty")
            {
                findings.Add(new SurfaceItem(f[0], f[1].Length == 0 ? "/etc/passwd" : "/etc/shadow", f[1].Length == 0 ? passwdLayer : shadowLayer,
                    "empty password field: " + (login ? "login without a password" : "no password, though the shell refuses logins")));
            }
            else if (password == "missing")
            {
                findings.Add(new SurfaceItem(f[0], "/etc/shadow", shadowLayer, "passwd says the hash is in shadow (x) but shadow has no line for it"));
            }
        }

        return new AccountsReport { Users = users, Groups = Lines(group, 3).Count(), Findings = findings, Evidence = evidence };
    }

    /// <summary>set, empty, locked ("!..."), disabled ("*", no password login), missing, unknown.</summary>
    private static string Password(string passwdField, string? shadowField, bool haveShadow)
    {
        var field = passwdField;
        if (passwdField == "x")
        {
            if (!haveShadow)
            {
                return "unknown";
            }

            if (shadowField is null)
            {
                return "missing";
            }

            field = shadowField;
        }

        return field switch
        {
            "" => "empty",
            _ when field.StartsWith('!') => "locked",
            _ when field.StartsWith('*') => "disabled",
            _ => "set",
        };
    }

    private static IEnumerable<string[]> Lines(string? text, int minFields)
    {
        if (text is null)
        {
            yield break;
        }

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split(':');
            if (fields.Length >= minFields && fields[0].Length > 0)
            {
                yield return fields;
            }
        }
    }
}
