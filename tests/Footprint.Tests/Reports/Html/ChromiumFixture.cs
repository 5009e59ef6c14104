using Microsoft.Playwright;

namespace Footprint.Tests.Reports.Html;

/// <summary>
/// One headless Chromium for a test class: Debian's `chromium` package (installed by test.sh), driven by
/// Microsoft.Playwright through its executable path; Playwright's own browser downloads are never used.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: test.sh installs Debian's chromium package");
        }

        _playwright = await Playwright.CreateAsync();
        // --no-sandbox: the tests run as root in a container, where Chromium's sandbox cannot start.
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Executable, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
