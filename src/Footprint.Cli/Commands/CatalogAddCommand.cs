using System.CommandLine;
using Footprint.Cli.Rendering;
using Footprint.Pipeline;
using Footprint.Reports.Catalog;

namespace Footprint.Cli.Commands;

/// <summary>
/// `footprint catalog add ARTIFACT... [--name N] [--world W] [--db PATH]`: measures each artifact (as `compare` does:
/// the layer and report caches, two at a time) and stores its catalog entry in the user's catalog.
/// </summary>
internal static class CatalogAddCommand
{
    public static Command Create()
    {
        var artifacts = new Argument<string[]>("artifact")
        {
            Arity = new ArgumentArity(1, 1024),
            Description = "Artifacts of any kind (as for measure): images, rootfs tarballs, live media, firmware",
        };
        var name = new Option<string?>("--name") { Description = "The entry's name (one artifact only; default: os id, release and architecture)" };
        var world = new Option<string?>("--world") { Description = "container, revival or embedded, instead of the rule of docs/choose.md" };
        world.AcceptOnlyFromAmong([.. Worlds.All]);
        var platform = new Option<string?>("--platform") { Description = "os/arch[/variant] to pick from a multi-platform index" };
        var registry = new RegistryCliOptions();
        var cache = new CacheOptions();
        var db = new DbPathOption();
        db.Option.Description = "Match against this advisory database so the entry carries vulnerability counts (docs/vulnerabilities.md)";
        var store = new CatalogStoreOption();
        var boot = new BootOptions("Also boot each artifact in QEMU: its idle memory and minimum RAM (k of k boots) go into the entry (docs/boot.md)");
        var repeats = new Option<int>("--repeats") { Description = "With --boot: k, boots that must all succeed at the minimum RAM", DefaultValueFactory = _ => 3 };
        var command = new Command("add", "Measure artifacts and add them to your catalog");
        command.Arguments.Add(artifacts);
        ArtifactArgument.RejectOptions(artifacts, command);
        foreach (var o in new Option[] { name, world, platform, db.Option, repeats }.Concat(boot.Options).Concat(registry.Options).Concat(cache.Options))
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            var inputs = parse.GetValue(artifacts)!;
            var given = parse.GetValue(name);
            if (given is not null && inputs.Length > 1)
            {
                throw new ArgumentException("--name names one entry: give one artifact with it");
            }

            if (given is not null && !CatalogNames.IsValid(given))
            {
                throw new ArgumentException($"--name {given}: 1-{CatalogNames.MaxLength} of letters, digits and . _ - + : @ /");
            }

            if (parse.GetValue(repeats) is < 1 or > 10)
            {
                throw new ArgumentException("--repeats takes 1 to 10");
            }

            var catalog = store.Open(parse);
            using var layerCache = cache.Open(parse);
            var options = new MeasureOptions
            {
                LayerCache = layerCache,
                Platform = parse.GetValue(platform) is { } p ? Sources.Platform.Parse(p) : null,
                AdvisoryDatabase = db.Given(parse),
                Registry = registry.Read(parse),
            };
            var reports = boot.Apply(parse, inputs, ArtifactMeasurements.MeasureAll(inputs, options),
                new Measures.Running.RunningOptions { MinimumRam = true, Repeats = parse.GetValue(repeats) });
            for (var i = 0; i < inputs.Length; i++)
            {
                var (digest, commands) = ArtifactFacts.Read(inputs[i], options with { LayerCache = null });
                var entry = CatalogEntryBuilder.Build(reports[i], inputs[i], digest, commands, options, given, parse.GetValue(world));
                catalog.Put(entry.Name, CatalogJson.Entry(entry));
                Console.WriteLine($"added {TerminalText.Escape(entry.Name)} ({entry.Identity.World}: {TerminalText.Escape(entry.Identity.WorldReason)})");
            }

            return 0;
        });
        return command;
    }
}
