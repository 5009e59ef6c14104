namespace Footprint.Sources;

/// <summary>An OCI platform (os/arch[/variant]), as --platform takes it.</summary>
public sealed record Platform(string Os, string Architecture, string? Variant)
{
    public static Platform Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
        {
            throw new ArgumentException($"platform '{text}' is not os/arch[/variant]");
        }

        return new Platform(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
    }

    /// <summary>The <c>platform</c> object of an index entry (os, architecture, variant), or null when the entry has none.</summary>
    internal static Platform? OfIndexEntry(Image.JsonFields entry)
        => entry.OptionalObject("platform") is { } p
            ? new Platform(p.OptionalString("os") ?? string.Empty, p.OptionalString("architecture") ?? string.Empty, p.OptionalString("variant"))
            : null;

    /// <summary>Same os and arch; the variant must match only when both sides name one.</summary>
    public bool Matches(Platform wanted)
        => Os == wanted.Os && Architecture == wanted.Architecture
            && (Variant is null || wanted.Variant is null || Variant == wanted.Variant);

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
