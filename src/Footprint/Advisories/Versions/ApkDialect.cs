namespace Footprint.Advisories.Versions;

/// <summary>
/// Which apk-tools generation's version rules to apply. They agree on every well-formed version Alpine ships; they
/// differ on corner cases, listed in <see cref="ApkDialectDifferences"/> and pinned by the tests with the exact pairs.
/// </summary>
public enum ApkDialect
{
    /// <summary>apk-tools 2.10 (Alpine 3.8 to 3.12): the old tokenizer with its leading-zero rule.</summary>
    Apk2_10,

    /// <summary>apk-tools 2.12.12 to 2.14 (Alpine 3.13 to 3.22): the rewritten tokenizer, the default.</summary>
    Apk2_14,

    /// <summary>apk-tools 3: adds the <c>~hash</c> component and rejects empty numbers and suffixes.</summary>
    Apk3,
}
