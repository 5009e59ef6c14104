using System.Formats.Tar;

// The same-library floor of bench/run.sh (see bench/README.md). Three modes, each doing only what no measurement of
// the artifact can skip, with the libraries footprint itself uses:
//   floor layers FILE...        decode each (gzip/zstd/xz/none by magic) and walk its tar headers, one layer per core
//   floor docker ARCHIVE        walk a docker-archive; decode and walk every member that is a layer tar
//   floor walk ROOT [SKIP...]   parallel metadata walk: every directory listed, every entry lstat'ed, no content
// It prints one line (what it saw) so a broken floor cannot pass for a fast one.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: floor layers FILE... | floor docker ARCHIVE | floor walk ROOT [SKIP_DIR...]");
    return 2;
}

switch (args[0])
{
    case "layers":
        {
            long entries = 0, bytes = 0;
            Parallel.ForEach(args[1..], new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, file =>
            {
                using var stream = File.OpenRead(file);
                var (e, b) = Layers.Walk(stream);
                Interlocked.Add(ref entries, e);
                Interlocked.Add(ref bytes, b);
            });
            Console.WriteLine($"{args.Length - 1} layer(s), {entries} entries, {bytes} tar bytes");
            return 0;
        }

    case "docker":
        {
            long entries = 0, layers = 0, bytes = 0;
            using var archive = File.OpenRead(args[1]);
            using var outer = new TarReader(archive, leaveOpen: true);
            while (outer.GetNextEntry() is { } member)
            {
                if (member.DataStream is null)
                {
                    continue;
                }

                if (member.Name.EndsWith(".tar", StringComparison.Ordinal))
                {
                    var (e, b) = Layers.Walk(member.DataStream);
                    entries += e;
                    bytes += b;
                    layers++;
                }
                else
                {
                    member.DataStream.CopyTo(Stream.Null);
                }
            }

            Console.WriteLine($"{layers} layer(s), {entries} entries, {bytes} tar bytes");
            return 0;
        }

    case "walk":
        {
            var (entries, bytes) = MetadataWalk.Run(args[1], args[2..]);
            Console.WriteLine($"{entries} entries, {bytes} bytes");
            return 0;
        }

    default:
        Console.Error.WriteLine($"unknown mode {args[0]}");
        return 2;
}
