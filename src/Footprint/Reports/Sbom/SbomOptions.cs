using System.Globalization;

namespace Footprint.Reports.Sbom;

/// <summary>What an SBOM writer needs besides the report: when the document was made and by which tool version.</summary>
/// <param name="Created">Creation time written into the document (CycloneDX metadata.timestamp, SPDX creationInfo.created).</param>
/// <param name="ToolVersion">Footprint's version, written as the creating tool.</param>
public sealed record SbomOptions(DateTimeOffset Created, string ToolVersion)
{
    /// <summary>Environment variable of the reproducible-builds convention: seconds since the Unix epoch.</summary>
    public const string SourceDateEpochVariable = "SOURCE_DATE_EPOCH";

    /// <summary>
    /// Say "not affected: the vulnerable code is not in the execute path" for a finding no entrypoint loads (VEX and
    /// CycloneDX analysis). Off unless asked (`--vex-not-reachable`): reachability sees only what starts.
    /// </summary>
    public bool ClaimNotReachable { get; init; }

    /// <summary>
    /// Options whose <see cref="Created"/> is SOURCE_DATE_EPOCH when set (https://reproducible-builds.org/specs/source-date-epoch/),
    /// else <paramref name="now"/>. The caller passes the environment value so the library itself stays free of ambient state.
    /// </summary>
    /// <exception cref="FormatException">SOURCE_DATE_EPOCH is set but is not a non-negative integer.</exception>
    public static SbomOptions Create(string toolVersion, string? sourceDateEpoch, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(sourceDateEpoch))
        {
            return new SbomOptions(now, toolVersion);
        }

        if (!long.TryParse(sourceDateEpoch, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            throw new FormatException($"{SourceDateEpochVariable} must be a non-negative integer of seconds, not '{sourceDateEpoch}'");
        }

        return new SbomOptions(DateTimeOffset.FromUnixTimeSeconds(seconds), toolVersion);
    }

    /// <summary>Options for the CLI: SOURCE_DATE_EPOCH from the process environment when set, else the current time.</summary>
    /// <exception cref="FormatException">SOURCE_DATE_EPOCH is set but is not a non-negative integer.</exception>
    public static SbomOptions FromEnvironment(string toolVersion)
        => Create(toolVersion, Environment.GetEnvironmentVariable(SourceDateEpochVariable), DateTimeOffset.UtcNow);

    /// <summary>The timestamp as both formats want it: UTC, whole seconds, "Z" (ISO 8601 / RFC 3339).</summary>
    internal string CreatedUtc => Created.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
