using System.Text.Json.Nodes;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Reports.Choices;

/// <summary>
/// `footprint catalog` and `footprint choose` as a user runs them, on constraints whose answer is known: real measured
/// entries (catalog add of corpus artifacts and fixtures), and running memory only through `catalog import` of a file
/// (no boot measurement exists yet).
/// </summary>
public sealed class ChooseCommandTests : IDisposable
{
    private static readonly string Alpine = Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");

    private static readonly string BusyBoxMusl = "oci:" + Repo.Fixture("corpus-busybox/latest/musl");

    private static readonly string OpenWrt = Repo.CorpusFile("firmware/openwrt/wr841n-v9/openwrt-ar71xx-generic-tl-wr841n-v9-squashfs-sysupgrade.bin");

    private readonly TempDir _home = new();

    public void Dispose() => _home.Dispose();

    private (int Code, string Stdout, string Stderr) Run(params string[] args) => FootprintProcess.Run(_home.Path, null, args);

    private void Add(string name, string artifact)
    {
        var (code, _, stderr) = Run("catalog", "add", "--no-cache", "--name", name, artifact);
        Assert.True(code == 0, stderr);
    }

    private JsonObject Export()
    {
        var file = Path.Combine(_home.Path, "export.json");
        var (code, _, stderr) = Run("catalog", "export", file);
        Assert.True(code == 0, stderr);
        var text = File.ReadAllText(file);
        Assert.True(ChooseSchemas.Valid(ChooseSchemas.Catalog, text), text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private void Import(JsonObject document)
    {
        var file = Path.Combine(_home.Path, "import.json");
        File.WriteAllText(file, document.ToJsonString());
        var (code, _, stderr) = Run("catalog", "import", file);
        Assert.True(code == 0, stderr);
    }

    private (int Code, JsonObject Choice) Choose(params string[] args)
    {
        var (code, stdout, stderr) = Run(["choose", "-f", "json", .. args]);
        Assert.True(code is 0 or 1, stderr);
        Assert.True(ChooseSchemas.Valid(ChooseSchemas.Choice, stdout), stdout);
        return (code, JsonNode.Parse(stdout)!.AsObject());
    }

    private static List<string> Names(JsonObject choice, string list) => choice[list]!.AsArray().Select(c => (string)c!["name"]!).ToList();

    private static JsonObject Axis(JsonObject choice, string list, string name, string constraint)
        => choice[list]!.AsArray().Single(c => (string)c!["name"]! == name)!["axes"]!.AsArray().Single(a => (string)a!["constraint"]! == constraint)!.AsObject();

    private static JsonObject WithRunningMemory(JsonNode entry, string name, long minimumMiB)
    {
        var copy = entry.DeepClone().AsObject();
        copy["name"] = name;
        copy["runningMemory"] = new JsonObject
        {
            ["provenance"] = "measured",
            ["minimumRamBytes"] = minimumMiB << 20,
            ["minimumRamBoots"] = new JsonObject { ["booted"] = 3, ["tried"] = 3 },
        };
        return copy;
    }

    [Fact]
    public void Should_exclude_every_system_whose_measured_minimum_RAM_exceeds_the_limit()
    {
        Add("alpine", Alpine);
        Add("busybox-musl", BusyBoxMusl);
        var entries = Export()["entries"]!.AsArray();
        var alpine = entries.Single(e => (string)e!["name"]! == "alpine")!;
        var busybox = entries.Single(e => (string)e!["name"]! == "busybox-musl")!;
        var booted = new JsonObject
        {
            ["schemaVersion"] = "1.0",
            ["document"] = "catalog",
            ["entries"] = new JsonArray(WithRunningMemory(alpine, "alpine-96", 96), WithRunningMemory(busybox, "busybox-40", 40), WithRunningMemory(alpine, "alpine-64", 64)),
        };
        Import(booted);

        var (code, choice) = Choose("--no-shipped", "--ram", "64M");
        Assert.Equal(0, code);
        // Exactly the measured minima at or under 64 MiB pass; the two without running memory and no RAM-resident
        // floor (containers) are kept as "RAM not measured".
        Assert.Equal(["alpine", "alpine-64", "busybox-40", "busybox-musl"], Names(choice, "candidates").Order(StringComparer.Ordinal));
        Assert.Equal(["alpine-96"], Names(choice, "excluded"));
        var ram = Axis(choice, "excluded", "alpine-96", "ram");
        Assert.Equal("measured", (string)ram["basis"]!);
        Assert.Equal((96L - 64) << 20, -(long)ram["margin"]!);
        Assert.Contains("needs 96 MiB RAM", (string)ram["text"]!, StringComparison.Ordinal);
        Assert.Contains("you have 64 MiB", (string)ram["text"]!, StringComparison.Ordinal);
        Assert.Equal("fails: needs 96 MiB RAM (measured, booted 3 of 3), you have 64 MiB",
            (string)choice["excluded"]!.AsArray().Single(c => (string)c!["name"]! == "alpine-96")!["summary"]!);
        Assert.Equal("not-measured", (string)Axis(choice, "candidates", "alpine", "ram")["basis"]!);
        Assert.Equal(0L, (long)Axis(choice, "candidates", "alpine-64", "ram")["margin"]!);

        // Measured fits first, by room left (24 MiB of 64 before none), then the unmeasured ones by size.
        Assert.Equal(["busybox-40", "alpine-64", "busybox-musl", "alpine"], Names(choice, "candidates"));

        var (tight, below) = Choose("--no-shipped", "--ram", "32MiB");
        Assert.Equal(0, tight);
        Assert.Equal(["alpine", "busybox-musl"], Names(below, "candidates").Order(StringComparer.Ordinal));
        Assert.Equal(["alpine-64", "alpine-96", "busybox-40"], Names(below, "excluded"));

        var (none, empty) = Choose("--no-shipped", "--ram", "32MiB", "--libc", "glibc");
        Assert.Equal(1, none);
        Assert.Empty(Names(empty, "candidates"));
        Assert.Equal(5, Names(empty, "excluded").Count);
    }

    [Fact]
    public void Should_exclude_Alpine_and_BusyBox_musl_for_glibc_containers()
    {
        var (code, choice) = Choose("--libc", "glibc", "--world", "container");
        Assert.Equal(0, code);
        var candidates = Names(choice, "candidates");
        Assert.DoesNotContain(candidates, n => n.StartsWith("alpine-", StringComparison.Ordinal) || n.Contains("musl", StringComparison.Ordinal));
        Assert.Contains("debian-12-minbase", candidates);
        Assert.Contains("busybox-latest-glibc", candidates);
        Assert.Equal("uses musl 1.2.5, not glibc", (string)Axis(choice, "excluded", "alpine-3.20.3-x86_64", "libc")["text"]!);
        Assert.Contains(choice["excluded"]!.AsArray(), c => (string)c!["name"]! == "busybox-latest-musl" && (string)c["binding"]! == "libc");
        Assert.Contains(choice["excluded"]!.AsArray(), c => (string)c!["name"]! == "openwrt-mr3020-sysupgrade" && (string)c["binding"]! == "world");
    }

    [Fact]
    public void Should_refuse_an_init_system_and_an_architecture()
    {
        var shipped = Footprint.Reports.Catalog.CatalogJson.Read("shipped", File.ReadAllBytes(Path.Combine(Repo.Root, "catalog", "shipped.json"))).Entries;
        var (code, choice) = Choose("--world", "embedded", "--init", "!procd");
        Assert.Equal(0, code);
        Assert.Equal(shipped.Where(e => e.Identity.World == "embedded" && e.Init != "procd").Select(e => e.Name).Order(StringComparer.Ordinal),
            Names(choice, "candidates").Order(StringComparer.Ordinal));
        Assert.Equal("init is procd, which is refused", (string)Axis(choice, "excluded", "openwrt-mr3020-sysupgrade", "init")["text"]!);

        var (systemd, _) = Choose("--init", "systemd");
        Assert.Equal(1, systemd);

        var (_, amd64) = Choose("--arch", "x86_64", "--world", "container", "--libc", "musl");
        Assert.Equal(shipped.Where(e => e.Identity.World == "container" && e.Libc.Name == "musl" && e.Identity.Architecture == "amd64").Select(e => e.Name).Order(StringComparer.Ordinal),
            Names(amd64, "candidates").Order(StringComparer.Ordinal));
        Assert.Equal("built for arm64, not amd64", (string)Axis(amd64, "excluded", "alpine-3.20.3-aarch64", "architecture")["text"]!);

        var (table, stdout, _) = Run("choose", "--ram", "16M", "--world", "embedded");
        Assert.Equal(0, table);
        Assert.Contains("ram: fails by published figure: needs 32 MiB RAM", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_keep_only_systems_that_have_what_is_needed()
    {
        // A system with python3, built here: a dpkg database that lists it and the program on PATH.
        var root = Path.Combine(_home.Path, "py");
        Directory.CreateDirectory(Path.Combine(root, "usr/bin"));
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        Directory.CreateDirectory(Path.Combine(root, "var/lib/dpkg"));
        File.WriteAllText(Path.Combine(root, "usr/bin/python3.11"), "#!/bin/sh\n");
        Tool.Output("chmod", "755", Path.Combine(root, "usr/bin/python3.11"));
        File.CreateSymbolicLink(Path.Combine(root, "usr/bin/python3"), "python3.11");
        File.WriteAllText(Path.Combine(root, "etc/os-release"), "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");
        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/status"),
            "Package: python3-minimal\nStatus: install ok installed\nArchitecture: amd64\nVersion: 3.11.2-1+b1\nInstalled-Size: 1\n\n");
        var tar = Path.Combine(_home.Path, "py.tar");
        Tool.Output("tar", "-C", root, "-cf", tar, ".");
        Add("py", tar);
        Add("alpine", Alpine);
        Add("debian", "oci:" + Repo.Fixture("debian/oci") + ":minbase");

        var (code, choice) = Choose("--no-shipped", "--need", "python3");
        Assert.Equal(0, code);
        Assert.Equal(["py"], Names(choice, "candidates"));
        Assert.Equal(["alpine", "debian"], Names(choice, "excluded"));
        Assert.Equal("lacks python3 (no package or command of that name)", (string)Axis(choice, "excluded", "alpine", "need")["text"]!);
        Assert.Equal("has python3 (command on PATH)", (string)Axis(choice, "candidates", "py", "need")["text"]!);

        // By package name: only the dpkg database has python3-minimal; by command: Debian minbase has bash, Alpine does not.
        var (_, byPackage) = Choose("--no-shipped", "--need", "python3-minimal");
        Assert.Equal(["py"], Names(byPackage, "candidates"));
        var (_, bash) = Choose("--no-shipped", "--need", "bash,ls");
        Assert.Equal(["debian"], Names(bash, "candidates"));
    }

    [Fact]
    public void Should_never_let_a_published_figure_override_a_measured_one()
    {
        Add("alpine", Alpine);
        Add("openwrt", OpenWrt);
        var entries = Export()["entries"]!.AsArray();
        var openwrt = entries.Single(e => (string)e!["name"]! == "openwrt")!;
        Import(new JsonObject { ["schemaVersion"] = "1.0", ["document"] = "catalog", ["entries"] = new JsonArray(WithRunningMemory(openwrt, "openwrt-booted", 20)) });
        var alpineDownload = (long)entries.Single(e => (string)e!["name"]! == "alpine")!["sizes"]!["downloadBytes"]!;

        // Published: Alpine ~8 MB download, OpenWrt 32 MB RAM (catalog/published.json, from the seed).
        var (code, choice) = Choose("--no-shipped", "--download", "5M", "--ram", "24M");
        Assert.Equal(0, code);
        var download = Axis(choice, "candidates", "alpine", "download");
        Assert.Equal("measured", (string)download["basis"]!);
        Assert.Equal(alpineDownload, (long)download["value"]!);
        var published = choice["candidates"]!.AsArray().Single(c => (string)c!["name"]! == "alpine")!["published"]!.AsArray();
        Assert.Contains(published, p => (string)p!["figure"]! == "download-bytes" && (long)p["bytes"]! == 8L << 20 && (string)p["provenance"]! == "published");

        // Measured 20 MiB beats the published 32 MiB; without a measurement the published figure decides, and says so.
        var booted = Axis(choice, "candidates", "openwrt-booted", "ram");
        Assert.Equal("measured", (string)booted["basis"]!);
        Assert.Equal(20L << 20, (long)booted["value"]!);
        var unmeasured = Axis(choice, "excluded", "openwrt", "ram");
        Assert.Equal("published", (string)unmeasured["basis"]!);
        Assert.StartsWith("fails by published figure: needs 32 MiB RAM", (string)unmeasured["text"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_let_a_measured_RAM_resident_lower_bound_decide_before_a_published_figure()
    {
        // Tiny Core 4.4's core.gz holds 5,251,072 bytes in RAM (measured); the seed publishes 28 MiB for Tiny Core.
        var resident = Footprint.Reports.Catalog.CatalogJson.Read("shipped", File.ReadAllBytes(Path.Combine(Repo.Root, "catalog", "shipped.json")))
            .Entries.Single(e => e.Name == "tinycore-4.4-core.gz").Sizes.RamResidentBytes!.Value;
        Assert.Equal(5_251_072L, resident);
        var (_, tight) = Choose("--ram", "4M", "--world", "revival");
        var excluded = Axis(tight, "excluded", "tinycore-4.4-core.gz", "ram");
        Assert.Equal("lower-bound", (string)excluded["basis"]!);
        Assert.Equal((4L << 20) - resident, (long)excluded["margin"]!);

        var (_, roomy) = Choose("--ram", "16M", "--world", "revival");
        var kept = Axis(roomy, "candidates", "tinycore-4.4-core.gz", "ram");
        Assert.Equal("lower-bound", (string)kept["basis"]!);
        Assert.Equal("RAM not measured (lower bound 5 MiB fits; published minimum 28 MiB would not fit)", (string)kept["text"]!);
    }

    [Theory]
    [InlineData("""{"schemaVersion":"1.0","document":"catalog","entries":[{"name":"x"}]}""", "$.entries[0]: missing required property")]
    [InlineData("""{"schemaVersion":"1.0","document":"catalog","entries":[], "extra": 1}""", "$.extra: unknown property")]
    [InlineData("""{"schemaVersion":"2.0","document":"catalog","entries":[]}""", "$.schemaVersion")]
    [InlineData("""{"schemaVersion":"1.0","document":"catalog","entries":{}}""", "$.entries: expected an array")]
    [InlineData("""{"schemaVersion":"1.0","document":"catalog","entries":[""", "not valid JSON")]
    public void Should_refuse_a_hostile_catalog_file_naming_the_JSON_path(string json, string expected)
    {
        var file = Path.Combine(_home.Path, "hostile.json");
        File.WriteAllText(file, json);
        var (code, _, stderr) = Run("catalog", "import", file);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.False(ChooseSchemas.Valid(ChooseSchemas.Catalog, json.EndsWith('[') ? "null" : json));
    }

    [Fact]
    public void Should_refuse_invalid_utf8_inside_a_string_with_one_line_not_a_stack_trace()
    {
        // Found by the catalog fuzz target: JsonElement.GetString threw InvalidOperationException on it.
        var file = Path.Combine(_home.Path, "hostile.json");
        File.WriteAllBytes(file, [.. "{\"schemaVersion\":\"1.0\",\"document\":\"catalog\",\"entries\":[{\"name\":\""u8, 0xFF, 0xFE, .. "\"}]}"u8]);
        var (code, _, stderr) = Run("catalog", "import", file);
        Assert.Equal(2, code);
        Assert.Contains("not valid UTF-8", stderr, StringComparison.Ordinal);
        Assert.Contains(file, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Should_refuse_hostile_fields_of_a_real_entry_and_import_nothing()
    {
        Add("alpine", Alpine);
        var entry = Export()["entries"]![0]!;
        Assert.Equal(0, Run("catalog", "remove", "alpine").Code);
        (string Path, Action<JsonObject> Break)[] cases =
        [
            ("$.entries[0].sizes.downloadBytes", e => e["sizes"]!["downloadBytes"] = -1),
            ("$.entries[0].sizes.installedOnDiskBytes", e => e["sizes"]!["installedOnDiskBytes"] = "big"),
            ("$.entries[0].identity.world", e => e["identity"]!["world"] = "cloud"),
            ("$.entries[0].runningMemory.provenance", e => e["runningMemory"] = new JsonObject { ["provenance"] = "published", ["minimumRamBytes"] = 1 }),
            ("$.entries[0].runningMemory", e => e["runningMemory"] = new JsonObject { ["provenance"] = "measured", ["minimumRamBytes"] = 1 }),
            ("$.entries[0].artifact.digest", e => e["artifact"]!["digest"] = "md5:00"),
            ("$.entries[0].name", e => e["name"] = "a\u001b[31mred"),
            ("$.entries[1].name", e => { }),
        ];
        foreach (var (path, breakIt) in cases)
        {
            var broken = entry.DeepClone().AsObject();
            breakIt(broken);
            var entries = path.StartsWith("$.entries[1]", StringComparison.Ordinal) ? new JsonArray(broken, broken.DeepClone()) : new JsonArray(broken);
            var file = Path.Combine(_home.Path, "hostile.json");
            var text = new JsonObject { ["schemaVersion"] = "1.0", ["document"] = "catalog", ["entries"] = entries }.ToJsonString();
            File.WriteAllText(file, text);
            var (code, _, stderr) = Run("catalog", "import", file);
            Assert.True(code == 2, path + ": " + stderr);
            Assert.Contains(path, stderr, StringComparison.Ordinal);
            if (!path.StartsWith("$.entries[1]", StringComparison.Ordinal))
            {
                Assert.False(ChooseSchemas.Valid(ChooseSchemas.Catalog, text), path);
            }
        }

        var (listed, stdout, _) = Run("catalog", "list", "-f", "json");
        Assert.Equal(0, listed);
        Assert.Empty(JsonNode.Parse(stdout)!["entries"]!.AsArray());
    }

    [Fact]
    public void Should_choose_from_the_shipped_catalog_when_the_user_s_cannot_be_opened()
    {
        var blocker = Path.Combine(_home.Path, "not-a-directory");
        File.WriteAllText(blocker, "x");
        var (code, stdout, stderr) = Run("choose", "--world", "embedded", "--cache-dir", blocker, "-f", "json");
        Assert.Equal(0, code);
        Assert.Contains("choosing from the shipped catalog only", stderr, StringComparison.Ordinal);
        Assert.Equal(0, (int)JsonNode.Parse(stdout)!["userEntries"]!);
        Assert.True((int)JsonNode.Parse(stdout)!["shippedEntries"]! >= 40);
    }

    [Fact]
    public void Should_refuse_bad_sizes_with_exit_code_2()
    {
        var (code, _, stderr) = Run("choose", "--ram", "lots");
        Assert.Equal(2, code);
        Assert.Contains("--ram lots: not a size", stderr, StringComparison.Ordinal);
    }
}
