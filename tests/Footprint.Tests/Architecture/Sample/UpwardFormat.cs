namespace Footprint.Tests.Architecture.Sample.Formats;

/// <summary>A bottom-room type that reaches up on purpose (see RoomLayeringTests): the check must catch it.</summary>
public static class UpwardFormat
{
    public static int Describe() => Reports.SampleReport.Length();
}
