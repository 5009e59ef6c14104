namespace Footprint.Advisories.Vex;

/// <summary>
/// One statement of a VEX document or ignore list: these vulnerabilities, in these products, have this status.
/// </summary>
/// <param name="Vulnerabilities">The vulnerability's id and its aliases; a finding matches when its id or one of its aliases is here.</param>
/// <param name="Products">The packages it is about; empty with <paramref name="AllPackages"/> for an unscoped ignore-list line.</param>
/// <param name="AllPackages">True for an ignore-list line with no scope: every package with the vulnerability.</param>
/// <param name="Status">
/// As the document says it: OpenVEX "not_affected", "affected", "fixed", "under_investigation"; CycloneDX
/// "not_affected", "false_positive", "resolved", "resolved_with_pedigree", "exploitable", "in_triage"; "ignored" for
/// an ignore list.
/// </param>
/// <param name="Justification">The document's justification (OpenVEX or CycloneDX vocabulary), when it gives one.</param>
/// <param name="Detail">The impact statement, status notes or analysis detail (an ignore list's # comment), when given.</param>
/// <param name="File">The file the statement was read from.</param>
/// <param name="Location">Where in it: a JSON path (<c>$.statements[2]</c>) or a line (<c>line 7</c>).</param>
/// <param name="Expires">The ignore-list line's <c>exp:</c> date: from that day on the line no longer applies.</param>
public sealed record VexStatement(
    IReadOnlyList<string> Vulnerabilities,
    IReadOnlyList<VexProduct> Products,
    bool AllPackages,
    string Status,
    string? Justification,
    string? Detail,
    string File,
    string Location,
    DateOnly? Expires = null)
{
    /// <summary>
    /// Whether a matching finding is suppressed: the product is not affected (not_affected, false_positive), carries
    /// the fix (resolved, resolved_with_pedigree, OpenVEX fixed), or the user ignores it. Affected, exploitable,
    /// under_investigation and in_triage keep the finding.
    /// </summary>
    public bool Suppresses => Status is "not_affected" or "false_positive" or "resolved" or "resolved_with_pedigree" or "fixed" or "ignored";
}
