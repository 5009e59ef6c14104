namespace Footprint.Analyzers.Reachability;

/// <summary>Reachability of every installed package from every entrypoint, and the limits of that answer.</summary>
public sealed record ReachabilityReport(IReadOnlyList<EntrypointReachability> Entrypoints, IReadOnlyList<string> Limits)
{
    /// <summary>What no static look at an image can see; every report carries it.</summary>
    public static readonly IReadOnlyList<string> StandardLimits =
    [
        "Start-up image only: what the entrypoints load when they start; `docker exec`, cron jobs, login shells and "
            + "commands run later are invisible.",
        "dlopen() of computed paths (plugins named by configuration or built at run time) is seen only when the loaded "
            + "object contains the name as a string; glibc's own NSS and gconv loading is assumed whenever glibc is loaded.",
        "Process spawning is read from imported symbols (execve, execv*, execl*, system, popen, posix_spawn*); a program "
            + "that makes the system call directly, or a static one, is not seen spawning (static programs are unknown anyway).",
        "Environment: the image config's Env (PATH, LD_LIBRARY_PATH, LD_PRELOAD) and /etc/ld.so.preload; variables set "
            + "at `docker run` or by an init system are not known. Systems: services started by init are listed, their own "
            + "children are classified only through the spawn rule.",
        "Objects larger than the whole-file limit, or without a dynamic symbol table, have unreadable imports and make "
            + "the entrypoint unknown.",
    ];
}
