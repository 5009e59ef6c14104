using Footprint.Formats.Elf;

namespace Footprint.Store;

/// <summary>
/// An <see cref="ElfSummary"/> in a cache payload, field by field. It was JSON: reading back the summaries of a Debian
/// base layer (about a thousand captures) took some 13 ms of a 90 ms cached layer, with the JSON text as strings
/// besides, and a cached base is on the critical path of every image built on it. The field list is written by hand,
/// so a field added to the summary must be added here: ElfSummaryCodecTests fills every property the record has (found
/// by reflection) and fails on one this codec drops.
/// </summary>
internal static class ElfSummaryCodec
{
    public static void Write(PayloadWriter w, ElfSummary e)
    {
        w.Signed(e.Bits);
        w.Bool(e.BigEndian);
        w.String(e.Type);
        w.Signed(e.MachineCode);
        w.String(e.Machine);
        w.Byte((byte)e.Linkage);
        w.OptionalString(e.Interpreter);
        w.Strings(e.Needed);
        w.OptionalString(e.Soname);
        w.OptionalString(e.Rpath);
        w.OptionalString(e.Runpath);
        OptionalUInt64(w, e.Flags);
        OptionalUInt64(w, e.Flags1);
        w.Bool(e.BindNow);
        w.Bool(e.Pie);
        w.Bool(e.HasBindNowTag);
        w.Bool(e.HasDebugTag);
        w.Bool(e.Relro);
        w.Bool(e.GnuStackFlags is not null);
        w.Count(e.GnuStackFlags ?? 0);
        w.Count(e.VersionNeeds.Count);
        foreach (var need in e.VersionNeeds)
        {
            w.String(need.File);
            w.Strings(need.Versions);
        }

        w.Strings(e.VersionDefinitions);
        w.Bool(e.HasSymbolTable);
        w.Bool(e.HasSectionHeaders);
        w.OptionalString(e.BuildId);
        w.Bool(e.StackProtector);
        w.Strings(e.FortifiedSymbols);
        w.Strings(e.SpawnImports);
        w.Bool(e.ImportsDlopen);
        w.Bool(e.LibraryStrings is not null);
        if (e.LibraryStrings is { } libraryStrings)
        {
            w.Strings(libraryStrings);
        }

        w.OptionalString(e.ImportsUnreadable);
        w.Strings(e.Comments);
        w.Bool(e.Go is not null);
        if (e.Go is { } go)
        {
            w.String(go.GoVersion);
            w.OptionalString(go.MainPackagePath);
            OptionalModule(w, go.Main);
            w.Count(go.Dependencies.Count);
            foreach (var module in go.Dependencies)
            {
                Module(w, module);
            }

            w.Count(go.Settings.Count);
            foreach (var (key, value) in go.Settings)
            {
                w.String(key);
                w.String(value);
            }
        }

        w.OptionalString(e.RustMarker);
        w.OptionalString(e.BusyBoxVersion);
        w.Bool(e.Partial);
        w.OptionalString(e.Damage);
        w.OptionalString(e.Error);
    }

    public static ElfSummary Read(ref PayloadReader r)
    {
        var bits = r.SignedInt32("ELF bits");
        var bigEndian = r.Bool();
        var type = r.String();
        var machineCode = r.SignedInt32("ELF machine");
        var machine = r.String();
        var linkage = (ElfLinkage)r.Byte();
        if (!Enum.IsDefined(linkage))
        {
            throw new CacheCorruptException($"ELF linkage {(int)linkage}");
        }

        var summary = new ElfSummary
        {
            Bits = bits,
            BigEndian = bigEndian,
            Type = type,
            MachineCode = machineCode,
            Machine = machine,
            Linkage = linkage,
            Interpreter = r.OptionalString(),
            Needed = r.Strings(),
            Soname = r.OptionalString(),
            Rpath = r.OptionalString(),
            Runpath = r.OptionalString(),
            Flags = OptionalUInt64(ref r),
            Flags1 = OptionalUInt64(ref r),
            BindNow = r.Bool(),
            Pie = r.Bool(),
            HasBindNowTag = r.Bool(),
            HasDebugTag = r.Bool(),
            Relro = r.Bool(),
            GnuStackFlags = OptionalUInt32(ref r),
            VersionNeeds = VersionNeeds(ref r),
            VersionDefinitions = r.Strings(),
            HasSymbolTable = r.Bool(),
            HasSectionHeaders = r.Bool(),
            BuildId = r.OptionalString(),
            StackProtector = r.Bool(),
            FortifiedSymbols = r.Strings(),
            SpawnImports = r.Strings(),
            ImportsDlopen = r.Bool(),
            LibraryStrings = r.Bool() ? r.Strings() : null,
            ImportsUnreadable = r.OptionalString(),
            Comments = r.Strings(),
            Go = r.Bool() ? Go(ref r) : null,
            RustMarker = r.OptionalString(),
            BusyBoxVersion = r.OptionalString(),
            Partial = r.Bool(),
            Damage = r.OptionalString(),
            Error = r.OptionalString(),
        };
        return summary;
    }

    private static GoBuildInfo Go(ref PayloadReader r)
    {
        var version = r.String();
        var mainPackage = r.OptionalString();
        var main = OptionalModule(ref r);
        var dependencies = new GoModule[r.Count(minItemBytes: 3)];
        for (var i = 0; i < dependencies.Length; i++)
        {
            dependencies[i] = Module(ref r, depth: 0);
        }

        var settings = new KeyValuePair<string, string>[r.Count(minItemBytes: 2)];
        for (var i = 0; i < settings.Length; i++)
        {
            settings[i] = new(r.String(), r.String());
        }

        return new GoBuildInfo(version, mainPackage, main, dependencies, settings);
    }

    private static void OptionalModule(PayloadWriter w, GoModule? module)
    {
        w.Bool(module is not null);
        if (module is not null)
        {
            Module(w, module);
        }
    }

    private static GoModule? OptionalModule(ref PayloadReader r) => r.Bool() ? Module(ref r, depth: 0) : null;

    private static void Module(PayloadWriter w, GoModule module)
    {
        w.String(module.Path);
        w.String(module.Version);
        w.OptionalString(module.Sum);
        OptionalModule(w, module.Replacement);
    }

    /// <summary>A module and its replacement chain (the build info gives one level; a stored chain is bounded anyway).</summary>
    private static GoModule Module(ref PayloadReader r, int depth)
    {
        if (depth > 4)
        {
            throw new CacheCorruptException("Go module replacements nest too deep");
        }

        var path = r.String();
        var version = r.String();
        var sum = r.OptionalString();
        var replacement = r.Bool() ? Module(ref r, depth + 1) : null;
        return new GoModule(path, version, sum, replacement);
    }

    private static ElfVersionNeed[] VersionNeeds(ref PayloadReader r)
    {
        var needs = new ElfVersionNeed[r.Count(minItemBytes: 2)];
        for (var i = 0; i < needs.Length; i++)
        {
            needs[i] = new ElfVersionNeed(r.String(), r.Strings());
        }

        return needs;
    }

    private static void OptionalUInt64(PayloadWriter w, ulong? value)
    {
        w.Bool(value is not null);
        if (value is { } v)
        {
            w.Int64(unchecked((long)v));
        }
    }

    private static ulong? OptionalUInt64(ref PayloadReader r) => r.Bool() ? unchecked((ulong)r.Int64()) : null;

    private static uint? OptionalUInt32(ref PayloadReader r)
    {
        var present = r.Bool();
        var value = r.Length();
        if (value > uint.MaxValue || (!present && value != 0))
        {
            throw new CacheCorruptException($"PT_GNU_STACK flags {value}");
        }

        return present ? (uint)value : null;
    }
}
