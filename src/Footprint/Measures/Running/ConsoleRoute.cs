namespace Footprint.Measures.Running;

/// <summary>How Footprint reads and types on the guest's console.</summary>
public enum ConsoleRoute
{
    /// <summary>The first serial port (ttyS0), over QEMU's stdio: the kernel is told console=ttyS0,115200.</summary>
    Serial,

    /// <summary>
    /// The VGA text screen, read from guest memory at 0xB8000 over QMP (pmemsave) and typed on with QMP send-key: for
    /// kernels built without a serial driver.
    /// </summary>
    VgaText,
}
