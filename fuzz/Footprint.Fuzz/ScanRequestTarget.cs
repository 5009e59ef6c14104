using Footprint.Cli.ScannerAdapter;
using Footprint.Sources.Registry;

namespace Footprint.Fuzz;

/// <summary>
/// The body of `serve`'s POST /api/v1/scan (Harbor's ScanRequest), then what a worker does with an accepted job
/// before any network: the image reference it builds and the registry access the authorization grants. Whatever the
/// bytes: a refusal is a <see cref="ScanRequestException"/> with 400, 422 or 501 and a one-line message that never
/// quotes the authorization; an accepted job has an http(s) URL with a host, a repository, a sha256 digest of 64
/// lowercase hex digits and a scanned media type; its reference parses; its authorization maps to options or to an
/// <see cref="ArgumentException"/>.
/// </summary>
internal static class ScanRequestTarget
{
    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    internal static void Fuzz(byte[] input)
    {
        ScanJob job;
        try
        {
            job = ScanRequest.Parse(input, "fuzz");
        }
        catch (ScanRequestException e)
        {
            if (e.Status is not (400 or 422 or 501) || e.Message.Length == 0 || e.Message.Any(char.IsControl))
            {
                throw new InvalidOperationException($"refusal {e.Status} with message '{e.Message}'");
            }

            return;
        }

        if (!Uri.TryCreate(job.RegistryUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
        {
            throw new InvalidOperationException($"accepted registry URL '{job.RegistryUrl}'");
        }

        if (job.Repository.Length == 0 || job.Digest.Length != 71 || !job.Digest.StartsWith("sha256:", StringComparison.Ordinal)
            || job.Digest.AsSpan(7).ContainsAnyExcept(LowerHex)
            || job.MimeType is not ("application/vnd.oci.image.manifest.v1+json" or "application/vnd.docker.distribution.manifest.v2+json"))
        {
            throw new InvalidOperationException($"accepted {job}");
        }

        // The worker's reference (ScanWorker.Measure): parsing never throws; a repository Docker's grammar refuses is
        // a failed scan later, not a crash.
        var host = url.IsDefaultPort ? url.Host : $"{url.Host}:{url.Port}";
        _ = ImageReference.TryParse($"{host}/{job.Repository}@{job.Digest}");
        try
        {
            var options = ScanWorker.Authorized(job.Authorization);
            if (!string.IsNullOrEmpty(job.Authorization) && options.Credential is null && options.BearerToken is null)
            {
                throw new InvalidOperationException("an authorization that grants nothing was accepted");
            }
        }
        catch (ArgumentException e)
        {
            if (job.Authorization is { Length: > 8 } secret && e.Message.Contains(secret[^8..], StringComparison.Ordinal))
            {
                throw new InvalidOperationException("the authorization's refusal quotes it", e);
            }
        }
    }
}
