using System.CommandLine;
using Footprint.Sources.Registry;

namespace Footprint.Cli.Commands;

/// <summary>
/// `--creds USER:PASS`, `--creds-file FILE`, the FOOTPRINT_REGISTRY_CREDS variable and `--insecure-registry HOST`, for
/// commands that may read an image from a registry. A password on the command line is visible to every user of the
/// machine (`ps`, /proc/PID/cmdline): `--creds` still works, with a warning; a file or the environment does not leak so.
/// </summary>
internal sealed class RegistryCliOptions
{
    /// <summary>USER:PASSWORD in the environment: read by every command that reads images, when neither option is given.</summary>
    public const string CredentialsVariable = "FOOTPRINT_REGISTRY_CREDS";

    /// <summary>A credentials file holds one line; a larger file is refused before it is read.</summary>
    public const int MaxCredentialsFileBytes = 64 * 1024;

    private readonly Option<string?> _creds = new("--creds")
    {
        Description = "USER:PASSWORD for the registry (visible to other users in `ps`: prefer --creds-file or " + CredentialsVariable
            + "; default: ~/.docker/config.json auths, credHelpers, credsStore; else anonymous)",
    };

    private readonly Option<string?> _credsFile = new("--creds-file")
    {
        Description = "Read USER:PASSWORD for the registry from the first line of FILE (- for standard input)",
    };

    private readonly Option<string[]> _insecure = new("--insecure-registry")
    {
        Description = "Speak plain HTTP to HOST[:PORT] (localhost and 127.0.0.1 always are)",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
    };

    private bool _warned;

    private readonly Option<bool> _keepBlobs = new("--keep-blobs")
    {
        Description = "Keep the registry blobs fetched (whole and verified) in the cache directory's blobs/, and read them from there next time (verified again); blobs are never kept otherwise",
    };

    public Option[] Options => [_creds, _credsFile, _insecure, _keepBlobs];

    public RegistryOptions Read(ParseResult parse, IProgress<BlobProgress>? progress = null) => new()
    {
        Credential = Credential(parse),
        InsecureRegistries = parse.GetValue(_insecure) ?? [],
        Progress = progress,
        KeptBlobs = parse.GetValue(_keepBlobs) && CacheOptions.Directory(parse) is { } cache ? Path.Combine(cache, "blobs") : null,
    };

    /// <summary>--creds, else --creds-file, else FOOTPRINT_REGISTRY_CREDS, else none (the docker config decides later).</summary>
    private RegistryCredential? Credential(ParseResult parse)
    {
        var inline = parse.GetValue(_creds);
        var file = parse.GetValue(_credsFile);
        if (inline is not null && file is not null)
        {
            throw new ArgumentException("--creds and --creds-file both give the registry credentials: pass one");
        }

        if (inline is not null)
        {
            if (!_warned)
            {
                _warned = true;
                // Never the value: the warning is about where it is, and stderr may be a shared log.
                Console.Error.WriteLine($"footprint: warning: --creds puts the password on the command line, where any user of this machine can read it (ps); use --creds-file FILE or {CredentialsVariable}");
            }

            return RegistryCredential.Parse(inline);
        }

        if (file is not null)
        {
            return FromFile(file);
        }

        return Environment.GetEnvironmentVariable(CredentialsVariable) is { Length: > 0 } variable
            ? Parse(variable.TrimEnd('\r', '\n'), CredentialsVariable)
            : null;
    }

    /// <summary>The first line of <paramref name="path"/>, trailing CR/LF removed; no error message quotes the file's content.</summary>
    internal static RegistryCredential FromFile(string path)
    {
        using var stream = path == "-" ? Console.OpenStandardInput() : File.OpenRead(path);
        var buffer = new byte[MaxCredentialsFileBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        if (length > MaxCredentialsFileBytes)
        {
            throw new ArgumentException($"--creds-file {path}: more than {MaxCredentialsFileBytes} bytes; it holds one line, USER:PASSWORD");
        }

        var text = System.Text.Encoding.UTF8.GetString(buffer, 0, length);
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return Parse((newline < 0 ? text : text[..newline]).TrimEnd('\r'), $"--creds-file {path}");
    }

    private static RegistryCredential Parse(string text, string where)
    {
        try
        {
            return RegistryCredential.Parse(text);
        }
        catch (ArgumentException)
        {
            // RegistryCredential's message names --creds; this one names where the text came from, never the text.
            throw new ArgumentException($"{where}: expected USER:PASSWORD");
        }
    }
}
