using Footprint.Formats;
using Footprint.Formats.Compression;
using Footprint.Formats.Cpio;
using Footprint.Formats.Fat;
using Footprint.Formats.Firmware;
using Footprint.Formats.Iso9660;
using Footprint.Formats.Squashfs;

namespace Footprint.Sources.LiveMedia;

/// <summary>
/// Opens media as composed systems, recognised by content through each format reader's probe (HasMagic): ISO 9660
/// ("CD001" at 32769), FAT boot sectors, squashfs ("hsqs"), initramfs (cpio magic, raw or under gzip, xz, lzma, zstd,
/// bzip2 or lz4-legacy compression) and firmware (uImage, TRX, TP-Link headers, or any image in which a squashfs is found by scanning). The distro's
/// rules (<see cref="DistroRules"/>) turn a medium's files into layers.
/// </summary>
public static class MediumOpener
{
    /// <summary>Bytes of the head <see cref="TryOpen"/> needs: the ISO volume descriptor is at 32 KiB.</summary>
    public const int HeadBytes = 0x8800;

    public static IArtifactSource? TryOpen(string path, ReadOnlySpan<byte> head, long length)
    {
        // Each format's reader owns its magic; a file that claims a format this far is handed to the reader, which says
        // what is wrong with it.
        if (IsoReader.HasMagic(head))
        {
            return OpenIso(path, length);
        }

        if (SquashfsReader.HasMagic(head))
        {
            return OpenSquashfs(path, length);
        }

        if (LooksLikeInitramfs(path, head))
        {
            return OpenInitramfs(path, length);
        }

        if (Decompression.Detect(head) != CompressionKind.None)
        {
            // A compressed file that is not an initramfs is an archive (rootfs tarball, image archive), never scanned.
            return null;
        }

        if (FatReader.HasMagic(head))
        {
            return OpenFat(path, length);
        }

        return OpenFirmware(path, length);
    }

    private static bool LooksLikeInitramfs(string path, ReadOnlySpan<byte> head)
    {
        if (CpioReader.HasMagic(head))
        {
            return true;
        }

        // The kernel's own compressions, which no archive uses: lz4 legacy and lzma-alone.
        if (head.Length >= 4 && (CompressionProbe.IsLz4Legacy(head) || CompressionProbe.IsLzmaAlone(head)))
        {
            return true;
        }

        if (Decompression.Detect(head) == CompressionKind.None)
        {
            return false;
        }

        try
        {
            using var file = File.OpenRead(path);
            using var data = Decompression.Open(file, path, DecompressionLimits.Default, out _);
            var probe = new byte[6];
            return data.ReadAtLeast(probe, probe.Length, throwOnEndOfStream: false) == 6 && CpioReader.HasMagic(probe);
        }
        catch (FootprintFormatException)
        {
            return false;
        }
    }

    // ---- ISO 9660 -----------------------------------------------------------------------------------------------

    private static ComposedSource OpenIso(string path, long length)
    {
        using var stream = OpenRead(path);
        using var iso = new IsoReader(stream, path);
        var files = new Dictionary<string, long>(StringComparer.Ordinal);
        while (iso.GetNextEntry() is { } e)
        {
            if (e.Kind is FileKind.Regular or FileKind.HardLink && FileSystem.ImagePath.Normalize(e.Name) is { Length: > 0 } n)
            {
                files[n] = e.Kind == FileKind.Regular ? e.SizeBytes : files.GetValueOrDefault(FileSystem.ImagePath.Normalize(e.LinkTarget ?? "") ?? "");
            }
        }

        var listing = new ContainerListing(files, p => ReadText(iso.TryGetFile(p, out var f) ? iso.OpenFile(f) : null));
        var composition = DistroRules.Compose(listing);
        var v = iso.Volume;
        var details = new Dictionary<string, string>
        {
            ["volumeId"] = v.VolumeId,
            ["systemId"] = v.SystemId,
            ["applicationId"] = v.ApplicationId,
            ["names"] = v.NamesUsed.ToString().ToLowerInvariant(),
            ["rockRidge"] = v.HasRockRidge ? "yes" : "no",
            ["joliet"] = v.HasJoliet ? "yes" : "no",
            ["volumeBytes"] = (v.VolumeSpaceBlocks * (long)v.LogicalBlockSize).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var parts = new List<MediumPart>();
        foreach (var b in iso.BootEntries)
        {
            parts.Add(new MediumPart($"eltorito-{b.Platform}", b.ImageOffsetBytes, b.SectorCount * 512L,
                $"El Torito {b.Platform} {(b.Bootable ? "bootable" : "not bootable")} {b.MediaType} image{(b.ImagePath is { } ip ? " " + ip : "")}"));
        }

        foreach (var p in iso.Partitions)
        {
            parts.Add(new MediumPart($"partition-{p.Scheme}", p.StartBytes, p.LengthBytes, $"{p.Scheme} partition {p.Index} type {p.TypeCode}{(p.Bootable ? " bootable" : "")}{(p.Name is { Length: > 0 } nm ? " " + nm : "")}"));
        }

        var kernel = composition.Kernel is { } k && iso.TryGetFile(k, out var kf) ? Kernel(k, kf.SizeBytes, () => iso.OpenFile(kf)) : null;

        // Where each component file lies, found now in the one directory walk: a layer opens its window of the image
        // without walking the ISO's directories again.
        var extents = new Dictionary<string, IReadOnlyList<IsoExtent>>(StringComparer.Ordinal);
        foreach (var c in composition.Components.Where(c => c.Format != ComponentFormat.ContainerTree))
        {
            extents[c.Path] = iso.TryGetFile(c.Path, out var file)
                ? file.Extents
                : throw new FootprintFormatException(path, null, $"{c.Path}: listed by the medium but not found");
        }

        return new ComposedSource("iso", path, length, composition, new MediumInfo { Format = "iso9660", Details = details, Parts = parts, Kernel = kernel },
            (c, options, stats) => OpenIsoComponent(path, c, extents.GetValueOrDefault(c.Path), options, stats));
    }

    private static ILayerReader OpenIsoComponent(string path, Component c, IReadOnlyList<IsoExtent>? extents, LayerReadOptions options, ComponentStats stats)
    {
        var stream = OpenRead(path);
        if (extents is [var only])
        {
            return OpenComponent($"{path}!/{c.Path}", new WindowStream(stream, only.OffsetBytes, only.LengthBytes), c, options, stats);
        }

        // The medium's own tree, or a multi-extent file (over 4 GiB): the reader walks the directories again.
        var iso = new IsoReader(stream, path);
        if (c.Format == ComponentFormat.ContainerTree)
        {
            stats.Compression = "none";
            return new EntryLayerReader(iso, stats, c.TreeRoot, null, stream);
        }

        if (!iso.TryGetFile(c.Path, out var file))
        {
            throw new FootprintFormatException(path, null, $"{c.Path}: listed by the medium but not found");
        }

        return OpenComponent($"{path}!/{c.Path}", iso.OpenFile(file), c, options, stats, iso, stream);
    }

    // ---- FAT ------------------------------------------------------------------------------------------------------

    private static ComposedSource OpenFat(string path, long length)
    {
        using var stream = OpenRead(path);
        using var fat = new FatReader(stream, path);
        var files = new Dictionary<string, long>(StringComparer.Ordinal);
        while (fat.GetNextEntry() is { } e)
        {
            if (e.Kind == FileKind.Regular && FileSystem.ImagePath.Normalize(e.Name) is { Length: > 0 } n)
            {
                files[n] = e.SizeBytes;
            }
        }

        var listing = new ContainerListing(files, p => ReadText(fat.TryGetFile(p, out _) ? fat.OpenFile(p) : null));
        var composition = DistroRules.Compose(listing);
        var v = fat.Volume;
        var details = new Dictionary<string, string> { ["fatType"] = v.FatType, ["volumeLabel"] = v.VolumeLabel ?? "", ["oemName"] = v.OemName };
        var kernel = composition.Kernel is { } k && fat.TryGetFile(k, out var ke) ? Kernel(k, ke.SizeBytes, () => fat.OpenFile(k)) : null;
        return new ComposedSource("fat-image", path, length, composition, new MediumInfo { Format = "fat", Details = details, Kernel = kernel },
            (c, options, stats) =>
            {
                var s = OpenRead(path);
                var reader = new FatReader(s, path);
                if (c.Format == ComponentFormat.ContainerTree)
                {
                    stats.Compression = "none";
                    return new EntryLayerReader(reader, stats, c.TreeRoot, null, s);
                }

                return OpenComponent($"{path}!/{c.Path}", reader.OpenFile(c.Path), c, options, stats, reader, s);
            });
    }

    // ---- squashfs, initramfs ----------------------------------------------------------------------------------------

    private static ComposedSource OpenSquashfs(string path, long length)
    {
        SquashfsSuperblock sb;
        using (var stream = OpenRead(path))
        using (var reader = new SquashfsReader(stream, path))
        {
            sb = reader.Superblock;
        }

        var component = new Component { Layer = 0, Path = "", Format = ComponentFormat.Squashfs, Role = "image", StoredBytes = length, Default = Residency.OnMedia, ToRam = Residency.CompressedInRam };
        var composition = new Composition
        {
            Rule = "image",
            Description = "a squashfs image: one layer, mounted from its medium (or copied into RAM whole)",
            Source = "squashfs 4.0 (Linux Documentation/filesystems/squashfs.rst)",
            Components = [component],
        };
        return new ComposedSource("squashfs", path, length, composition, new MediumInfo { Format = "squashfs", Details = SquashfsDetails(sb) },
            (c, options, stats) => { var s = OpenRead(path); return OpenComponent(path, s, c, options, stats, s); });
    }

    private static ComposedSource OpenInitramfs(string path, long length)
    {
        var component = new Component { Layer = 0, Path = "", Format = ComponentFormat.Initramfs, Role = "initramfs", StoredBytes = length, Default = Residency.ExpandedInRam, ToRam = Residency.ExpandedInRam };
        var composition = new Composition
        {
            Rule = "initramfs",
            Description = "an initramfs: every segment unpacked into RAM in order, later entries overriding earlier ones",
            Source = "Linux Documentation/driver-api/early-userspace/buffer-format.rst",
            Components = [component],
        };
        return new ComposedSource("initramfs", path, length, composition, new MediumInfo { Format = "initramfs" },
            (c, options, stats) => { var s = OpenRead(path); return OpenComponent(path, s, c, options, stats, s); });
    }

    // ---- firmware ---------------------------------------------------------------------------------------------------

    private static ComposedSource? OpenFirmware(string path, long length)
    {
        IReadOnlyList<FirmwarePart> found;
        using (var stream = OpenRead(path))
        {
            found = FirmwareScanner.Scan(stream, path);
        }

        var roots = found.Where(p => p.Type == "squashfs" && p.Details.GetValueOrDefault("supported") != "false").ToList();
        var cpios = found.Where(p => p.Type == "cpio").ToList();
        if (roots.Count == 0 && cpios.Count == 0)
        {
            var unsupported = found.FirstOrDefault(p => p.Type == "squashfs");
            if (unsupported is not null)
            {
                throw new FootprintFormatException(path, unsupported.Offset, $"unsupported: {unsupported.Description}");
            }

            var meaningful = found.Where(p => p.Type is not ("padding" or "unknown")).ToList();
            if (meaningful.Count > 0)
            {
                // Say what is there rather than "not recognised": carving found parts but no filesystem we read.
                var listed = string.Join(", ", meaningful.Take(8).Select(p => $"{p.Type} at 0x{p.Offset:x} ({p.Length} bytes)"));
                throw new FootprintFormatException(path, meaningful[0].Offset,
                    $"firmware with no readable root filesystem (squashfs 4.0 or cpio); found: {listed}{(meaningful.Count > 8 ? ", ..." : "")}");
            }

            return null;
        }

        var components = roots.Select((p, i) => new Component
        {
            Layer = i, Path = $"@0x{p.Offset:x}", Format = ComponentFormat.Squashfs, Role = i == 0 ? "rootfs" : "squashfs", StoredBytes = p.Length, Offset = p.Offset,
            Default = Residency.OnMedia, ToRam = Residency.OnMedia,
        }).ToList();
        if (components.Count == 0)
        {
            components.AddRange(cpios.Select((p, i) => new Component
            {
                Layer = i, Path = $"@0x{p.Offset:x}", Format = ComponentFormat.Initramfs, Role = "initramfs", StoredBytes = p.Length, Offset = p.Offset,
                Default = Residency.ExpandedInRam, ToRam = Residency.ExpandedInRam,
            }));
        }

        var composition = new Composition
        {
            Rule = "firmware",
            Description = "a flash image: the squashfs root runs from flash (read through the page cache); a JFFS2 overlay, when present, holds changes",
            Source = "OpenWrt flash layout (the rootfs squashfs, then rootfs_data from the deadc0de marker) and U-Boot legacy images",
            Components = components,
        };
        var kernelPart = found.FirstOrDefault(p => p.Type is "uimage" or "bzimage");
        KernelInfo? kernel = null;
        if (kernelPart is not null)
        {
            using var s = OpenRead(path);
            var version = SafeKernelVersion(s, kernelPart.Offset, kernelPart.Length);
            kernel = new KernelInfo($"@0x{kernelPart.Offset:x}", kernelPart.Length, version ?? kernelPart.Details.GetValueOrDefault("name"), null);
        }

        var details = new Dictionary<string, string>();
        foreach (var meta in found.Where(p => p.Type is "sysupgrade-metadata" or "tplink-header" or "trx"))
        {
            foreach (var (k, v) in meta.Details)
            {
                details.TryAdd($"{meta.Type}.{k}", v);
            }
        }

        var parts = found.Select(p => new MediumPart(p.Type, p.Offset, p.Length, p.Description)).ToList();
        return new ComposedSource("firmware", path, length, composition, new MediumInfo { Format = "firmware", Details = details, Parts = parts, Kernel = kernel },
            (c, options, stats) =>
            {
                var s = OpenRead(path);
                var part = found.First(p => p.Offset == c.Offset);
                return OpenComponent($"{path}@0x{part.Offset:x}", new WindowStream(s, part.Offset, part.Length), c, options, stats, s);
            });
    }

    // ---- shared ------------------------------------------------------------------------------------------------------

    /// <summary>Opens one component's bytes with the reader its format needs; <paramref name="owned"/> are closed with the layer.</summary>
    private static ILayerReader OpenComponent(string location, Stream data, Component c, LayerReadOptions options, ComponentStats stats, params IDisposable[] owned)
    {
        switch (c.Format)
        {
            case ComponentFormat.Squashfs:
            {
                var sq = new SquashfsReader(data, location);
                stats.Compression = "squashfs-" + sq.Superblock.Compression.ToString().ToLowerInvariant();
                return new EntryLayerReader(sq, stats, "", () => stats.DuplicateBytesSaved = sq.DataStats.DuplicateBytesSaved, [data, .. owned]);
            }

            case ComponentFormat.Initramfs:
            {
                var ir = new InitramfsReader(data, location, options.Limits);
                return new EntryLayerReader(ir, stats, "", () => stats.Compression = string.Join('+', ir.Segments.Select(s => s.Compression).Distinct()), [data, .. owned]);
            }

            case ComponentFormat.Tar:
            {
                var raw = Decompression.Open(data, location, options.Limits, out var kind);
                stats.Compression = kind.ToString().ToLowerInvariant();
                return new EntryLayerReader(new Formats.Tar.TarArchiveReader(raw, location), stats, "", null, owned);
            }

            default:
                throw new InvalidOperationException($"{location}: a {c.Format} component is opened by its container");
        }
    }

    private static Dictionary<string, string> SquashfsDetails(SquashfsSuperblock sb) => new()
    {
        ["version"] = $"{sb.Major}.{sb.Minor}",
        ["compression"] = sb.Compression.ToString().ToLowerInvariant(),
        ["blockSize"] = sb.BlockSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["bytesUsed"] = sb.BytesUsed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["inodes"] = sb.InodeCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["created"] = sb.ModificationTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static KernelInfo Kernel(string path, long size, Func<Stream> open)
    {
        using var s = open();
        var version = SafeKernelVersion(s, 0, size);
        long? initSize = null;
        try
        {
            s.Position = 0;
            var header = new byte[0x264];
            if (s.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length && header.AsSpan(0x202, 4).SequenceEqual("HdrS"u8)
                && BitConverter.ToUInt16(header, 0x206) >= 0x020A)
            {
                initSize = BitConverter.ToUInt32(header, 0x260);
            }
        }
        catch (IOException)
        {
        }

        return new KernelInfo(path, size, version, initSize);
    }

    private static string? SafeKernelVersion(Stream s, long offset, long length)
    {
        try
        {
            return FirmwareScanner.ReadKernelVersion(s, offset, length);
        }
        catch (FootprintFormatException)
        {
            return null;
        }
    }

    private static string? ReadText(Stream? stream)
    {
        if (stream is null)
        {
            return null;
        }

        using (stream)
        {
            var buffer = new byte[ContainerListing.MaxTextBytes];
            var n = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, n).Replace("\r", "", StringComparison.Ordinal);
        }
    }

    private static FileStream OpenRead(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
}
