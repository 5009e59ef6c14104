using System.Text;
using Footprint.Advisories.Vex;
using Footprint.Formats;

namespace Footprint.Fuzz;

/// <summary>
/// The inputs of `vulns --vex/--ignore` (src/Footprint/Advisories/Vex): the input is read as VEX JSON (OpenVEX or
/// CycloneDX, recognised from the document), as an ignore list, and each of its lines as a package URL; every
/// statement read is then matched against a fixed installed package, as the filter does. A rejection by one reader
/// does not stop the next.
/// </summary>
internal static class VexTarget
{
    private static readonly PackageUrl Installed = new("apk", "alpine", "musl", "1.1.18-r3");

    public static void Fuzz(byte[] input)
    {
        Attempt(() => VexFile.ParseVex(input, "fuzz"));
        Attempt(() => IgnoreListReader.Read(input, "fuzz"));
        foreach (var line in Encoding.UTF8.GetString(input).Split('\n'))
        {
            if (PackageUrl.TryParse(line) is { } purl)
            {
                _ = purl.Matches(Installed) | Installed.Matches(purl);
            }
        }
    }

    private static void Attempt(Func<List<VexStatement>> read)
    {
        try
        {
            foreach (var statement in read())
            {
                foreach (var product in statement.Products)
                {
                    _ = product.Matches(Installed, "musl");
                }

                _ = statement.Suppresses;
            }
        }
        catch (FootprintFormatException)
        {
        }
    }
}
