using System.Text;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Reports.Json;
using Footprint.Sources.Registry;
using Footprint.Store;

namespace Footprint.Cli.ScannerAdapter;

/// <summary>
/// Takes scans from the queue, pulls and measures each image, stores the report or a message without credentials,
/// then acknowledges it: a worker that dies before storing leaves the scan to be redelivered (docs/fleet.md).
/// </summary>
internal sealed class ScanWorker(IScanQueue queue, IScanStore store, string worker, LayerCache? cache, string? advisoryDatabase)
{
    /// <summary>
    /// Test hook: milliseconds a worker waits after it has begun a scan, so a test can kill it while it holds the scan
    /// (tests/Footprint.Tests/Cli/ScannerAdapter). Unset in production.
    /// </summary>
    public const string PauseAfterBeginVariable = "FOOTPRINT_SERVE_TEST_PAUSE_AFTER_BEGIN_MS";

    public async Task RunAsync(CancellationToken cancel)
    {
        var pause = int.TryParse(Environment.GetEnvironmentVariable(PauseAfterBeginVariable), out var ms) ? Math.Clamp(ms, 0, 600_000) : 0;
        while (!cancel.IsCancellationRequested)
        {
            QueuedScan scan;
            ScanJob job;
            try
            {
                scan = await queue.TakeAsync(cancel).ConfigureAwait(false);
                if (store.Begin(scan.ScanId, worker) is not { } begun)
                {
                    // Finished already (a redelivery of a scan whose acknowledgement was lost) or unknown: nothing to run twice.
                    queue.Acknowledge(scan);
                    continue;
                }

                job = begun;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The queue or the store is unreachable: nothing was taken for good (an unacknowledged scan is redelivered).
                await Console.Error.WriteLineAsync($"footprint: the scan queue or store failed ({e.GetType().Name}); retrying").ConfigureAwait(false);
                await Wait(cancel).ConfigureAwait(false);
                continue;
            }

            try
            {
                await Run(scan, job, pause, cancel).ConfigureAwait(false);
                queue.Acknowledge(scan);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Storing the outcome failed: the scan is not acknowledged, so it is delivered again (to any instance).
                await Console.Error.WriteLineAsync($"footprint: storing the outcome of {job} failed ({e.GetType().Name}); it will be redelivered").ConfigureAwait(false);
            }
        }
    }

    private async Task Run(QueuedScan scan, ScanJob job, int pauseMs, CancellationToken cancel)
    {
        // A long scan renews its claim so the queue does not hand it to another worker as if this one had died.
        using var renewal = queue.RenewEvery == Timeout.InfiniteTimeSpan ? null
            : new Timer(_ => Renew(scan), null, queue.RenewEvery, queue.RenewEvery);
        if (pauseMs > 0)
        {
            // The test hook: a live worker holding a scan this long keeps it (renewed); a killed one loses it.
            await Task.Delay(pauseMs, cancel).ConfigureAwait(false);
        }

        byte[] report;
        try
        {
            var measured = await Task.Run(() => Measure(job), cancel).ConfigureAwait(false);
            report = Encoding.UTF8.GetBytes(JsonReportWriter.ToJson(new Report { Tool = Program.Tool, Artifacts = [measured] }));
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            store.Fail(job.Id, Hide(e.Message, job.Authorization));
            return;
        }

        // Outside the catch: a store that fails here is not the scan's failure (the scan is redelivered instead).
        store.Complete(job.Id, report);
    }

    private void Renew(QueuedScan scan)
    {
        try
        {
            queue.Renew(scan);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A missed renewal risks a second run of the scan, never a wrong result (the first outcome stored wins).
            Console.Error.WriteLine($"footprint: renewing scan {scan.ScanId} failed ({e.GetType().Name})");
        }
    }

    private static async Task Wait(CancellationToken cancel)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
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
            Registry = Authorized(job.Authorization) with
            {
                InsecureRegistries = url.Scheme == Uri.UriSchemeHttp ? [host] : [],
                // Never the serving user's ~/.docker/config.json: Harbor's authorization is the only credential.
                DockerConfigPath = "/nonexistent/footprint-serve-has-no-docker-config",
            },
        };
        return ReportAssembler.Measure($"docker://{host}/{job.Repository}@{job.Digest}", options);
    }

    /// <summary>
    /// The registry access Harbor's authorization grants: `Basic base64(user:secret)` (a robot account) becomes a
    /// credential for the usual challenge flow; `Bearer TOKEN` (a token Harbor's token service issued for this
    /// repository) is sent as is from the first request; none is anonymous.
    /// </summary>
    internal static RegistryOptions Authorized(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            return new RegistryOptions();
        }

        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return new RegistryOptions { Credential = RegistryCredential.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()))) };
            }
            catch (FormatException)
            {
                throw new ArgumentException("the scan request's registry authorization is not valid Basic credentials");
            }
        }

        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return new RegistryOptions { BearerToken = new RegistryBearerToken(authorization[7..].Trim()) };
        }

        throw new ArgumentException("the scan request's registry authorization is neither of the Basic nor of the Bearer scheme");
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
