using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Reflection;
using Footprint.Cli.Commands;
using Footprint.Cli.Rendering;
using Footprint.Reports;

namespace Footprint.Cli;

/// <summary>The `footprint` command. Only this project touches the console.</summary>
public static class Program
{
    internal static readonly ToolInfo Tool = new("footprint",
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    /// <summary>Findings, or a gate tripped (lint --fail-on).</summary>
    public const int FindingsExitCode = 1;

    /// <summary>Usage error (unknown command or option, bad value), or an artifact that cannot be read.</summary>
    public const int ErrorExitCode = 2;

    public static int Main(string[] args)
    {
        var root = new RootCommand("Footprint: the real size and exposure of a Linux system (container image, rootfs, firmware, live image, this machine)");
        root.Subcommands.Add(MeasureCommand.Create());
        root.Subcommands.Add(InventoryCommand.Create());
        root.Subcommands.Add(SbomCommand.Create());
        root.Subcommands.Add(LintCommand.Create());
        root.Subcommands.Add(SurfaceCommand.Create());
        root.Subcommands.Add(HtmlReportCommand.Create());
        root.Subcommands.Add(AnalyzersCommand.Create());
        root.Subcommands.Add(VulnsCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(DiffCommand.Create());
        root.Subcommands.Add(DbCommand.Create());
        root.Subcommands.Add(CatalogCommand.Create());
        root.Subcommands.Add(ChooseCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(BootCommand.Create());
        var help = root.Options.OfType<HelpOption>().First();
        help.Action = new HelpWithExitCodes((SynchronousCommandLineAction)help.Action!);
        try
        {
            var parse = root.Parse(args.Length == 0 ? ["--help"] : args);
            if (parse.Errors.Count > 0)
            {
                // System.CommandLine exits 1 on a parse error; 1 means "findings" here (lint), so usage errors are 2.
                UsageErrors.Write(parse, Console.Error);
                return ErrorExitCode;
            }

            var code = parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
            return args.Length == 0 ? ErrorExitCode : code;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException
            or System.Text.Json.JsonException or OperationCanceledException
            or (ArgumentException and not ArgumentNullException))
        {
            // The message quotes paths and values from the artifact: escaped, like every other artifact string.
            Console.Error.WriteLine($"footprint: error: {TerminalText.Escape(e.Message)}");
            WriteStackWhenDebugging(e);
            return ErrorExitCode;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug, not bad input (a null argument is always ours); still one line and exit 2, never a stack trace on
            // the user's terminal unless they ask for it.
            Console.Error.WriteLine($"footprint: internal error ({e.GetType().Name}): {TerminalText.Escape(e.Message)}");
            WriteStackWhenDebugging(e);
            return ErrorExitCode;
        }
    }

    /// <summary>
    /// FOOTPRINT_DEBUG=1 adds the exception's whole chain and stack (escaped) under its one line: how a failure seen
    /// once in a test run (a bare "Value cannot be null." from serve's startup) can be located the next time.
    /// </summary>
    private static void WriteStackWhenDebugging(Exception e)
    {
        if (Environment.GetEnvironmentVariable("FOOTPRINT_DEBUG") == "1")
        {
            foreach (var line in e.ToString().Split('\n'))
            {
                Console.Error.WriteLine(TerminalText.Escape(line.TrimEnd('\r')));
            }
        }
    }
}
