using System.Reflection;
using System.Text.Json;
using Footprint.Formats.Elf;
using Footprint.Store;

namespace Footprint.Tests.Store;

/// <summary>
/// The cache's hand-written ELF summary codec keeps every fact. The summaries are filled by reflection, so a property
/// added to <see cref="ElfSummary"/> (or to the records it holds) and not to the codec fails here rather than being lost
/// from cached layers.
/// </summary>
public sealed class ElfSummaryCodecTests
{
    [Fact]
    public void Should_keep_every_property_of_a_summary_with_all_of_them_set()
    {
        var full = (ElfSummary)Filled(typeof(ElfSummary), seed: 1);

        var back = RoundTrip(full);

        Assert.Equal(Json(full), Json(back));
        // Every property the record has was set to something other than its default (so the comparison above saw it).
        Assert.All(typeof(ElfSummary).GetProperties(), p => Assert.NotEqual(Default(p.PropertyType), p.GetValue(full)));
    }

    [Fact]
    public void Should_keep_a_summary_with_every_optional_fact_absent()
    {
        var bare = new ElfSummary { Bits = 32, BigEndian = true, Type = "EXEC", MachineCode = 8, Machine = "mips" };

        var back = RoundTrip(bare);

        Assert.Equal(Json(bare), Json(back));
        Assert.Null(back.LibraryStrings);
        Assert.Null(back.GnuStackFlags);
        Assert.Null(back.Flags1);
    }

    [Fact]
    public void Should_keep_flags_with_the_top_bit_set()
    {
        var summary = new ElfSummary { Bits = 64, BigEndian = false, Type = "DYN", MachineCode = 62, Machine = "x86_64", Flags = ulong.MaxValue, Flags1 = 1UL << 63, GnuStackFlags = uint.MaxValue };

        var back = RoundTrip(summary);

        Assert.Equal((ulong.MaxValue, 1UL << 63, uint.MaxValue), (back.Flags, back.Flags1, back.GnuStackFlags));
    }

    [Fact]
    public void Should_refuse_an_unknown_linkage_and_a_truncated_summary_as_damage()
    {
        var w = new PayloadWriter();
        ElfSummaryCodec.Write(w, new ElfSummary { Bits = 64, BigEndian = false, Type = "DYN", MachineCode = 62, Machine = "x86_64" });
        var body = w.Seal("test")[PayloadReader.ChecksumBytes..];

        // Bits (64, zig-zag 128: two bytes), big-endian, type "DYN", machine code 62, machine "x86_64": then the linkage byte.
        var linkageAt = 2 + 1 + (1 + 3) + 1 + (1 + 6);
        var badLinkage = body.ToArray();
        badLinkage[linkageAt] = 200;
        Assert.Contains("linkage 200", Assert.Throws<CacheCorruptException>(() => Read(badLinkage)).Message, StringComparison.Ordinal);
        Assert.Throws<CacheCorruptException>(() => Read(body[..^3]));
    }

    private static ElfSummary RoundTrip(ElfSummary summary)
    {
        var w = new PayloadWriter();
        ElfSummaryCodec.Write(w, summary);
        var r = PayloadReader.Open("elf test", w.Seal("elf test"));
        var back = ElfSummaryCodec.Read(ref r);
        Assert.Equal(0, r.Remaining);
        return back;
    }

    private static ElfSummary Read(byte[] body)
    {
        var sealedBytes = new byte[PayloadReader.ChecksumBytes + body.Length];
        body.CopyTo(sealedBytes.AsSpan(PayloadReader.ChecksumBytes));
        PayloadReader.Checksum("elf test", body, sealedBytes.AsSpan(0, PayloadReader.ChecksumBytes));
        var r = PayloadReader.Open("elf test", sealedBytes);
        return ElfSummaryCodec.Read(ref r);
    }

    private static string Json(ElfSummary summary) => JsonSerializer.Serialize(summary, ElfJsonContext.Default.ElfSummary);

    private static object? Default(Type type) => type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;

    /// <summary>An instance of a record of the ELF facts with every property set to a value derived from <paramref name="seed"/>.</summary>
    private static object Filled(Type type, int seed)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select((p, i) => Value(p.ParameterType, seed * 31 + i)).ToArray();
        var instance = constructor.Invoke(arguments);
        var i = 100;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            property.SetValue(instance, Value(property.PropertyType, seed * 31 + i++));
        }

        return instance;
    }

    private static object Value(Type type, int seed)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            return $"s{seed}-é";
        }

        if (underlying == typeof(int))
        {
            return seed + 7;
        }

        if (underlying == typeof(uint))
        {
            return (uint)seed + 3;
        }

        if (underlying == typeof(ulong))
        {
            return (ulong)seed << 40 | 5;
        }

        if (underlying == typeof(bool))
        {
            return true;
        }

        if (underlying.IsEnum)
        {
            var values = Enum.GetValues(underlying);
            return values.GetValue(1 + (seed % (values.Length - 1)))!;
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var element = underlying.GetGenericArguments()[0];
            var list = Array.CreateInstance(element, 2);
            list.SetValue(Value(element, seed + 1), 0);
            list.SetValue(Value(element, seed + 2), 1);
            return list;
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(KeyValuePair<,>))
        {
            var args = underlying.GetGenericArguments();
            return Activator.CreateInstance(underlying, Value(args[0], seed + 1), Value(args[1], seed + 2))!;
        }

        if (underlying == typeof(GoModule))
        {
            // One replacement level, as a build info has.
            return new GoModule($"m{seed}", $"v{seed}", $"h{seed}", seed % 2 == 0 ? new GoModule($"r{seed}", $"rv{seed}", null) : null);
        }

        if (underlying.Namespace == typeof(ElfSummary).Namespace && underlying.IsClass)
        {
            return Filled(underlying, seed);
        }

        throw new InvalidOperationException($"no test value for {type}: teach this test (and ElfSummaryCodec) the new fact");
    }
}
