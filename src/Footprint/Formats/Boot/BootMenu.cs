namespace Footprint.Formats.Boot;

/// <summary>
/// A parsed bootloader configuration: every bootable entry in file order and the one the loader boots when nobody
/// touches the keyboard (<see cref="Default"/>), with why it is the default.
/// </summary>
public sealed record BootMenu(string ConfigPath, string Loader, IReadOnlyList<BootMenuEntry> Entries, BootMenuEntry? Default, string DefaultReason);
