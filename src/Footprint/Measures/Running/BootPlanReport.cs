namespace Footprint.Measures.Running;

/// <summary>The boot plan as reported: what was loaded, from where, and exactly what Footprint added.</summary>
public sealed record BootPlanReport
{
    public required string Name { get; init; }

    /// <summary>"serial" or "vga-text".</summary>
    public required string Console { get; init; }

    /// <summary>"option" (forced by --console), "kernel" (its 8250 driver, or none), "inittab" (logins only on virtual terminals) or "default".</summary>
    public string? ConsoleChosenBy { get; init; }

    /// <summary>Why this console, in words.</summary>
    public string? ConsoleReason { get; init; }

    public required string Kernel { get; init; }

    public required IReadOnlyList<string> Initrds { get; init; }

    public string? Config { get; init; }

    /// <summary>The artifact's own command line.</summary>
    public required string OwnCommandLine { get; init; }

    /// <summary>Exactly what Footprint appended.</summary>
    public required string Added { get; init; }

    public required string CommandLine { get; init; }

    /// <summary>QEMU's -drive for the medium (read-only or snapshot), or null.</summary>
    public string? Drive { get; init; }

    public required IReadOnlyList<string> Notes { get; init; }

    public static BootPlanReport Of(BootPlan plan) => new()
    {
        Name = plan.Name,
        Console = plan.Route == ConsoleRoute.Serial ? "serial" : "vga-text",
        ConsoleChosenBy = plan.ConsoleChosenBy switch
        {
            Running.ConsoleChosenBy.Option => "option",
            Running.ConsoleChosenBy.Kernel => "kernel",
            Running.ConsoleChosenBy.Inittab => "inittab",
            _ => "default",
        },
        ConsoleReason = plan.ConsoleReason,
        Kernel = plan.KernelSource,
        Initrds = plan.InitrdSources,
        Config = plan.Config,
        OwnCommandLine = plan.OwnCommandLine,
        Added = plan.Added,
        CommandLine = plan.CommandLine,
        Drive = plan.Drive,
        Notes = plan.Notes,
    };
}
