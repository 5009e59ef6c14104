namespace Footprint.Sources.Registry;

/// <summary>
/// A registry could not be used: unreachable, refused the request, needs credentials. An <see cref="IOException"/>,
/// so the CLI reports it on one line with exit code 2. Messages name the reference and never any credential.
/// </summary>
public sealed class RegistryException : IOException
{
    public RegistryException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
