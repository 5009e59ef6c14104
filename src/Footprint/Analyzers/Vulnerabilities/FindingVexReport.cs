namespace Footprint.Analyzers.Vulnerabilities;

/// <summary>What a VEX document or ignore list given with `vulns --vex/--ignore` says about a finding (the last matching statement).</summary>
/// <param name="Status">The statement's status as written ("not_affected", "false_positive", "resolved", "fixed", "affected", "under_investigation", "ignored"...).</param>
/// <param name="Suppressed">True when the status takes the finding out of the counts and gates (not affected, false positive, resolved or fixed, ignored).</param>
/// <param name="Source">The file and where in it: "FILE $.statements[2]" or "FILE line 7".</param>
/// <param name="Justification">The statement's justification, when it gives one.</param>
/// <param name="Detail">Its impact statement, notes or analysis detail (an ignore list's comment), when it gives one.</param>
public sealed record FindingVexReport(string Status, bool Suppressed, string Source, string? Justification = null, string? Detail = null);
