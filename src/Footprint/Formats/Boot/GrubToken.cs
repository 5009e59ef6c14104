namespace Footprint.Formats.Boot;

/// <summary>One token of a GRUB script: a word (quotes removed), a command separator (newline or ';'), or a brace.</summary>
internal readonly record struct GrubToken(GrubTokenKind Kind, string Text, int Offset);
