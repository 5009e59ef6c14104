using System.CommandLine;
using Footprint.Sources.Registry;

namespace Footprint.Cli.Commands;

/// <summary>`--creds USER:PASS` and `--insecure-registry HOST`, for commands that may read an image from a registry.</summary>
internal sealed class RegistryCliOptions
{
    private readonly Option<string?> _creds = new("--creds")
    {
        Description = "USER:PASSWORD for the registry (default: ~/.docker/config.json auths, credHelpers, credsStore; else anonymous)",
    };

    private readonly Option<string[]> _insecure = new("--insecure-registry")
    {
        Description = "Speak plain HTTP to HOST[:PORT] (localhost and 127.0.0.1 always are)",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option[] Options => [_creds, _insecure];

    public RegistryOptions Read(ParseResult parse, IProgress<BlobProgress>? progress = null) => new()
    {
        Credential = parse.GetValue(_creds) is { } creds ? RegistryCredential.Parse(creds) : null,
        InsecureRegistries = parse.GetValue(_insecure) ?? [],
        Progress = progress,
    };
}
