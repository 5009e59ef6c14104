namespace Footprint.Measures.Running.Container;

/// <summary>What the sandbox runs, resolved from the image config: argv, environment, working directory and user.</summary>
public sealed record ContainerLaunch
{
    /// <summary>Entrypoint followed by Cmd (Cmd alone without an Entrypoint), as docker runs them.</summary>
    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>The image path argv[0] resolved to (through the image's PATH), before following symlinks.</summary>
    public required string Executable { get; init; }

    /// <summary>What the executable is: "ELF x86_64 (dynamic, /lib64/ld-linux-x86-64.so.2)", "script for /bin/sh"...</summary>
    public required string ExecutableKind { get; init; }

    /// <summary>"NAME=value" strings: the config's Env, plus PATH and HOME when it has none (as docker adds them).</summary>
    public required IReadOnlyList<string> Environment { get; init; }

    public required string WorkingDir { get; init; }

    public required int Uid { get; init; }

    public required int Gid { get; init; }

    /// <summary>Where the uid and gid came from, in words ("image User 'nginx': /etc/passwd").</summary>
    public required string UserSource { get; init; }

    /// <summary>Facts noticed while resolving (a default added, a working directory made).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
