using System.CommandLine;
using System.CommandLine.Invocation;

namespace Footprint.Cli.Commands;

/// <summary>The standard help of every command, followed by what the exit codes mean (the same text as docs/exit-codes.md).</summary>
internal sealed class HelpWithExitCodes(SynchronousCommandLineAction help) : SynchronousCommandLineAction
{
    public const string Text = """
        Exit codes:
          0  success
          1  findings or a gate tripped (lint --fail-on)
          2  usage error (unknown command or option, bad value) or an artifact that cannot be read
        """;

    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var code = help.Invoke(parseResult);
        parseResult.InvocationConfiguration.Output.WriteLine(Text);
        parseResult.InvocationConfiguration.Output.WriteLine();
        return code;
    }
}
