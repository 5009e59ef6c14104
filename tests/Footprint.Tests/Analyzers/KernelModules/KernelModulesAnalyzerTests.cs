using System.Globalization;
using System.Text.Json;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Analyzers.KernelModules;

/// <summary>
/// /lib/modules/VERSION sized in a rootfs tar packed at test time from part of Debian's kernel package modules (the
/// fixture tree), against find(1) and du(1) on the same tree; /usr/lib/modules counts too, lib/modules-list does not.
/// </summary>
public sealed class KernelModulesAnalyzerTests
{
    [Fact]
    public void Should_size_each_module_tree_as_find_and_du_do()
    {
        using var dir = new TempDir();
        var modules = Repo.Fixture("kernel/modules");
        var version = File.ReadAllText(Repo.Fixture("kernel/version")).Trim();
        var root = dir.File("root");
        Directory.CreateDirectory(Path.Combine(root, "lib", "modules"));
        Directory.CreateDirectory(Path.Combine(root, "usr", "lib", "modules", "0.0-other"));
        File.WriteAllText(Path.Combine(root, "usr", "lib", "modules", "0.0-other", "x.ko"), "not really a module");
        File.WriteAllText(Path.Combine(root, "lib", "modules-list"), "near miss: not a module tree");
        // A part of the package's tree (its fs/ modules and the top-level index files), so the tar stays small.
        var tree0 = Path.Combine(root, "lib", "modules", version);
        Directory.CreateDirectory(Path.Combine(tree0, "kernel"));
        Tool.Output("ln", "-s", Path.Combine(modules, "kernel", "fs"), Path.Combine(tree0, "kernel", "fs"));
        foreach (var index in new[] { "modules.order", "modules.builtin", "modules.builtin.modinfo" })
        {
            Tool.Output("ln", "-s", Path.Combine(modules, index), Path.Combine(tree0, index));
        }

        var tar = dir.File("rootfs.tar");
        Tool.Output("tar", "-chf", tar, "-C", root, ".");

        var tree = Path.Combine(root, "lib", "modules", version) + "/";
        long files = long.Parse(Tool.Shell($"find -L '{tree}' -type f | wc -l").Trim(), CultureInfo.InvariantCulture);
        long kos = long.Parse(Tool.Shell($"find -L '{tree}' -type f -name '*.ko*' | wc -l").Trim(), CultureInfo.InvariantCulture);
        long bytes = long.Parse(Tool.Shell($"find -L '{tree}' -type f -printf '%s\\n' | awk '{{s+=$1}} END {{print s+0}}'").Trim(), CultureInfo.InvariantCulture);
        long duDirs = long.Parse(Tool.Shell($"find -L '{tree}' -type d -printf '%s\\n' | awk '{{s+=$1}} END {{print s+0}}'").Trim(), CultureInfo.InvariantCulture);
        long du = long.Parse(Tool.Shell($"du -sbL --apparent-size '{tree}' | cut -f1").Trim(), CultureInfo.InvariantCulture);
        Assert.Equal(du, bytes + duDirs);

        var report = Load.Measure(tar);
        var trees = report.KernelModules!.Trees;
        Assert.Equal(2, trees.Count);
        var t = trees.Single(x => x.Version == version);
        Assert.Equal("/lib/modules/" + version, t.Path);
        Assert.Equal(files, t.Files);
        Assert.Equal(bytes, t.ApparentBytes);
        Assert.Equal(kos, t.Modules);
        Assert.Equal("/usr/lib/modules/0.0-other", trees[1].Path);
        Assert.Equal(1, trees[1].Files);

        var json = Footprint.Reports.Json.JsonReportWriter.ToJson(new Footprint.Reports.Report { Tool = new("footprint", "test"), Artifacts = [report] });
        Assert.Empty(Schemas.Errors(Schemas.Report, json));
        Assert.Equal(bytes, JsonDocument.Parse(json).RootElement.GetProperty("artifacts")[0].GetProperty("kernelModules").GetProperty("trees")[0].GetProperty("apparentBytes").GetInt64());
    }
}
