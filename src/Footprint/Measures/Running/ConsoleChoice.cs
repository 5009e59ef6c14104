namespace Footprint.Measures.Running;

/// <summary>Which console route the user asked for (`footprint boot --console`).</summary>
public enum ConsoleChoice
{
    /// <summary>
    /// Footprint decides: the VGA screen for a kernel without the 8250 serial driver, or for an init whose only
    /// logins are on virtual terminals (its /etc/inittab in the initrd); the serial console otherwise.
    /// </summary>
    Auto,

    /// <summary>The serial console, whatever the kernel and init say.</summary>
    Serial,

    /// <summary>The VGA text screen, whatever the kernel and init say.</summary>
    Vga,
}
