using System.Buffers.Binary;

namespace Footprint.Analyzers.Surface;

/// <summary>
/// Decodes the <c>security.capability</c> extended attribute: struct vfs_cap_data of the kernel's
/// include/uapi/linux/capability.h. A little-endian u32 magic_etc (revision in the top byte, bit 0 = effective), then
/// per 32-bit word a (permitted, inheritable) pair: one pair in revision 1 (12 bytes), two in revision 2 (20 bytes),
/// two and a u32 rootid in revision 3 (24 bytes, namespaced file capabilities).
/// </summary>
public static class FileCapabilities
{
    public const string XattrName = "security.capability";

    private const uint RevisionMask = 0xFF000000;
    private const uint Revision1 = 0x01000000;
    private const uint Revision2 = 0x02000000;
    private const uint Revision3 = 0x03000000;
    private const uint FlagEffective = 0x000001;
    private const int Revision1Bytes = 12;
    private const int Revision2Bytes = 20;
    private const int Revision3Bytes = 24;

    /// <summary>Capability numbers 0-40 as the kernel's capability.h names them (CAP_CHOWN = 0 ... CAP_CHECKPOINT_RESTORE = 40).</summary>
    private static readonly string[] Names =
    [
        "chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid", "setuid", "setpcap", "linux_immutable",
        "net_bind_service", "net_broadcast", "net_admin", "net_raw", "ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot",
        "sys_ptrace", "sys_pacct", "sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time", "sys_tty_config", "mknod", "lease",
        "audit_write", "audit_control", "setfcap", "mac_override", "mac_admin", "syslog", "wake_alarm", "block_suspend", "audit_read",
        "perfmon", "bpf", "checkpoint_restore",
    ];

    /// <summary>"cap_net_raw" for 13; "cap_63" for numbers this table does not know (as libcap prints them).</summary>
    public static string Name(int bit) => bit < Names.Length ? "cap_" + Names[bit] : "cap_" + bit.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The decoded attribute, or null when it is not a vfs_cap_data of a known revision and size.</summary>
    public static FileCapabilityReport? Decode(string path, int? layer, ReadOnlySpan<byte> value)
    {
        if (value.Length < 4)
        {
            return null;
        }

        var magic = BinaryPrimitives.ReadUInt32LittleEndian(value);
        var (version, words) = (magic & RevisionMask) switch
        {
            Revision1 when value.Length >= Revision1Bytes => (1, 1),
            Revision2 when value.Length >= Revision2Bytes => (2, 2),
            Revision3 when value.Length >= Revision3Bytes => (3, 2),
            _ => (0, 0),
        };
        if (version == 0)
        {
            return null;
        }

        ulong permitted = 0, inheritable = 0;
        for (var w = 0; w < words; w++)
        {
            permitted |= (ulong)BinaryPrimitives.ReadUInt32LittleEndian(value[(4 + (8 * w))..]) << (32 * w);
            inheritable |= (ulong)BinaryPrimitives.ReadUInt32LittleEndian(value[(8 + (8 * w))..]) << (32 * w);
        }

        long? rootId = version == 3 ? BinaryPrimitives.ReadUInt32LittleEndian(value[20..]) : null;
        var effective = (magic & FlagEffective) != 0;
        return new FileCapabilityReport(path, layer, version, effective, Bits(permitted), Bits(inheritable), rootId, Text(permitted, inheritable, effective));
    }

    private static List<string> Bits(ulong set)
    {
        var names = new List<string>();
        for (var bit = 0; bit < 64; bit++)
        {
            if ((set & (1UL << bit)) != 0)
            {
                names.Add(Name(bit));
            }
        }

        return names;
    }

    /// <summary>getcap's form: capabilities grouped by their flags, "cap_a,cap_b=ep cap_c=i".</summary>
    private static string Text(ulong permitted, ulong inheritable, bool effective)
    {
        var groups = new List<string>();
        void Group(ulong set, string flags)
        {
            if (set != 0)
            {
                groups.Add(string.Join(',', Bits(set)) + "=" + flags);
            }
        }

        var e = effective ? "e" : string.Empty;
        Group(permitted & inheritable, e + "ip");
        Group(permitted & ~inheritable, e + "p");
        Group(inheritable & ~permitted, "i");
        return string.Join(' ', groups);
    }
}
