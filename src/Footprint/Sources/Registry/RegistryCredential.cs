namespace Footprint.Sources.Registry;

/// <summary>
/// A user name and secret for one registry. <see cref="ToString"/> never shows the secret (nor the user), so a
/// credential that reaches a log line or an exception message by mistake leaks nothing.
/// </summary>
public sealed class RegistryCredential
{
    public RegistryCredential(string username, string secret)
    {
        Username = username;
        Secret = secret;
    }

    public string Username { get; }

    public string Secret { get; }

    /// <summary>
    /// True for an identity (OAuth2 refresh) token, as `docker login` stores for some registries: the docker config's
    /// `identitytoken`, or a credential helper's answer with the user name "&lt;token&gt;". It is traded at the token
    /// endpoint (POST, grant_type=refresh_token) for an access token and never sent as Basic credentials.
    /// </summary>
    public bool IsIdentityToken => Username == IdentityTokenUser;

    /// <summary>The user name docker's credential helpers give an identity token.</summary>
    public const string IdentityTokenUser = "<token>";

    /// <summary>An identity (refresh) token.</summary>
    public static RegistryCredential IdentityToken(string token) => new(IdentityTokenUser, token);

    /// <summary>"user:pass" as `--creds` takes it (the first ':' splits; a password may hold more).</summary>
    public static RegistryCredential Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            // The text is a secret: the message must not quote it.
            throw new ArgumentException("--creds expects USER:PASSWORD");
        }

        return new RegistryCredential(text[..colon], text[(colon + 1)..]);
    }

    /// <summary>The value of an `Authorization: Basic` header (RFC 7617).</summary>
    public string BasicHeaderValue() => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Username + ":" + Secret));

    public override string ToString() => "(credentials hidden)";
}
