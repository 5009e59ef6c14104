namespace Footprint.Tests.Architecture.Sample.Reports;

/// <summary>The top-room type <see cref="Formats.UpwardFormat"/> wrongly uses.</summary>
public static class SampleReport
{
    public const string Title = "sample";

    public static int Length() => Title.Length;
}
