namespace Footprint.Analyzers.Binaries;

/// <summary>BusyBox as scripts meet it.</summary>
/// <param name="Version">From the binary's banner.</param>
/// <param name="Path">The BusyBox binary.</param>
/// <param name="Applets">Links (symbolic and hard) to it.</param>
/// <param name="AppletCommands">Common commands that, looked up in PATH order, resolve to BusyBox.</param>
/// <param name="OtherCommands">Common commands that resolve to another program (GNU coreutils, util-linux...).</param>
public sealed record BusyBoxReport(string Version, string Path, int Applets, IReadOnlyList<string> AppletCommands, IReadOnlyList<string> OtherCommands);
