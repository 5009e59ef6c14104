using System.CommandLine;
using System.Reflection;
using Footprint.Cli.Commands;
using Footprint.Reports;

namespace Footprint.Cli;

/// <summary>The `footprint` command. Only this project touches the console.</summary>
public static class Program
{
    internal static readonly ToolInfo Tool = new("footprint",
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    /// <summary>Usage error, or an artifact that cannot be read.</summary>
    public const int ErrorExitCode = 2;

    public static int Main(string[] args)
    {
        var root = new RootCommand("Footprint: the real size and exposure of a Linux system (container image, rootfs, firmware, live image, this machine)");
        root.Subcommands.Add(MeasureCommand.Create());
        root.Subcommands.Add(InventoryCommand.Create());
        root.Subcommands.Add(SbomCommand.Create());
        root.Subcommands.Add(LintCommand.Create());
        root.Subcommands.Add(SurfaceCommand.Create());
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0 && parse.CommandResult.Command.Name == "lint")
            {
                // lint's contract: 1 means "findings", so a usage error must be something else.
                foreach (var error in parse.Errors)
                {
                    Console.Error.WriteLine($"footprint: error: {error.Message}");
                }

                return LintCommand.UsageExitCode;
            }

            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException or System.Text.Json.JsonException or OperationCanceledException)
        {
            // Exit codes: 0 success, 1 findings or a gate tripped, 2 usage error or an artifact that cannot be read.
            Console.Error.WriteLine($"footprint: error: {e.Message}");
            return ErrorExitCode;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug, not bad input; still one line and exit 2, never a stack trace on the user's terminal.
            Console.Error.WriteLine($"footprint: internal error ({e.GetType().Name}): {e.Message}");
            return ErrorExitCode;
        }
    }
}
