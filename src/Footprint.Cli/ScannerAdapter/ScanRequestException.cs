namespace Footprint.Cli.ScannerAdapter;

/// <summary>A scan request the adapter refuses: the HTTP status to answer with and a message that never quotes the authorization.</summary>
internal sealed class ScanRequestException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
