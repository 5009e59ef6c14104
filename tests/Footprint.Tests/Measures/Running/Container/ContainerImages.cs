using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Measures.Running.Container;

/// <summary>
/// Container images written at test time: OCI layouts of gzip tar layers with a chosen config (Entrypoint, Cmd, Env,
/// User, WorkingDir), a busybox-static root filesystem, and layers with hostile entries written with .NET's TarWriter
/// (names GNU tar would not store).
/// </summary>
internal static class ContainerImages
{
    /// <summary>An OCI layout in <paramref name="directory"/> with one image; <paramref name="config"/> is the config's "config" object.</summary>
    public static string Layout(string directory, JsonObject config, params byte[][] tarLayers)
    {
        var blobs = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        var layers = new JsonArray();
        var diffIds = new JsonArray();
        foreach (var tar in tarLayers)
        {
            var gz = Gzip(tar);
            layers.Add(new JsonObject { ["mediaType"] = "application/vnd.oci.image.layer.v1.tar+gzip", ["digest"] = Blob(blobs, gz), ["size"] = gz.Length });
            diffIds.Add("sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar)));
        }

        return WriteImage(directory, blobs, config, layers, diffIds);
    }

    private static string WriteImage(string directory, string blobs, JsonObject config, JsonArray layers, JsonArray diffIds)
    {
        var configBytes = System.Text.Encoding.UTF8.GetBytes(new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = config,
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = diffIds },
        }.ToJsonString());
        var manifest = System.Text.Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = Blob(blobs, configBytes), ["size"] = configBytes.Length },
            ["layers"] = layers,
        }.ToJsonString());
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(new JsonObject { ["mediaType"] = "application/vnd.oci.image.manifest.v1+json", ["digest"] = Blob(blobs, manifest), ["size"] = manifest.Length }),
        };
        File.WriteAllText(Path.Combine(directory, "index.json"), index.ToJsonString());
        return directory;
    }

    /// <summary>
    /// An OCI layout whose layers are uncompressed tar files on disk (a big fixture is hard-linked into the blob
    /// store, not read into memory); <paramref name="config"/> is the config's "config" object.
    /// </summary>
    public static string LayoutOfFiles(string directory, JsonObject config, params string[] tarFiles)
    {
        var blobs = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        var layers = new JsonArray();
        var diffIds = new JsonArray();
        foreach (var tar in tarFiles)
        {
            string hex;
            using (var stream = System.IO.File.OpenRead(tar))
            {
                hex = Convert.ToHexStringLower(SHA256.HashData(stream));
            }

            var blob = Path.Combine(blobs, hex);
            if (Tool.Run("ln", tar, blob).ExitCode != 0)
            {
                System.IO.File.Copy(tar, blob);
            }

            layers.Add(new JsonObject { ["mediaType"] = "application/vnd.oci.image.layer.v1.tar", ["digest"] = "sha256:" + hex, ["size"] = new FileInfo(tar).Length });
            diffIds.Add("sha256:" + hex);
        }

        return WriteImage(directory, blobs, config, layers, diffIds);
    }

    /// <summary>A config object: Entrypoint and Cmd as given (null leaves them out), PATH set.</summary>
    public static JsonObject Config(string[]? entrypoint, string[]? cmd, string? user = null, string? workingDir = null)
    {
        var config = new JsonObject { ["Env"] = new JsonArray("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "FOOTPRINT_TEST=1") };
        if (entrypoint is not null)
        {
            config["Entrypoint"] = new JsonArray([.. entrypoint.Select(a => (JsonNode)a)]);
        }

        if (cmd is not null)
        {
            config["Cmd"] = new JsonArray([.. cmd.Select(a => (JsonNode)a)]);
        }

        if (user is not null)
        {
            config["User"] = user;
        }

        if (workingDir is not null)
        {
            config["WorkingDir"] = workingDir;
        }

        return config;
    }

    /// <summary>
    /// A root filesystem directory holding Debian's busybox-static as /bin/busybox with the applets the tests run as
    /// symlinks, /etc/passwd with a user "app" (uid 1234, gid 4321), and /tmp.
    /// </summary>
    public static string BusyboxTree(TempDir dir, string name = "busybox-root")
    {
        var root = dir.File(name);
        Tool.Shell($"""
            mkdir -p '{root}/bin' '{root}/etc' '{root}/tmp' '{root}/srv'
            cp /bin/busybox '{root}/bin/busybox'
            for a in sh sleep echo cat true; do ln -s busybox '{root}/bin/'$a; done
            printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1234:4321:app:/home/app:/bin/sh\n' > '{root}/etc/passwd'
            printf 'root:x:0:\napp:x:4321:\n' > '{root}/etc/group'
            """);
        return root;
    }

    /// <summary>A directory tree as an uncompressed tar (GNU tar, names relative, numeric owners).</summary>
    public static byte[] Tar(TempDir dir, string root)
    {
        var file = dir.File(Path.GetFileName(root) + "-" + Guid.NewGuid().ToString("N") + ".tar");
        Tool.Output("tar", "--numeric-owner", "-C", root, "-cf", file, ".");
        return File.ReadAllBytes(file);
    }

    /// <summary>A tar written entry by entry (TarWriter stores names and modes as given: "../x", set-id bits, devices).</summary>
    public static byte[] Entries(params TarEntry[] entries)
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var e in entries)
            {
                writer.WriteEntry(e);
            }
        }

        return output.ToArray();
    }

    public static PaxTarEntry Regular(string name, string content, UnixFileMode mode = (UnixFileMode)0x1A4)
        => new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), Mode = mode };

    public static PaxTarEntry Regular(string name, Stream data, UnixFileMode mode = (UnixFileMode)0x1A4)
        => new(TarEntryType.RegularFile, name) { DataStream = data, Mode = mode };

    public static PaxTarEntry Dir(string name) => new(TarEntryType.Directory, name) { Mode = (UnixFileMode)0x1ED };

    public static PaxTarEntry Symlink(string name, string target) => new(TarEntryType.SymbolicLink, name) { LinkName = target, Mode = (UnixFileMode)0x1FF };

    public static PaxTarEntry HardLink(string name, string target) => new(TarEntryType.HardLink, name) { LinkName = target, Mode = (UnixFileMode)0x1A4 };

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(bytes);
        }

        return output.ToArray();
    }

    private static string Blob(string blobs, byte[] bytes)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(bytes));
        System.IO.File.WriteAllBytes(Path.Combine(blobs, hex), bytes);
        return "sha256:" + hex;
    }
}
