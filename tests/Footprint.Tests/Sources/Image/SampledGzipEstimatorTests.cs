using System.Globalization;
using Footprint.Sources.Image;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Sources.Image;

/// <summary>
/// The push-size estimate against its independent ground truth: GNU `gzip -6` of every byte of every uncompressed
/// layer in the docker-archive fixtures. The error bound the estimate states must contain the real figure, and must
/// be tight enough to mean something.
/// </summary>
public sealed class SampledGzipEstimatorTests
{
    /// <summary>Every distinct uncompressed layer tar of the docker-archive fixtures (archive, member).</summary>
    public static TheoryData<string, string> Layers => new()
    {
        { "debian/minbase.docker.tar", "e01e1fcfb7c6575c53f07301f3f3e0cb815e79deb3d9819d271b49f20f0fdb8d.tar" },
        { "debian/two.docker.tar", "6fca80533cde5fdc89576acb13cdc808816524905d10986ce136262c7b270f20.tar" },
        { "scratch-busybox/docker.tar", "debfaf53a57b94f9a7940d9d8a3790eccac79a12d9e09cf1ef162014febf6b29.tar" },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Should_state_a_bound_that_holds_against_gzip_6_of_the_whole_layer(string archive, string member)
    {
        using var dir = new TempDir();
        var layer = Extract(archive, member, dir);
        var length = new FileInfo(layer).Length;
        var gzip = GzipSix(layer);

        // Layers over 16 MiB get the default plan; smaller ones (compressed whole in production) a plan scaled down
        // so that the estimator itself is exercised on every fixture.
        var production = length > PushSizeStream.ExactBelowBytes;
        var estimator = production ? new SampledGzipEstimator(length) : new SampledGzipEstimator(length, 32, 16 << 10);
        var estimate = Feed(estimator, layer);

        Assert.True(estimate.Estimated);
        Assert.Null(estimate.Digest);
        Assert.True(estimate.SampledBytes < length / 2, $"sampled {estimate.SampledBytes} of {length}");
        Assert.True(Math.Abs(estimate.Bytes - gzip) <= estimate.ErrorBoundBytes,
            $"{member}: estimate {estimate.Bytes} ± {estimate.ErrorBoundBytes}, gzip -6 of all {length} bytes says {gzip}");

        // The production plan's bound must also say something (a scaled-down plan samples too little to be tight).
        Assert.True(!production || estimate.ErrorBoundBytes <= gzip / 5, $"{member}: bound {estimate.ErrorBoundBytes} is over 20% of {gzip}");
    }

    [Fact]
    public void Should_refuse_a_plan_whose_samples_would_overlap()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new SampledGzipEstimator(1 << 20));

    [Fact]
    public void Should_state_a_wider_bound_for_a_layer_of_mixed_content_than_for_uniform_content()
    {
        using var dir = new TempDir();
        var uniform = dir.File("zeros");
        var mixed = dir.File("mixed");
        Tool.Shell($"head -c 33554432 /dev/zero > '{uniform}'");
        Tool.Shell($"for i in $(seq 16); do head -c 1048576 /dev/zero; head -c 1048576 /dev/urandom; done > '{mixed}'");
        var zeros = Feed(new SampledGzipEstimator(32 << 20), uniform);
        var half = Feed(new SampledGzipEstimator(32 << 20), mixed);
        var (halfGzip, zerosGzip) = (GzipSix(mixed), GzipSix(uniform));
        Assert.True(Math.Abs(half.Bytes - halfGzip) <= half.ErrorBoundBytes, $"mixed: {half.Bytes} ± {half.ErrorBoundBytes}, gzip -6 {halfGzip}");
        Assert.True(Math.Abs(zeros.Bytes - zerosGzip) <= zeros.ErrorBoundBytes, $"zeros: {zeros.Bytes} ± {zeros.ErrorBoundBytes}, gzip -6 {zerosGzip}");

        // All-zero samples do not vary: only the 3% for gzip implementations and the flush slack remain. Half random, half zeros: the
        // sampling term dominates.
        Assert.True(zeros.ErrorBoundBytes <= (zeros.Bytes * 3 / 100) + (16 * 1024) + 1, $"zeros: ± {zeros.ErrorBoundBytes} of {zeros.Bytes}");
        Assert.True(half.ErrorBoundBytes > 2 * half.Bytes * 3 / 100, $"mixed: ± {half.ErrorBoundBytes} of {half.Bytes}");
    }

    internal static string Extract(string archive, string member, TempDir dir)
    {
        var path = dir.File("layer.tar");
        Tool.Shell($"tar -xOf '{Repo.Fixture(archive)}' '{member}' > '{path}'");
        return path;
    }

    internal static long GzipSix(string path)
        => long.Parse(Tool.Shell($"gzip -6n < '{path}' | wc -c").Trim(), CultureInfo.InvariantCulture);

    private static PushSize Feed(IPushCompressor compressor, string path)
    {
        using (compressor)
        {
            using var file = File.OpenRead(path);
            var buffer = new byte[200_000];
            long position = 0;
            int n;
            while ((n = file.Read(buffer)) > 0)
            {
                compressor.Accept(buffer.AsSpan(0, n), position);
                position += n;
            }

            return compressor.Complete(position);
        }
    }
}
