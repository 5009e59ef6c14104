namespace Footprint.Sources;

/// <summary>What family an artifact belongs to: it decides how the download is paid and which facts exist at all.</summary>
public enum SourceFamily
{
    /// <summary>A container image: layers are blobs named by digests (docker-archive, OCI layout or archive, skopeo dir, a registry).</summary>
    Image,

    /// <summary>One rootfs tarball, downloaded as the file itself.</summary>
    RootfsArchive,

    /// <summary>A tree read in place (a directory or the running machine): never downloaded as such.</summary>
    Directory,

    /// <summary>A live medium, disk image, initramfs or firmware, composed into layers by its own rules.</summary>
    Medium,
}
