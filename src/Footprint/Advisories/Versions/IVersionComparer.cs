namespace Footprint.Advisories.Versions;

/// <summary>
/// The version order of one package ecosystem, exactly as its package manager computes it. <see cref="Compare"/> is
/// total (it orders any two strings, as the real tools do, even invalid ones); whether a string is a well-formed
/// version of the ecosystem is a separate question (<see cref="Problem"/>), so a caller can report an invalid version
/// as "unknown" instead of trusting an order the tool itself only defines by accident. Neither method throws.
/// </summary>
public interface IVersionComparer
{
    /// <summary>The ecosystem whose rules this comparer implements.</summary>
    VersionEcosystem Ecosystem { get; }

    /// <summary>-1, 0 or 1 as <paramref name="a"/> sorts before, equal to or after <paramref name="b"/>.</summary>
    int Compare(string a, string b);

    /// <summary>Why <paramref name="version"/> is not a valid version of the ecosystem, or null when it is.</summary>
    string? Problem(string version);

    /// <summary>True when <paramref name="version"/> is a valid version of the ecosystem.</summary>
    bool IsValid(string version);
}
