namespace Footprint.Measures.Running;

/// <summary>What decided a plan's console route (reported as <c>consoleChosenBy</c>).</summary>
public enum ConsoleChosenBy
{
    /// <summary>Nothing could be read to decide: the serial console.</summary>
    Default,

    /// <summary>The kernel: the 8250 serial driver is there (serial) or not (VGA).</summary>
    Kernel,

    /// <summary>The initrd's /etc/inittab runs every login on a virtual terminal (VGA).</summary>
    Inittab,

    /// <summary>Forced by the user (`--console serial|vga`).</summary>
    Option,
}
