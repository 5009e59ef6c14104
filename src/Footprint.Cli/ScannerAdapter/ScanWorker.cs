using System.Text;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Reports.Json;
using Footprint.Sources.Registry;
using Footprint.Store;

namespace Footprint.Cli.ScannerAdapter;

/// <summary>Takes jobs from the queue, pulls and measures each image, stores the report or a message without credentials.</summary>
internal sealed class ScanWorker(InProcessScanQueue queue, ScanStore store, LayerCache? cache, string? advisoryDatabase)
{
    public async Task RunAsync(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            ScanJob job;
            try
            {
                job = await queue.DequeueAsync(cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                var report = await Task.Run(() => Measure(job), cancel).ConfigureAwait(false);
                store.Complete(job.Id, Encoding.UTF8.GetBytes(JsonReportWriter.ToJson(new Report { Tool = Program.Tool, Artifacts = [report] })));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                store.Fail(job.Id, Hide(e.Message, job.Authorization));
            }
        }
    }

    private ArtifactReport Measure(ScanJob job)
    {
        var url = new Uri(job.RegistryUrl);
        var host = url.IsDefaultPort ? url.Host : $"{url.Host}:{url.Port}";
        var options = new MeasureOptions
        {
            LayerCache = cache,
            MeasurePushSize = false,
            AdvisoryDatabase = advisoryDatabase,
            Registry = new RegistryOptions
            {
                Credential = Credential(job.Authorization),
                InsecureRegistries = url.Scheme == Uri.UriSchemeHttp ? [host] : [],
                // Never the serving user's ~/.docker/config.json: Harbor's authorization is the only credential.
                DockerConfigPath = "/nonexistent/footprint-serve-has-no-docker-config",
            },
        };
        return ReportAssembler.Measure($"docker://{host}/{job.Repository}@{job.Digest}", options);
    }

    /// <summary>Harbor's robot account comes as `Basic base64(user:secret)`; a Bearer value is not supported yet (docs/fleet.md).</summary>
    private static RegistryCredential? Credential(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            return null;
        }

        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return RegistryCredential.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim())));
            }
            catch (FormatException)
            {
                throw new ArgumentException("the scan request's registry authorization is not valid Basic credentials");
            }
        }

        throw new ArgumentException("the scan request's registry authorization is not of the Basic scheme (the only one supported)");
    }

    /// <summary>A message with any trace of the authorization value (raw, or the secret it decodes to) replaced.</summary>
    internal static string Hide(string message, string? authorization)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            return message;
        }

        var hidden = message.Replace(authorization, "(credentials hidden)", StringComparison.Ordinal);
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0 && space + 1 < authorization.Length)
        {
            var token = authorization[(space + 1)..].Trim();
            hidden = hidden.Replace(token, "(credentials hidden)", StringComparison.Ordinal);
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(token));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon >= 0 && colon + 1 < decoded.Length)
                {
                    hidden = hidden.Replace(decoded[(colon + 1)..], "(credentials hidden)", StringComparison.Ordinal);
                }
            }
            catch (FormatException)
            {
            }
        }

        return hidden;
    }
}
