using ArchUnitNET.Domain;
using ArchUnitNET.Loader;
using Footprint.Analyzers;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace Footprint.Tests.Architecture;

/// <summary>
/// The rooms of the library stack without cycles (docs/analyzers.md, DESIGN.md): Formats at the bottom, then
/// FileSystem, Walk, Sources, Analyzers, Measures, Pipeline, Reports; a type may use its own room and the rooms below,
/// never one above. Store is a side room: it may use the bottom three rooms only, and none of them may use it.
/// Advisories (feeds, versions, the advisory database) is a side room too: it may use Formats only, and only
/// Analyzers and the rooms above may use it.
/// </summary>
public sealed class RoomLayeringTests
{
    /// <summary>Bottom to top.</summary>
    public static readonly string[] Rooms = ["Formats", "FileSystem", "Walk", "Sources", "Analyzers", "Measures", "Pipeline", "Reports"];

    // Lazy: xunit reads UpwardPairs (and so this type's static fields) while it discovers the tests, alone, before any
    // test runs; loading the two architectures there made the discovery of the whole suite seconds longer.
    private static readonly Lazy<ArchUnitNET.Domain.Architecture> LibraryLoad = new(() => new ArchLoader().LoadAssemblies(typeof(IProducer).Assembly).Build());

    // Only the sample house's two rooms of the test assembly: loading all of it (2,000-odd tests) took most of the time.
    private static readonly Lazy<ArchUnitNET.Domain.Architecture> TestsLoad = new(() => new ArchLoader()
        .LoadNamespacesWithinAssembly(typeof(RoomLayeringTests).Assembly, "Footprint.Tests.Architecture.Sample.Formats", "Footprint.Tests.Architecture.Sample.Reports").Build());

    private static ArchUnitNET.Domain.Architecture Library => LibraryLoad.Value;

    private static ArchUnitNET.Domain.Architecture Tests => TestsLoad.Value;

    public static TheoryData<string, string> UpwardPairs()
    {
        var data = new TheoryData<string, string>();
        for (var low = 0; low < Rooms.Length; low++)
        {
            for (var high = low + 1; high < Rooms.Length; high++)
            {
                data.Add(Rooms[low], Rooms[high]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(UpwardPairs))]
    public void Should_not_reference_a_room_above(string lower, string upper)
    {
        var violations = Upward(Library, "Footprint", lower, upper);
        Assert.True(violations.Count == 0, $"{lower} must not use {upper}:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Should_keep_the_store_a_side_room()
    {
        foreach (var room in Rooms.Skip(3))
        {
            var violations = Upward(Library, "Footprint", "Store", room);
            Assert.True(violations.Count == 0, $"Store must not use {room}:\n" + string.Join("\n", violations));
        }

        foreach (var room in Rooms.Take(3))
        {
            var violations = Upward(Library, "Footprint", room, "Store");
            Assert.True(violations.Count == 0, $"{room} must not use Store:\n" + string.Join("\n", violations));
        }
    }

    [Fact]
    public void Should_keep_the_advisories_a_side_room()
    {
        foreach (var room in Rooms.Skip(1).Append("Store"))
        {
            var violations = Upward(Library, "Footprint", "Advisories", room);
            Assert.True(violations.Count == 0, $"Advisories must not use {room}:\n" + string.Join("\n", violations));
        }

        foreach (var room in Rooms.Take(4).Append("Store"))
        {
            var violations = Upward(Library, "Footprint", room, "Advisories");
            Assert.True(violations.Count == 0, $"{room} must not use Advisories:\n" + string.Join("\n", violations));
        }
    }

    [Fact]
    public void Should_see_every_room_in_the_library()
    {
        // A renamed room would make every rule above pass vacuously.
        foreach (var room in Rooms.Append("Store").Append("Advisories"))
        {
            Assert.Contains(Library.Types, t => InRoom(t, "Footprint", room));
        }
    }

    [Fact]
    public void Should_report_a_deliberately_added_upward_reference()
    {
        // Tests/Architecture/Sample holds a two-room house whose lower room uses the upper one on purpose: the same
        // check that guards the library must name that reference, or it could not fail.
        var violations = Upward(Tests, "Footprint.Tests.Architecture.Sample", "Formats", "Reports");
        Assert.Contains(violations, v => v.Contains("UpwardFormat", StringComparison.Ordinal) && v.Contains("SampleReport", StringComparison.Ordinal));
        Assert.Empty(Upward(Tests, "Footprint.Tests.Architecture.Sample", "Reports", "Formats"));
    }

    /// <summary>Every dependency from a type of the lower room on a type of the upper room, as "A -> B" lines.</summary>
    public static List<string> Upward(ArchUnitNET.Domain.Architecture architecture, string root, string lower, string upper)
    {
        var rule = Types().That().ResideInNamespaceMatching(Pattern(root, lower))
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(Pattern(root, upper))
            .WithoutRequiringPositiveResults();
        return rule.Evaluate(architecture).Where(r => !r.Passed).Select(r => r.Description).ToList();
    }

    private static string Pattern(string root, string room) => "^" + System.Text.RegularExpressions.Regex.Escape(root + "." + room) + @"(\..*)?$";

    private static bool InRoom(IType type, string root, string room)
        => type.Namespace.FullName == root + "." + room || type.Namespace.FullName.StartsWith(root + "." + room + ".", StringComparison.Ordinal);
}
