using Footprint.Advisories.Model;

namespace Footprint.Analyzers.Vulnerabilities;

/// <summary>Statements by (release, source package): the advisory database, or a list in tests.</summary>
public interface IAdvisoryLookup
{
    IReadOnlyList<Advisory> Find(DistroRelease release, string sourcePackage);
}
