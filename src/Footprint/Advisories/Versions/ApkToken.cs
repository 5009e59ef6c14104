namespace Footprint.Advisories.Versions;

/// <summary>
/// The components of an apk version in the order they may appear (apk-tools 2.12+ src/version.c:
/// <c>digit{.digit}...{letter}{_suf{#}}...{~hash}{-r#}</c>). The order matters: when two versions agree up to the
/// point where one has a component and the other has another (or ends), the one whose next component comes earlier
/// in this list is the greater, except a pre-release suffix. <see cref="Invalid"/> sorts after <see cref="End"/>, so
/// an invalid tail makes a version the smaller one.
/// </summary>
internal enum ApkToken
{
    InitialDigit,
    Digit,
    Letter,
    Suffix,
    SuffixNumber,
    CommitHash,
    Revision,
    End,
    Invalid,
}
