using System.Text;
using Footprint.Analyzers.Packages;
using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Walk;

namespace Footprint.Analyzers.Libc;

/// <summary>
/// Which C library the image provides, found from the libraries themselves (docs/lint.md):
/// glibc from <c>libc.so.6</c> (its "GNU C Library ... release version X" banner, else the newest GLIBC_2.x
/// version it defines); musl from its loader <c>ld-musl-ARCH.so.1</c> (often a symlink to <c>libc.so</c> or
/// <c>libc.musl-ARCH.so.1</c>), versioned by the package database's <c>musl</c> (apk) or <c>libc</c> (opkg) package,
/// because musl's binary carries its version only as a bare string; uClibc(-ng) from <c>ld-uClibc*</c> /
/// <c>libuClibc-X.so</c> (version in the name); klibc from <c>klibc-HASH.so</c>; bionic from Android's
/// <c>/system/lib*/libc.so</c>. An image whose programs are all static provides none.
/// </summary>
public sealed class LibcAnalyzer : IAnalyzer, IProducer<LibcReport>
{
    private const string GlibcBanner = "release version ";

    private readonly List<(string Path, FsNode Node)> _glibc = [];

    /// <summary>
    /// The banner of the glibc <see cref="Result"/> reports (the first candidate that defines GLIBC_2.x), read during the
    /// walk: a layer's captured bytes are let go after it (MeasurePipeline), and a 2 MiB libc is not kept for this.
    /// </summary>
    private (FsNode Node, (string Text, string Version)? Banner)? _glibcBanner;
    private readonly List<string> _musl = [];
    private readonly List<(string Path, int Layer)> _uclibc = [];
    private readonly List<(string Path, int Layer)> _klibc = [];
    private readonly List<(string Path, int Layer)> _bionic = [];

    public string Id => "libc";

    public int Version => 1;

    public IReadOnlyList<Type> Consumes => [typeof(IPackageInventories)];

    /// <summary>The C library, confirmed by the package databases that were found (those that recorded a database file).</summary>
    public LibcReport? Produce(AnalysisContext context)
        => Result(context.View, context.All<IPackageInventories>().SelectMany(i => i.Inventories).Where(i => i.Databases.Count > 0).ToList());

    public ContentNeed Required(string path, FsNode node)
    {
        if (node.Kind != FileKind.Regular)
        {
            return ContentNeed.None;
        }

        // The banner is in .rodata: the whole library (about 2 MiB) is read, for this one file only.
        return IsGlibcName(Name(path)) ? ContentNeed.Whole : ContentNeed.None;
    }

    public void Observe(string path, FsNode node, IFileContent? content)
    {
        if (node.Kind is not (FileKind.Regular or FileKind.Symlink))
        {
            return;
        }

        var name = Name(path);
        var layer = node.LayerIndex;
        if (node.Kind == FileKind.Regular && IsGlibcName(name))
        {
            _glibc.Add((path, node));
            if (_glibcBanner is null && DefinesGlibc2(node))
            {
                _glibcBanner = (node, content is null ? null : FindBanner(content));
            }
        }
        else if (name.StartsWith("ld-musl-", StringComparison.Ordinal) && name.EndsWith(".so.1", StringComparison.Ordinal))
        {
            _musl.Add(path);
        }
        else if (name.StartsWith("ld-uClibc", StringComparison.Ordinal) || name.StartsWith("ld64-uClibc", StringComparison.Ordinal) || name.StartsWith("libuClibc-", StringComparison.Ordinal))
        {
            _uclibc.Add((path, layer));
        }
        else if (name.StartsWith("klibc-", StringComparison.Ordinal) && name.EndsWith(".so", StringComparison.Ordinal))
        {
            _klibc.Add((path, layer));
        }
        else if (name == "libc.so" && (path.StartsWith("system/lib", StringComparison.Ordinal) || path.Contains("/bionic/", StringComparison.Ordinal)))
        {
            _bionic.Add((path, layer));
        }
    }

    /// <summary>The library found, or null. <paramref name="packages"/> are the inventories of the package databases.</summary>
    public LibcReport? Result(IFileSystemView view, IReadOnlyList<PackageInventory> packages)
    {
        foreach (var (path, node) in _glibc)
        {
            if (!DefinesGlibc2(node) || node.Data?.GetElf() is not { } elf)
            {
                continue;
            }

            var evidence = new List<Evidence>();
            var banner = _glibcBanner is { } known && ReferenceEquals(known.Node, node) ? known.Banner : null;
            var newest = elf.VersionDefinitions.Where(v => v.StartsWith("GLIBC_2.", StringComparison.Ordinal)).MaxBy(v => VersionKey(v["GLIBC_".Length..]))!;
            evidence.Add(new Evidence("/" + path, node.Data.LayerIndex, banner is null
                ? $"no release banner read; newest version definition {newest}"
                : $"banner \"{banner.Value.Text}\"; newest version definition {newest}"));
            return new LibcReport("glibc", banner?.Version ?? newest["GLIBC_".Length..], evidence);
        }

        foreach (var path in _musl)
        {
            FsNode? target;
            string resolved;
            try
            {
                target = view.Resolve(path, followFinal: true, out resolved);
            }
            catch (SymlinkLoopException)
            {
                continue;
            }

            if (target?.Kind != FileKind.Regular)
            {
                continue;
            }

            var evidence = new List<Evidence> { new("/" + path, target.LayerIndex, resolved == path ? "musl dynamic loader" : $"musl dynamic loader, a link to /{resolved}") };
            string? version = null;
            foreach (var inventory in packages)
            {
                var wanted = inventory.Ecosystem == "opkg" ? "libc" : "musl";
                if (inventory.Packages.FirstOrDefault(p => p.Name == wanted) is { } package)
                {
                    version = package.Version.Split('-')[0];
                    evidence.Add(new Evidence(package.Evidence.Path, package.Evidence.Layer, $"{inventory.Ecosystem} package {package.Name} {package.Version} (line {package.Evidence.Line})"));
                    break;
                }
            }

            return new LibcReport("musl", version, evidence);
        }

        if (_uclibc.Count > 0)
        {
            var (path, layer) = _uclibc.OrderBy(u => Name(u.Path).StartsWith("libuClibc-", StringComparison.Ordinal) ? 0 : 1).First();
            var name = Name(path);
            string? version = null;
            var dash = name.IndexOf('-');
            if (dash > 0 && name.EndsWith(".so", StringComparison.Ordinal) && name.Length > dash + 4)
            {
                version = name[(dash + 1)..^3];
            }

            return new LibcReport("uclibc", version, [new Evidence("/" + path, layer, "uClibc loader or library (version from the file name)")]);
        }

        if (_klibc.Count > 0)
        {
            return new LibcReport("klibc", null, [new Evidence("/" + _klibc[0].Path, _klibc[0].Layer, "klibc shared library")]);
        }

        if (_bionic.Count > 0)
        {
            return new LibcReport("bionic", null, [new Evidence("/" + _bionic[0].Path, _bionic[0].Layer, "Android bionic libc")]);
        }

        return null;
    }

    private static bool DefinesGlibc2(FsNode node)
        => node.Data?.GetElf() is { } elf && elf.VersionDefinitions.Any(v => v.StartsWith("GLIBC_2.", StringComparison.Ordinal));

    /// <summary>libc.so.6 (glibc 2.x), or the file it links to in glibc before 2.34 (libc-2.31.so).</summary>
    internal static bool IsGlibcName(string name)
        => name == "libc.so.6" || (name.StartsWith("libc-2.", StringComparison.Ordinal) && name.EndsWith(".so", StringComparison.Ordinal));

    /// <summary>"GNU C Library (Debian GLIBC 2.36-9+deb12u10) stable release version 2.36." -> 2.36.</summary>
    internal static (string Text, string Version)? FindBanner(IFileContent content)
    {
        if (content is CapturedContent captured)
        {
            // Captured bytes are searched where they are (a copy of a 2 MiB libc grew a MemoryStream to twice that).
            return FindBanner(captured.Bytes.Span);
        }

        try
        {
            using var stream = content.Open();
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return FindBanner(memory.GetBuffer().AsSpan(0, (int)memory.Length));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static (string Text, string Version)? FindBanner(ReadOnlySpan<byte> bytes)
    {
        var at = bytes.IndexOf("GNU C Library"u8);
        if (at < 0)
        {
            return null;
        }

        var end = bytes[at..].IndexOfAny((byte)0, (byte)'\n');
        var text = Encoding.ASCII.GetString(bytes.Slice(at, end < 0 ? Math.Min(200, bytes.Length - at) : end));
        var v = text.IndexOf(GlibcBanner, StringComparison.Ordinal);
        if (v < 0)
        {
            return null;
        }

        var version = new string(text[(v + GlibcBanner.Length)..].TakeWhile(c => char.IsAsciiDigit(c) || c == '.').ToArray()).TrimEnd('.');
        return version.Length == 0 ? null : (text, version);
    }

    /// <summary>"2.36" -> (2, 36), "2.2.5" -> (2, 2, 5) as a comparable key.</summary>
    internal static (int, int, int) VersionKey(string version)
    {
        var parts = version.Split('.');
        static int At(string[] p, int i) => i < p.Length && int.TryParse(p[i], System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
        return (At(parts, 0), At(parts, 1), At(parts, 2));
    }

    private static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];
}
