namespace Footprint.Cli.ScannerAdapter;

/// <summary>The media types of the Harbor Pluggable Scanner Adapter API v1.2 (goharbor/pluggable-scanner-spec, scanner-adapter-openapi-v1.2.yaml).</summary>
internal static class AdapterMediaTypes
{
    public const string Metadata = "application/vnd.scanner.adapter.metadata+json; version=1.1";
    public const string ScanResponse = "application/vnd.scanner.adapter.scan.response+json; version=1.0";
    public const string Error = "application/vnd.scanner.adapter.error+json; version=1.0";
    public const string SbomReport = "application/vnd.security.sbom.report+json; version=1.0";
    public const string VulnerabilityReport = "application/vnd.security.vulnerability.report; version=1.1";
    public const string Spdx = "application/spdx+json";
    public const string CycloneDx = "application/vnd.cyclonedx+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
}
