using System.Globalization;
using System.Text;
using Footprint.Measures.Running.Container;

namespace Footprint.Fuzz;

/// <summary>
/// A container config's User with the image's /etc/passwd and /etc/group, as `boot IMAGE` resolves who runs the
/// entrypoint. Input: UTF-8 text cut at NUL bytes into User, passwd and group (a missing part is a missing file), each
/// file at most <see cref="ContainerUser.MaxAccountFileBytes"/> as the reader bounds it. Never throws, and what it
/// resolves is something bwrap can take: ids in 0..2^31-1, a home; an empty User is root, a numeric one is that uid.
/// </summary>
internal static class ContainerUserTarget
{
    internal static void Fuzz(byte[] input)
    {
        var parts = Encoding.UTF8.GetString(input).Split('\0', 3);
        string? Part(int i) => i < parts.Length ? parts[i][..Math.Min(parts[i].Length, ContainerUser.MaxAccountFileBytes)] : null;
        var user = parts[0];
        var resolved = ContainerUser.Resolve(user, Part(1), Part(2));
        if (resolved.Uid < 0 || resolved.Gid < 0 || string.IsNullOrEmpty(resolved.Home) || string.IsNullOrEmpty(resolved.Source))
        {
            throw new InvalidOperationException($"unusable resolution {resolved}");
        }

        var spec = user.Trim();
        if (spec.Length == 0 && (resolved.Uid, resolved.Gid) != (0, 0))
        {
            throw new InvalidOperationException($"empty User resolved to {resolved.Uid}:{resolved.Gid}");
        }

        var name = spec.Split(':', 2)[0];
        if (name.Length is > 0 and <= 10 && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var uid) && resolved.Uid != uid)
        {
            throw new InvalidOperationException($"numeric User {name} resolved to uid {resolved.Uid}");
        }
    }
}
