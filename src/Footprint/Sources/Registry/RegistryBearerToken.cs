namespace Footprint.Sources.Registry;

/// <summary>
/// A Bearer token obtained elsewhere (Harbor hands its scanner one per scan, already scoped to the repository), sent
/// as is to the registry: no token endpoint is asked. <see cref="ToString"/> never shows it.
/// </summary>
public sealed class RegistryBearerToken
{
    /// <summary>A token is a JWT or an opaque string of a few KiB; a longer one is refused.</summary>
    public const int MaxTokenChars = 16 * 1024;

    public RegistryBearerToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        // RFC 6750's b64token is printable ASCII without spaces; anything else could split the header it goes into.
        if (token.Length == 0 || token.Length > MaxTokenChars || !token.All(c => c is > ' ' and < (char)127))
        {
            // The text is a secret: the message must not quote it.
            throw new ArgumentException($"a Bearer token is 1 to {MaxTokenChars} printable ASCII characters without spaces");
        }

        Value = token;
    }

    public string Value { get; }

    public override string ToString() => "(credentials hidden)";
}
