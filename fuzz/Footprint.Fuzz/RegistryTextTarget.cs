using Footprint.Sources;
using Footprint.Sources.Registry;

namespace Footprint.Fuzz;

/// <summary>
/// The two texts a registry pull parses before any JSON: the image reference the user typed (Docker's grammar and
/// normalisation) and the WWW-Authenticate header a registry answers a 401 with. Input: REFERENCE '\n' HEADER.
/// Whatever the input: the reference parser never throws and a parsed reference prints to a text that parses back
/// to the same reference; the header parser throws nothing but <see cref="FormatException"/> and returns at most
/// <see cref="AuthChallenge.MaxItems"/> challenges with token schemes.
/// </summary>
internal static class RegistryTextTarget
{
    internal static void Fuzz(byte[] input)
    {
        var text = System.Text.Encoding.UTF8.GetString(input);
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        var reference = newline < 0 ? text : text[..newline];
        var header = newline < 0 ? string.Empty : text[(newline + 1)..];

        _ = ArtifactOpener.LooksLikeImageReference(reference);
        if (ImageReference.TryParse(reference) is { } parsed)
        {
            var again = ImageReference.TryParse(parsed.ToString())
                ?? throw new InvalidOperationException($"'{parsed}' (from a parsed reference) does not parse");
            if (again != parsed)
            {
                throw new InvalidOperationException($"'{parsed}' parses back to '{again}'");
            }

            if (parsed.Registry.Length == 0 || parsed.Repository.Length == 0 || (parsed.Tag is null && parsed.Digest is null))
            {
                throw new InvalidOperationException($"'{parsed}' lacks a registry, a repository or both tag and digest");
            }
        }

        try
        {
            var challenges = AuthChallenge.Parse(header);
            if (challenges.Count > AuthChallenge.MaxItems || challenges.Any(c => c.Scheme.Length == 0 || c.Parameters.Count > AuthChallenge.MaxItems))
            {
                throw new InvalidOperationException("a challenge list over its limits, or a challenge without a scheme");
            }
        }
        catch (FormatException)
        {
        }
    }
}
