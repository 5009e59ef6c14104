using System.Text;
using Footprint.Advisories.Versions;

namespace Footprint.Fuzz;

/// <summary>
/// Version comparison in every ecosystem: the input is two strings separated by the first newline (UTF-8, invalid
/// bytes replaced). Every comparer must give -1, 0 or 1 without throwing, order a string equal to itself
/// (reflexivity) and give opposite answers when the arguments swap (antisymmetry), for valid and invalid versions
/// alike; the validity check must not throw either.
/// </summary>
internal static class VersionTarget
{
    private static readonly IVersionComparer[] Comparers =
    [
        ApkVersionComparer.Apk2_10, ApkVersionComparer.Apk2_14, ApkVersionComparer.Apk3,
        DpkgVersionComparer.Dpkg, DpkgVersionComparer.Opkg, RpmVersionComparer.Instance, RpmVersionComparer.MissingReleaseFirst,
    ];

    internal static void Fuzz(byte[] input)
    {
        int newline = Array.IndexOf(input, (byte)'\n');
        string a = Encoding.UTF8.GetString(input, 0, newline < 0 ? input.Length : newline);
        string b = newline < 0 ? string.Empty : Encoding.UTF8.GetString(input, newline + 1, input.Length - newline - 1);
        foreach (var comparer in Comparers)
        {
            Check(comparer, a, b, comparer.Compare);
            if (comparer is ApkVersionComparer apk)
            {
                // Fuzzy matching is not symmetric by design (3.6.9 ~ 3.6 but not 3.6 ~ 3.6.9): reflexive and in range only.
                Reflexive(comparer, a, apk.CompareFuzzy);
                _ = InRange(comparer, apk.CompareFuzzy(a, b));
            }

            _ = comparer.Problem(a);
            _ = comparer.IsValid(b);
        }
    }

    private static void Check(IVersionComparer comparer, string a, string b, Func<string, string, int> compare)
    {
        Reflexive(comparer, a, compare);
        Reflexive(comparer, b, compare);
        int ab = InRange(comparer, compare(a, b));
        int ba = InRange(comparer, compare(b, a));
        if (ab != -ba)
        {
            throw new InvalidOperationException($"{Name(comparer)}: not antisymmetric: '{a}' vs '{b}' is {ab}, reversed {ba}");
        }
    }

    private static void Reflexive(IVersionComparer comparer, string a, Func<string, string, int> compare)
    {
        // A copy, so no comparer can shortcut on reference equality.
        if (compare(a, new string(a.AsSpan())) != 0)
        {
            throw new InvalidOperationException($"{Name(comparer)}: '{a}' is not equal to itself");
        }
    }

    private static int InRange(IVersionComparer comparer, int order)
        => order is -1 or 0 or 1 ? order : throw new InvalidOperationException($"{Name(comparer)}: returned {order}");

    private static string Name(IVersionComparer comparer) => comparer is ApkVersionComparer apk ? $"apk {apk.Dialect}" : comparer.Ecosystem.ToString();
}
