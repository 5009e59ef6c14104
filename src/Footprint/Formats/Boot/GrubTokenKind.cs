namespace Footprint.Formats.Boot;

internal enum GrubTokenKind
{
    Word,
    Separator,
    Open,
    Close,
}
