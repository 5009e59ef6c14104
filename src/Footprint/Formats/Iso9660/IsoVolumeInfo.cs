namespace Footprint.Formats.Iso9660;

/// <summary>What the primary volume descriptor (ECMA-119 8.4) says about the volume, and which name space is in use.</summary>
public sealed record IsoVolumeInfo(
    string SystemId,
    string VolumeId,
    string PublisherId,
    string ApplicationId,
    long VolumeSpaceBlocks,
    int LogicalBlockSize,
    DateTimeOffset? CreationTime,
    bool HasJoliet,
    bool HasRockRidge,
    IsoNames NamesUsed);
