using Footprint.Reports.Json;

namespace Footprint.Tests.Reports.Json;

/// <summary>
/// What a stored report must be before its bytes are written as they are (a cache hit of `measure -f json`): the cases
/// the fuzz target only asserts as a property, written out one by one.
/// </summary>
public sealed class StoredJsonTests
{
    [Theory]
    [InlineData("{}")]
    [InlineData("{\n  \"tool\": \"footprint\",\n  \"inputs\": [\n    1\n  ]\n}\n")]
    [InlineData("{\"name\": \"caf\u00e9 \u4e2d \ud83d\ude00\"}")]
    [InlineData("{\"escaped\": \"\\u001b[31m\\u202e\"}")]
    public void Should_write_one_object_of_valid_text_as_it_is(string json)
    {
        Assert.True(StoredJson.IsWritable(System.Text.Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{\"inputs\": [", "truncated")]
    [InlineData("{\"a\": 1", "truncated before the closing brace")]
    [InlineData("[{\"a\": 1}]", "an array, not an object")]
    [InlineData("\"text\"", "a string, not an object")]
    [InlineData("{}{}", "two objects")]
    [InlineData("{} x", "trailing text")]
    [InlineData("{\"a\": \"\u001b[2J\"}", "a raw ESC")]
    [InlineData("{\"a\": \"\u009b2J\"}", "a raw C1 CSI")]
    [InlineData("{\"a\": \"\u202e\"}", "a bidi override")]
    [InlineData("{\"a\": \"\u2028\"}", "a line separator")]
    [InlineData("{\r\n}", "a carriage return")]
    [InlineData("{\t}", "a tab")]
    public void Should_refuse_what_the_writer_never_emits(string json, string what)
    {
        Assert.False(StoredJson.IsWritable(System.Text.Encoding.UTF8.GetBytes(json)), what);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xff, (byte)'"', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xc0, 0xaf, (byte)'"', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xed, 0xa0, 0x80, (byte)'"', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xe2, 0x80 })]
    public void Should_refuse_invalid_utf8(byte[] json)
    {
        // A stray 0xFF, an overlong '/', an encoded surrogate, a sequence cut short at the end.
        Assert.False(StoredJson.IsWritable(json));
    }
}
