namespace Footprint.Sources;

/// <summary>The facts of an OCI / Docker image config that Footprint reports.</summary>
public sealed record ImageConfig
{
    public string? Os { get; init; }

    public string? Architecture { get; init; }

    public string? Variant { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    /// <summary>config.Env: "NAME=value" strings (PATH, LD_LIBRARY_PATH, LD_PRELOAD for the reachability analyzer).</summary>
    public IReadOnlyList<string> Env { get; init; } = [];

    public string? User { get; init; }

    public string? WorkingDir { get; init; }

    public IReadOnlyList<string> ExposedPorts { get; init; } = [];

    public IReadOnlyList<string> DiffIds { get; init; } = [];

    public string? Created { get; init; }

    /// <summary>
    /// Parses a config blob. Every field read is type-checked (see <see cref="Image.JsonFields"/>): absent or null
    /// fields are left empty, a field of the wrong type is an error naming <paramref name="source"/> and its JSON path.
    /// </summary>
    public static ImageConfig Parse(ReadOnlySpan<byte> json, string source)
    {
        using var doc = Image.JsonFields.Parse(json.ToArray(), source);
        var root = Image.JsonFields.Root(doc, source).AsObject();
        var config = root.OptionalObject("config");
        var diffIds = root.OptionalObject("rootfs") is { } rootfs && rootfs.Get("diff_ids") is { } ids
            ? ids.Items(Image.ImageLimits.MaxLayers).Select(DiffId).ToList()
            : [];
        return new ImageConfig
        {
            Os = root.OptionalString("os"),
            Architecture = root.OptionalString("architecture"),
            Variant = root.OptionalString("variant"),
            Created = root.OptionalString("created"),
            Entrypoint = config?.OptionalStrings("Entrypoint", Image.ImageLimits.MaxListItems),
            Cmd = config?.OptionalStrings("Cmd", Image.ImageLimits.MaxListItems),
            Env = OptionalEnv(config),
            User = config?.OptionalString("User"),
            WorkingDir = config?.OptionalString("WorkingDir"),
            ExposedPorts = config?.OptionalObject(nameof(ExposedPorts)) is { } ports
                ? ports.Properties().Take(Image.ImageLimits.MaxListItems + 1).Select(p => p.Name).Order(StringComparer.Ordinal).ToList()
                : [],
            DiffIds = diffIds,
        };
    }

    /// <summary>
    /// Env was never read before the reachability analyzer; a malformed one must not make a config that used to open
    /// fail now, so it reads as empty (the analyzer then uses the default PATH).
    /// </summary>
    private static IReadOnlyList<string> OptionalEnv(Image.JsonFields? config)
    {
        try
        {
            return config?.OptionalStrings("Env", Image.ImageLimits.MaxListItems) ?? [];
        }
        catch (Formats.FootprintFormatException)
        {
            return [];
        }
    }

    private static string DiffId(Image.JsonFields id)
    {
        var value = id.AsString();
        return Image.Digests.IsValid(value) ? value : throw id.Error("not a digest (expected sha256: and 64 lowercase hex digits)");
    }
}
