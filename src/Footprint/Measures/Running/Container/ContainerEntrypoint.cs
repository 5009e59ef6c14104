using System.Runtime.InteropServices;
using System.Text;
using Footprint.FileSystem;
using Footprint.Formats;
using Footprint.Formats.Elf;
using Footprint.Sources;

namespace Footprint.Measures.Running.Container;

/// <summary>
/// Decides what the sandbox runs, or says plainly why nothing can run: argv is Entrypoint + Cmd (docker's rule), argv[0]
/// is looked up in the image (through its PATH when it has no slash, relative to WorkingDir otherwise), and the file
/// found must be one the host kernel would execute: an ELF of the host's architecture whose program interpreter the
/// image holds, or a #! script whose interpreter passes the same test (at most <see cref="MaxScriptDepth"/> deep, the
/// kernel's limit). Everything is checked in the merged view; the ELF header is read from the materialised file with
/// <see cref="ElfReader"/>.
/// </summary>
internal static class ContainerEntrypoint
{
    /// <summary>PATH docker sets when the image's Env has none.</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The kernel follows #! interpreters 4 deep (BINPRM_MAX_RECURSION in fs/exec.c).</summary>
    private const int MaxScriptDepth = 4;

    /// <summary>The kernel reads the #! line from the first 256 bytes (BINPRM_BUF_SIZE).</summary>
    private const int ScriptHeadBytes = 256;

    /// <summary>Bytes of argv plus environment passed to bwrap at most (well under ARG_MAX); the config may hold more.</summary>
    private const int MaxCommandBytes = 256 << 10;

    private const int ExecuteBits = 0x49;

    private static readonly char[] Blanks = [' ', '\t'];

    public static ContainerLaunch? Resolve(ImageConfig? config, ContainerRootfs rootfs, out ContainerRefusal? refusal)
    {
        refusal = null;
        IReadOnlyList<string> argv = config?.Entrypoint is { Count: > 0 } entrypoint ? [.. entrypoint, .. (config.Cmd ?? [])] : config?.Cmd ?? [];
        if (argv.Count == 0)
        {
            refusal = new ContainerRefusal("no-entrypoint", config is null
                ? "the artifact has no image config, so no entrypoint: nothing to run"
                : "the image config has neither Entrypoint nor Cmd: nothing to run (a base image meant to be built on)");
            return null;
        }

        var notes = new List<string>();
        var environment = Environment(config!, out var path, notes);
        var workingDir = WorkingDir(config!.WorkingDir, rootfs, notes, out refusal);
        if (refusal is not null)
        {
            return null;
        }

        if (argv.Sum(a => Encoding.UTF8.GetByteCount(a) + 1) + environment.Sum(e => Encoding.UTF8.GetByteCount(e) + 1) > MaxCommandBytes
            || argv.Concat(environment).Any(a => a.Contains('\0', StringComparison.Ordinal)))
        {
            refusal = new ContainerRefusal("not-runnable", $"the command line and environment exceed {MaxCommandBytes} bytes or hold a NUL byte");
            return null;
        }

        var name = argv[0];
        var executable = Find(name, path, workingDir, rootfs.View, out var why);
        if (executable is null)
        {
            refusal = new ContainerRefusal("not-runnable", why!);
            return null;
        }

        var kind = Check(executable, rootfs, 0, out why);
        if (kind is null)
        {
            refusal = new ContainerRefusal("not-runnable", why!);
            return null;
        }

        var user = ContainerUser.Resolve(config.User, rootfs);
        if (!environment.Any(e => e.StartsWith("HOME=", StringComparison.Ordinal)))
        {
            environment.Add("HOME=" + user.Home);
        }

        return new ContainerLaunch
        {
            Argv = argv,
            Executable = executable,
            ExecutableKind = kind,
            Environment = environment,
            WorkingDir = workingDir,
            Uid = user.Uid,
            Gid = user.Gid,
            UserSource = user.Source,
            Notes = notes,
        };
    }

    private static List<string> Environment(ImageConfig config, out string path, List<string> notes)
    {
        var env = new List<string>();
        path = DefaultPath;
        foreach (var e in config.Env)
        {
            var eq = e.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                notes.Add($"Env entry '{e}' is not NAME=value: left out");
                continue;
            }

            env.Add(e);
            if (e.StartsWith("PATH=", StringComparison.Ordinal))
            {
                path = e[5..];
            }
        }

        if (!env.Any(e => e.StartsWith("PATH=", StringComparison.Ordinal)))
        {
            env.Add("PATH=" + DefaultPath);
            notes.Add("the image sets no PATH: docker's default added");
        }

        return env;
    }

    /// <summary>
    /// The working directory (absolute, normalised). A missing one is made, as docker makes it, but only through
    /// directories (never through a symlink, which could point anywhere on this host).
    /// </summary>
    private static string WorkingDir(string? configured, ContainerRootfs rootfs, List<string> notes, out ContainerRefusal? refusal)
    {
        refusal = null;
        var normal = ImagePath.Normalize(configured is { Length: > 0 } w ? w : "/") ?? string.Empty;
        var node = rootfs.View.TryResolve(normal, followFinal: true, out _);
        if (node is { Kind: FileKind.Directory })
        {
            return "/" + normal;
        }

        if (node is not null)
        {
            refusal = new ContainerRefusal("not-runnable", $"WorkingDir /{normal} is a {node.Kind} in the image, not a directory");
            return "/" + normal;
        }

        var current = rootfs.View.Squashed;
        var made = Path.GetFullPath(rootfs.Root);
        foreach (var part in normal.Split('/'))
        {
            made = Path.Combine(made, part);
            var child = current?.GetChild(part);
            if (child is { Kind: FileKind.Directory })
            {
                current = child;
                continue;
            }

            if (child is not null)
            {
                refusal = new ContainerRefusal("not-runnable", $"WorkingDir /{normal} does not exist and cannot be made: '{part}' is a {child.Kind} in the image");
                return "/" + normal;
            }

            current = null;
            if (!Directory.Exists(made))
            {
                UnixCalls.MakeDirectory(made, 0x1ED);
            }
        }

        notes.Add($"WorkingDir /{normal} does not exist in the image: made (empty), as docker makes it");
        return "/" + normal;
    }

    /// <summary>The image path argv[0] names: with a slash, that path (relative to the working directory); without, the first PATH entry holding an executable of that name.</summary>
    private static string? Find(string name, string path, string workingDir, LayeredFileSystem view, out string? why)
    {
        why = null;
        if (name.Length == 0)
        {
            why = "argv[0] is empty";
            return null;
        }

        if (name.Contains('/', StringComparison.Ordinal))
        {
            var full = name.StartsWith('/') ? name : workingDir.TrimEnd('/') + "/" + name;
            var node = view.TryResolve(full, followFinal: true, out _);
            why = node switch
            {
                null => $"the entrypoint {name} does not exist in the image",
                { Kind: not FileKind.Regular } => $"the entrypoint {name} is a {node.Kind}, not a file",
                { } n when (n.Mode & ExecuteBits) == 0 => $"the entrypoint {name} is not executable (mode {Convert.ToString(n.Mode & 0x1FF, 8)})",
                _ => null,
            };
            return why is null ? full : null;
        }

        foreach (var dir in path.Split(':'))
        {
            // An empty PATH entry is the working directory (execvp's rule).
            var candidate = (dir.Length == 0 ? workingDir : dir).TrimEnd('/') + "/" + name;
            if (candidate.StartsWith('/') && view.TryResolve(candidate, followFinal: true, out _) is { Kind: FileKind.Regular } node && (node.Mode & ExecuteBits) != 0)
            {
                return candidate;
            }
        }

        why = $"the entrypoint '{name}' is not in the image: no executable of that name in PATH {path}";
        return null;
    }

    /// <summary>What the file at <paramref name="imagePath"/> is, if the host can run it; null with the reason otherwise.</summary>
    private static string? Check(string imagePath, ContainerRootfs rootfs, int depth, out string? why)
    {
        why = null;
        if (rootfs.View.TryResolve(imagePath, followFinal: true, out var resolved) is not { Kind: FileKind.Regular })
        {
            why = $"{imagePath} does not exist in the image";
            return null;
        }

        byte[] head;
        long length;
        using (var file = File.OpenHandle(Path.Combine(rootfs.Root, resolved)))
        {
            length = RandomAccess.GetLength(file);
            head = new byte[(int)Math.Min(length, ScriptHeadBytes)];
            head = head[..RandomAccess.Read(file, head, 0)];
            if (ElfReader.HasMagic(head))
            {
                var elf = ElfReader.Read(file, length);
                return Elf(imagePath, elf!, rootfs, out why);
            }
        }

        if (head.Length >= 2 && head[0] == '#' && head[1] == '!')
        {
            if (depth >= MaxScriptDepth)
            {
                why = $"{imagePath}: #! interpreters nest deeper than the kernel follows ({MaxScriptDepth})";
                return null;
            }

            var end = Array.IndexOf(head, (byte)'\n');
            var line = Encoding.UTF8.GetString(head, 2, (end < 0 ? head.Length : end) - 2).Trim(' ', '\t', '\r');
            var interpreter = line.Split(Blanks, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (interpreter is null || !interpreter.StartsWith('/'))
            {
                why = $"{imagePath} is a script whose #! line names no absolute interpreter ('{line}')";
                return null;
            }

            if (Check(interpreter, rootfs, depth + 1, out var inner) is not { } innerKind)
            {
                why = $"{imagePath} is a script for {interpreter}, which cannot run: {inner}";
                return null;
            }

            return $"script for {interpreter} ({innerKind})";
        }

        why = $"{imagePath} is neither an ELF program nor a #! script: the kernel would refuse it (ENOEXEC)";
        return null;
    }

    private static string? Elf(string imagePath, ElfSummary elf, ContainerRootfs rootfs, out string? why)
    {
        why = null;
        if (elf.Damage is { } damage)
        {
            why = $"{imagePath} is a damaged ELF file ({damage})";
            return null;
        }

        var (machine, bits) = HostMachine();
        if (elf.MachineCode != machine || elf.Bits != bits || elf.BigEndian)
        {
            why = $"{imagePath} is built for {elf.Machine} ({elf.Bits}-bit), not for this host ({RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}): the image cannot run here";
            return null;
        }

        if (elf.Type is not ("EXEC" or "DYN"))
        {
            why = $"{imagePath} is an ELF {elf.Type} file, not a program";
            return null;
        }

        if (elf.Interpreter is { } interpreter)
        {
            if (rootfs.View.TryResolve(interpreter, followFinal: true, out _) is not { Kind: FileKind.Regular })
            {
                why = $"{imagePath} needs the program interpreter {interpreter}, which the image does not hold";
                return null;
            }

            return $"ELF {elf.Machine}, dynamic ({interpreter})";
        }

        return $"ELF {elf.Machine}, static";
    }

    /// <summary>The host's e_machine and ELF class (x86-64, AArch64, i386, ARM).</summary>
    private static (int Machine, int Bits) HostMachine() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => (62, 64),
        Architecture.Arm64 => (183, 64),
        Architecture.X86 => (3, 32),
        Architecture.Arm => (40, 32),
        Architecture.RiscV64 => (243, 64),
        Architecture.LoongArch64 => (258, 64),
        Architecture.S390x => (22, 64),
        Architecture.Ppc64le => (21, 64),
        _ => (-1, 0),
    };
}
