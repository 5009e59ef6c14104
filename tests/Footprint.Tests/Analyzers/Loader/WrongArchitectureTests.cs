using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Analyzers.Loader;

/// <summary>
/// A library of another machine found first is skipped, as ld.so skips it; reported only when nothing suitable
/// exists. The tree is built here: this machine's ld.so and libc, two gcc-built programs, an x86-64 libfp.so.1 and an
/// aarch64 ELF (OpenWrt's libubox.so from the corpus) under the names the programs need.
/// </summary>
public sealed class WrongArchitectureTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Should_skip_a_foreign_library_and_report_it_only_when_nothing_else_fits()
    {
        var root = Path.Combine(_dir.Path, "root");
        var build = Path.Combine(_dir.Path, "build");
        var arm = Repo.CorpusFile("openwrt/openwrt-armvirt-64-default-rootfs.tar.gz");
        Tool.Shell($$"""
            R='{{root}}'; B='{{build}}'
            mkdir -p "$R/lib64" "$R/lib/x86_64-linux-gnu" "$R/usr/lib" "$R/bin" "$B"
            cp -L /lib64/ld-linux-x86-64.so.2 "$R/lib64/"
            cp -L "$(gcc -print-file-name=libc.so.6)" "$R/lib/x86_64-linux-gnu/libc.so.6"
            echo 'int fp(void) { return 0; }' > "$B/fp.c"
            gcc -shared -fPIC -o "$B/libfp.so.1" -Wl,-soname,libfp.so.1 "$B/fp.c"
            gcc -shared -fPIC -o "$B/libfparm.so.1" -Wl,-soname,libfparm.so.1 "$B/fp.c"
            echo 'int fp(void); int main(void) { return fp(); }' > "$B/main.c"
            gcc -o "$R/bin/good" "$B/main.c" "$B/libfp.so.1"
            gcc -o "$R/bin/bad" "$B/main.c" "$B/libfparm.so.1"
            tar -xzOf '{{arm}}' ./lib/libubox.so > "$B/arm.so"
            cp "$B/arm.so" "$R/lib/x86_64-linux-gnu/libfp.so.1"
            cp "$B/libfp.so.1" "$R/usr/lib/libfp.so.1"
            cp "$B/arm.so" "$R/usr/lib/libfparm.so.1"
            """);

        // The real loader: good resolves to /usr/lib past the aarch64 file; bad finds nothing it can use.
        var good = Tool.Run("bwrap", "--bind", root, "/", "--dev", "/dev", "--", "/lib64/ld-linux-x86-64.so.2", "--list", "/bin/good");
        Assert.Contains("libfp.so.1 => /usr/lib/libfp.so.1", good.Stdout, StringComparison.Ordinal);
        var bad = Tool.Run("bwrap", "--bind", root, "/", "--dev", "/dev", "--", "/lib64/ld-linux-x86-64.so.2", "--list", "/bin/bad");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("libfparm.so.1: cannot open shared object file", bad.Stderr, StringComparison.Ordinal);

        var lint = Load.Measure(root, new Footprint.Pipeline.MeasureOptions { MeasurePushSize = false }).Lint!;
        var errors = lint.Findings.Where(f => f.Severity == "error").Select(f => $"{f.Code} {f.Path}").ToList();
        Assert.Equal(["wrong-architecture /bin/bad"], errors);
        Assert.Contains("aarch64", lint.Findings.Single(f => f.Path == "/bin/bad").Detail, StringComparison.Ordinal);
    }
}
