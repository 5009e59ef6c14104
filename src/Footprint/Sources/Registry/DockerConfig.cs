using System.Diagnostics;
using System.Text;
using Footprint.Formats;
using Footprint.Sources.Image;

namespace Footprint.Sources.Registry;

/// <summary>
/// Credentials from Docker's client config (docker/cli config/configfile): `credHelpers` (a helper per registry),
/// then `credsStore` (one helper for all), then `auths` ("auth" is base64 of "user:password"). Helpers are run as
/// `docker-credential-NAME get` with the server URL on standard input and answer {"Username","Secret"} (the
/// docker-credential-helpers protocol). Docker Hub's entry is keyed "https://index.docker.io/v1/".
/// </summary>
internal static class DockerConfig
{
    /// <summary>A config larger than this is refused (real ones are a few KiB).</summary>
    public const long MaxConfigBytes = 4L << 20;

    /// <summary>What a credential helper may print.</summary>
    public const int MaxHelperOutputBytes = 64 << 10;

    private const string DockerHubKey = "https://index.docker.io/v1/";

    private static readonly TimeSpan HelperTimeout = TimeSpan.FromSeconds(30);

    /// <summary>$DOCKER_CONFIG/config.json, else ~/.docker/config.json.</summary>
    public static string? DefaultPath()
    {
        var dir = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        if (string.IsNullOrEmpty(dir))
        {
            var home = Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home))
            {
                return null;
            }

            dir = Path.Combine(home, ".docker");
        }

        return Path.Combine(dir, "config.json");
    }

    /// <summary>The credential the config gives for <paramref name="registry"/> (as in a reference), or null.</summary>
    public static RegistryCredential? Find(string? path, string registry)
    {
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        var length = new FileInfo(path).Length;
        if (length > MaxConfigBytes)
        {
            throw new FootprintFormatException(path, null, $"{length} bytes, more than the {MaxConfigBytes} accepted for a docker config");
        }

        using var doc = JsonFields.Parse(File.ReadAllBytes(path), path);
        var root = JsonFields.Root(doc, path).AsObject();
        if (root.OptionalObject("credHelpers") is { } helpers)
        {
            foreach (var (key, value) in helpers.Properties())
            {
                if (Matches(key, registry))
                {
                    return FromHelper(value.AsString(), registry, path);
                }
            }
        }

        if (root.OptionalString("credsStore") is { Length: > 0 } store)
        {
            if (FromHelper(store, registry, path) is { } stored)
            {
                return stored;
            }
        }

        if (root.OptionalObject("auths") is { } auths)
        {
            foreach (var (key, value) in auths.Properties())
            {
                if (Matches(key, registry))
                {
                    return FromAuth(value.AsObject());
                }
            }
        }

        return null;
    }

    /// <summary>An `auths` key ("https://index.docker.io/v1/", "registry.example:5000", "http://localhost:5000/v2/") names <paramref name="registry"/>.</summary>
    internal static bool Matches(string key, string registry)
    {
        var host = key;
        foreach (var scheme in new[] { "https://", "http://" })
        {
            if (host.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                host = host[scheme.Length..];
            }
        }

        var slash = host.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            host = host[..slash];
        }

        return string.Equals(Hub(host), Hub(registry), StringComparison.OrdinalIgnoreCase);
    }

    private static string Hub(string host)
        => host is "index.docker.io" or "registry-1.docker.io" or ImageReference.DockerHub ? ImageReference.DockerHub : host;

    private static RegistryCredential? FromAuth(JsonFields entry)
    {
        // `docker login` to an OAuth2 registry stores an identity (refresh) token instead of a password.
        if (entry.OptionalString("identitytoken") is { Length: > 0 } identity)
        {
            return RegistryCredential.IdentityToken(identity);
        }

        if (entry.OptionalString("auth") is { Length: > 0 } auth)
        {
            byte[] decoded;
            try
            {
                decoded = Convert.FromBase64String(auth);
            }
            catch (FormatException)
            {
                throw entry.Error("auth: not base64");
            }

            var text = Encoding.UTF8.GetString(decoded);
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 ? new RegistryCredential(text[..colon], text[(colon + 1)..]) : throw entry.Error("auth: not base64 of USER:PASSWORD");
        }

        return entry.OptionalString("username") is { Length: > 0 } user && entry.OptionalString("password") is { } password
            ? new RegistryCredential(user, password)
            : null;
    }

    /// <summary>Runs docker-credential-<paramref name="helper"/>; a helper that has nothing for the server gives null.</summary>
    private static RegistryCredential? FromHelper(string helper, string registry, string configPath)
    {
        if (helper.Length == 0 || !helper.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new FootprintFormatException(configPath, null, "a credential helper name must be letters, digits, '-', '_' or '.'");
        }

        var program = "docker-credential-" + helper;
        var psi = new ProcessStartInfo(program, "get")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process? process;
        try
        {
            process = Process.Start(psi);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new RegistryException($"{configPath} names the credential helper {program}, which cannot be run: {e.Message}", e);
        }

        using (process)
        {
            if (process is null)
            {
                return null;
            }

            process.StandardInput.Write(registry == ImageReference.DockerHub ? DockerHubKey : registry);
            process.StandardInput.Close();
            var stderr = process.StandardError.ReadToEndAsync();
            var buffer = new char[MaxHelperOutputBytes + 1];
            var n = process.StandardOutput.ReadBlock(buffer, 0, buffer.Length);
            if (!process.WaitForExit(HelperTimeout))
            {
                process.Kill();
                throw new RegistryException($"{program} get did not finish within {HelperTimeout.TotalSeconds} seconds");
            }

            _ = stderr.Result;
            if (process.ExitCode != 0)
            {
                // "credentials not found in native keychain": anonymous access, as docker does. The helper's own
                // output is not quoted: it may hold the secret.
                return null;
            }

            if (n > MaxHelperOutputBytes)
            {
                throw new RegistryException($"{program} get printed more than {MaxHelperOutputBytes} bytes");
            }

            var source = $"{program} output";
            using var doc = JsonFields.Parse(Encoding.UTF8.GetBytes(buffer, 0, n), source);
            var root = JsonFields.Root(doc, source).AsObject();
            var user = root.OptionalString("Username");
            var secret = root.OptionalString("Secret");
            if (user is null || secret is null)
            {
                return null;
            }

            // "<token>" marks an identity (refresh) token: RegistryCredential.IsIdentityToken.
            return new RegistryCredential(user, secret);
        }
    }
}
