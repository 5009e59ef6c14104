using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Footprint.Reports.CycloneDx;
using Footprint.Reports.Json;
using Footprint.Reports.Sbom;
using Footprint.Reports.Spdx;

namespace Footprint.Cli.ScannerAdapter;

/// <summary>
/// The Harbor Pluggable Scanner Adapter API v1.2 over HTTP (docs/fleet.md): metadata, scan (202 and an id, the job
/// queued), report (302 with Refresh-After until done, then the SBOM report wrapping our CycloneDX or SPDX document).
/// Written from goharbor/pluggable-scanner-spec's scanner-adapter-openapi-v1.2.yaml and data/spec/SBOM.md.
/// </summary>
internal sealed class AdapterServer(IScanQueue queue, IScanStore store, bool vulnerabilities)
{
    /// <summary>Seconds Harbor is asked to wait before polling a report again.</summary>
    public const int RefreshAfterSeconds = 5;

    private static readonly string[] SbomMediaTypes = [AdapterMediaTypes.CycloneDx, AdapterMediaTypes.Spdx];

    public async Task ServeAsync(HttpListener listener, CancellationToken cancel)
    {
        using var registration = cancel.Register(listener.Stop);
        while (!cancel.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Handle(context), CancellationToken.None);
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var request = context.Request;
            var path = request.Url?.AbsolutePath ?? "/";
            if (path == "/api/v1/metadata")
            {
                Only(request, "GET", () => Json(response, 200, AdapterMediaTypes.Metadata, Metadata()));
            }
            else if (path == "/api/v1/scan")
            {
                Only(request, "POST", () => Scan(request, response));
            }
            else if (path.StartsWith("/api/v1/scan/", StringComparison.Ordinal) && path.EndsWith("/report", StringComparison.Ordinal)
                && path.Length > "/api/v1/scan//report".Length)
            {
                var id = path["/api/v1/scan/".Length..^"/report".Length];
                Only(request, "GET", () => Report(request, response, Uri.UnescapeDataString(id)));
            }
            else
            {
                Error(response, 404, "no such endpoint");
            }
        }
        catch (MethodNotAllowed)
        {
            Error(response, 405, "method not allowed");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug or a store failure: the message may quote our own state, never the request's authorization (not kept here).
            Error(response, 500, $"internal error ({e.GetType().Name})");
        }
        finally
        {
            response.Close();
        }
    }

    private static void Only(HttpListenerRequest request, string method, Action handle)
    {
        if (request.HttpMethod != method)
        {
            throw new MethodNotAllowed();
        }

        handle();
    }

    private static JsonObject Scanner() => new() { ["name"] = "Footprint", ["vendor"] = "Footprint", ["version"] = Program.Tool.Version };

    private JsonObject Metadata()
    {
        var capabilities = new JsonArray(new JsonObject
        {
            ["type"] = "sbom",
            ["consumes_mime_types"] = new JsonArray(AdapterMediaTypes.OciManifest, AdapterMediaTypes.DockerManifest),
            ["produces_mime_types"] = new JsonArray(AdapterMediaTypes.SbomReport),
            ["additional_attributes"] = new JsonObject { ["sbom_media_types"] = new JsonArray(AdapterMediaTypes.Spdx, AdapterMediaTypes.CycloneDx) },
        });
        if (vulnerabilities)
        {
            // Offered only when served with an advisory database (--db): without one there is nothing to report.
            // The JsonNode overload: Add<T> needs reflection, which the native AOT build refuses.
            capabilities.Add((JsonNode)new JsonObject
            {
                ["type"] = "vulnerability",
                ["consumes_mime_types"] = new JsonArray(AdapterMediaTypes.OciManifest, AdapterMediaTypes.DockerManifest),
                ["produces_mime_types"] = new JsonArray(AdapterMediaTypes.VulnerabilityReport),
            });
        }

        return new JsonObject
        {
            ["scanner"] = Scanner(),
            ["capabilities"] = capabilities,
            ["properties"] = new JsonObject { ["harbor.scanner-adapter/scanner-type"] = vulnerabilities ? "os-package-vulnerability" : "sbom" },
        };
    }

    private void Scan(HttpListenerRequest request, HttpListenerResponse response)
    {
        if (request.ContentLength64 > ScanRequest.MaxRequestBytes)
        {
            Error(response, 400, $"a scan request is at most {ScanRequest.MaxRequestBytes} bytes");
            return;
        }

        var body = new byte[ScanRequest.MaxRequestBytes + 1];
        var length = 0;
        int read;
        while (length < body.Length && (read = request.InputStream.Read(body, length, body.Length - length)) > 0)
        {
            length += read;
        }

        ScanJob job;
        try
        {
            job = ScanRequest.Parse(body.AsSpan(0, length), Guid.NewGuid().ToString());
        }
        catch (ScanRequestException e)
        {
            Error(response, e.Status, e.Message);
            return;
        }

        var stored = new JsonObject { ["repository"] = job.Repository, ["digest"] = job.Digest, ["mime_type"] = job.MimeType };
        if (job.Tag is { } tag)
        {
            stored["tag"] = tag;
        }

        store.Accept(job, stored.ToJsonString());
        queue.Enqueue(job);
        Json(response, 202, AdapterMediaTypes.ScanResponse, new JsonObject { ["id"] = job.Id });
    }

    private void Report(HttpListenerRequest request, HttpListenerResponse response, string id)
    {
        var accept = request.Headers["Accept"];
        var wantsVulnerabilities = vulnerabilities && Accepts(accept, AdapterMediaTypes.VulnerabilityReport);
        if (!wantsVulnerabilities && !string.IsNullOrEmpty(accept) && !accept.Contains("*/*", StringComparison.Ordinal) && !Accepts(accept, AdapterMediaTypes.SbomReport))
        {
            Error(response, 501, $"no report of type {accept}: this scanner produces {AdapterMediaTypes.SbomReport}" + (vulnerabilities ? $" and {AdapterMediaTypes.VulnerabilityReport}" : string.Empty));
            return;
        }

        var sbomType = request.QueryString["sbom_media_type"];
        if (!wantsVulnerabilities && (sbomType is null || !SbomMediaTypes.Contains(sbomType)))
        {
            Error(response, 400, $"sbom_media_type must be {AdapterMediaTypes.Spdx} or {AdapterMediaTypes.CycloneDx}");
            return;
        }

        if (store.Find(id) is not { } scan)
        {
            Error(response, 404, "no such scan request");
            return;
        }

        switch (scan.State)
        {
            case "failed":
                Error(response, 500, scan.Error ?? "the scan failed");
                return;
            case "done" when scan.Report is { } stored:
                var report = JsonReportWriter.Read(stored) ?? throw new InvalidDataException("stored report is empty");
                var generatedAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
                if (wantsVulnerabilities)
                {
                    var section = report.Artifacts[0].Vulnerabilities ?? throw new InvalidDataException("the stored scan has no vulnerabilities section");
                    Json(response, 200, AdapterMediaTypes.VulnerabilityReport, HarborVulnerabilities.Map(section, JsonNode.Parse(scan.Artifact)!, Scanner(), generatedAt));
                    return;
                }

                var options = SbomOptions.FromEnvironment(Program.Tool.Version);
                var sbom = sbomType == AdapterMediaTypes.Spdx ? SpdxWriter.ToJson(report, options) : CycloneDxWriter.ToJson(report, options);
                Json(response, 200, AdapterMediaTypes.SbomReport, new JsonObject
                {
                    ["generated_at"] = generatedAt,
                    ["artifact"] = JsonNode.Parse(scan.Artifact),
                    ["scanner"] = Scanner(),
                    ["vendor_attributes"] = new JsonObject(),
                    ["media_type"] = sbomType,
                    ["sbom"] = JsonNode.Parse(sbom),
                });
                return;
            default:
                // Not ready: the spec's 302 with Refresh-After, and no Location (the same URL is polled again).
                response.StatusCode = 302;
                response.Headers["Refresh-After"] = RefreshAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return;
        }
    }

    /// <summary>Whether an Accept value names the media type (parameters compared without spaces: "report; version=1.1").</summary>
    private static bool Accepts(string? accept, string mediaType)
        => accept is not null && accept.Replace(" ", string.Empty, StringComparison.Ordinal)
            .Contains(mediaType.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

    private static void Json(HttpListenerResponse response, int status, string mediaType, JsonNode body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        response.StatusCode = status;
        response.ContentType = mediaType;
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
    }

    private static void Error(HttpListenerResponse response, int status, string message)
        => Json(response, status, AdapterMediaTypes.Error, new JsonObject { ["error"] = new JsonObject { ["message"] = message } });

    private sealed class MethodNotAllowed : Exception;
}
