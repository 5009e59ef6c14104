namespace Footprint.Cli.ScannerAdapter;

/// <summary>
/// One accepted scan request. <see cref="Authorization"/> is the registry's Authorization header value from Harbor:
/// used for the pull only, never written to a log or an error, and hidden from <see cref="ToString"/>.
/// </summary>
internal sealed record ScanJob(string Id, string RegistryUrl, string? Authorization, string Repository, string Digest, string? Tag, string MimeType)
{
    public override string ToString() => $"scan {Id} of {Repository}@{Digest}";
}
