namespace Footprint.Analyzers.Packages.Apk;

/// <summary>
/// Parses apk-tools' installed database, lib/apk/db/installed (apk-tools doc/apk-package(5) and
/// src/database.c apk_db_index_read): records separated by blank lines, one "X:value" per line.
/// P name, V version, A arch, S package size, I installed size (bytes), T description, U url,
/// L license, o origin, m maintainer, t build time, c commit, D depends (space separated), p provides,
/// r replaces, F directory, R file in the last F directory, a/M acl, Z checksum.
/// </summary>
public static class ParseApkInstalled
{
    /// <param name="displayPath">"/lib/apk/db/installed", for evidence.</param>
    /// <param name="layer">Layer that supplied the file, for evidence.</param>
    /// <param name="text">The database's text.</param>
    /// <param name="distroVersionId">os-release VERSION_ID, the purl's distro qualifier ("alpine-3.20.3"); optional.</param>
    public static (List<Package> Packages, List<PackageUnknown> Unknowns) Parse(string displayPath, int layer, string text, string? distroVersionId)
    {
        var packages = new List<Package>();
        var unknowns = new List<PackageUnknown>();
        Record? record = null;
        foreach (var (number, line) in DatabaseText.Lines(text))
        {
            if (line.Length == 0)
            {
                Flush();
                continue;
            }

            record ??= new Record(number);
            if (line.Length < 2 || line[1] != ':')
            {
                unknowns.Add(new PackageUnknown(displayPath, number, "not an 'X:value' line"));
                continue;
            }

            var value = line[2..];
            switch (line[0])
            {
                case 'P': record.Name ??= value; break;
                case 'V': record.Version ??= value; break;
                case 'A': record.Arch ??= value; break;
                case 'o': record.Origin ??= value; break;
                case 'L': record.License ??= value; break;
                case 'I': record.InstalledSize ??= ControlStanzas.ParseSize(value, 1); break;
                case 'D': record.Depends.AddRange(value.Split(' ', StringSplitOptions.RemoveEmptyEntries)); break;
                case 'p': record.Provides.AddRange(value.Split(' ', StringSplitOptions.RemoveEmptyEntries)); break;
                case 'F':
                    // A directory that climbs out of the root poisons its R: lines (null) until the next F:.
                    record.Directory = FileSystem.ImagePath.Normalize(value);
                    break;
                case 'R':
                    var file = record.Directory is null ? null : FileSystem.ImagePath.Normalize(record.Directory.Length == 0 ? value : record.Directory + "/" + value);
                    if (string.IsNullOrEmpty(file))
                    {
                        unknowns.Add(new PackageUnknown(displayPath, number, "file path escapes the root"));
                    }
                    else
                    {
                        record.Files.Add(file);
                    }

                    break;
                default: break;
            }
        }

        Flush();
        return (packages, unknowns);

        void Flush()
        {
            if (record is null)
            {
                return;
            }

            if (string.IsNullOrEmpty(record.Name) || string.IsNullOrEmpty(record.Version))
            {
                unknowns.Add(new PackageUnknown(displayPath, record.Line, "record without P: name or V: version"));
            }
            else
            {
                var purl = PackageUrl.Build("apk", "alpine", record.Name, record.Version, [
                    new("arch", record.Arch),
                    new("distro", string.IsNullOrEmpty(distroVersionId) ? null : "alpine-" + distroVersionId),
                ]);
                packages.Add(new Package("apk", record.Name, record.Version, record.Arch, record.Origin, record.License, record.InstalledSize,
                    record.Depends, record.Files, purl, new PackageEvidence(displayPath, record.Line, layer), Provides: record.Provides));
            }

            record = null;
        }
    }

    private sealed class Record(int line)
    {
        public int Line { get; } = line;

        public string? Name { get; set; }

        public string? Version { get; set; }

        public string? Arch { get; set; }

        public string? Origin { get; set; }

        public string? License { get; set; }

        public long? InstalledSize { get; set; }

        public string? Directory { get; set; } = string.Empty;

        public List<string> Depends { get; } = [];

        public List<string> Files { get; } = [];

        public List<string> Provides { get; } = [];
    }
}
