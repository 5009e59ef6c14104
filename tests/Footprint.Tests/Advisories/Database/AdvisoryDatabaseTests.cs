using Footprint.Advisories.Database;
using Footprint.Advisories.Feeds;
using Footprint.Advisories.Model;
using Footprint.Formats;
using Footprint.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace Footprint.Tests.Advisories.Database;

/// <summary>The SQLite advisory database: indexed lookups, idempotent and transactional imports, snapshot and coverage.</summary>
public sealed class AdvisoryDatabaseTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private static string V310Main => Repo.CorpusFile("vulndata/alpine-secdb/v3.10/main.yaml");

    private static string Dsa => Repo.CorpusFile("vulndata/debian-security-tracker/data/DSA/list");

    [Fact]
    public void Should_find_the_statements_of_one_package_in_exactly_one_release()
    {
        using var db = AdvisoryDatabase.Open(_dir.File("a.db"));
        db.ImportFiles([V310Main, Repo.CorpusFile("vulndata/alpine-secdb/v3.11/main.yaml"), Dsa]);

        var musl = db.Find(new DistroRelease("alpine", "3.10"), "musl");
        Assert.Equal(["CVE-2016-8859", "CVE-2019-14697"], musl.Select(a => a.Id));
        var fix = musl.Single(a => a.Id == "CVE-2019-14697");
        Assert.Equal((FixState.Fixed, "1.1.22-r3", FeedKind.AlpineSecfixesYaml, V310Main), (fix.State, fix.FixedVersions.Single(), fix.Origin.Feed, fix.Origin.File));
        Assert.Equal(1130, fix.Origin.Line);

        var zlib = db.Find(DistroRelease.Create("debian", "bullseye"), "zlib");
        var dsa = Assert.Single(zlib, a => a.Id == "DSA-5218-1");
        Assert.Equal(["1:1.2.11.dfsg-2+deb11u2"], dsa.FixedVersions);
        Assert.Equal(["CVE-2022-37434"], dsa.Aliases);
        Assert.Equal(new DateTimeOffset(2022, 8, 25, 0, 0, 0, TimeSpan.Zero), dsa.Published);

        // Another release's data never leaks in: buster's openssl fixes are not bullseye's.
        var bullseye = db.Find(new DistroRelease("debian", "11"), "openssl").Select(a => a.Id).ToList();
        var buster = db.Find(new DistroRelease("debian", "10"), "openssl").Select(a => a.Id).ToList();
        Assert.Contains("DSA-5343-1", bullseye);
        Assert.DoesNotContain("DSA-5343-1", buster);
        Assert.Empty(db.Find(new DistroRelease("alpine", "3.9"), "musl"));
    }

    [Fact]
    public void Should_look_up_through_the_distro_release_package_index()
    {
        using var db = AdvisoryDatabase.Open(_dir.File("a.db"));
        Assert.Contains("USING INDEX advisories_by_package (distro=? AND release=? AND package=?)", db.FindPlan(), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_report_coverage_and_a_release_without_data_as_not_covered()
    {
        using var db = AdvisoryDatabase.Open(_dir.File("a.db"));
        db.ImportFiles([V310Main, Repo.CorpusFile("vulndata/alpine-secdb/v3.10/community.yaml")]);
        var covered = db.Coverage(DistroRelease.Create("alpine", "3.10.9"));
        Assert.True(covered.Covered);
        Assert.Equal(["alpine-secdb:3.10/community", "alpine-secdb:3.10/main"], covered.Feeds.Select(f => f.Key));
        Assert.Equal(1159, covered.Feeds.Single(f => f.Key.EndsWith("main", StringComparison.Ordinal)).Advisories);
        var missing = db.Coverage(DistroRelease.Create("alpine", "3.12"));
        Assert.False(missing.Covered);
        Assert.Empty(missing.Feeds);
        Assert.Equal([new DistroRelease("alpine", "3.10")], db.AllCoverage().Select(c => c.Release));
    }

    [Fact]
    public void Should_record_the_snapshot_with_digest_size_and_dates()
    {
        using var db = AdvisoryDatabase.Open(_dir.File("a.db"));
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        db.ImportFiles([Dsa]);
        var feed = Assert.Single(db.Snapshot());
        var sha = Tool.Output("sha256sum", Dsa).Split(' ')[0];
        Assert.Equal(("debian-dsa", FeedKind.DebianDsaList, sha, new FileInfo(Dsa).Length), (feed.Key, feed.Kind, feed.Sha256, feed.SizeBytes));
        Assert.Equal(new DateTimeOffset(2023, 3, 29, 0, 0, 0, TimeSpan.Zero), feed.FeedDate);
        Assert.InRange(feed.ImportedAt, before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public void Should_import_idempotently_and_replace_a_changed_copy()
    {
        var copy = _dir.File("main.yaml");
        File.Copy(V310Main, copy);
        using var db = AdvisoryDatabase.Open(_dir.File("a.db"));
        Assert.Equal(ImportOutcome.Added, db.ImportFiles([copy]).Single().Outcome);
        Assert.Equal(ImportOutcome.Unchanged, db.ImportFiles([copy]).Single().Outcome);
        Assert.Equal(2, db.Find(new DistroRelease("alpine", "3.10"), "musl").Count);

        // A newer copy of the same feed (same key) drops musl: the old statements go with the old copy.
        File.WriteAllText(copy, "distroversion: v3.10\nreponame: main\npackages:\n  - pkg:\n      name: zlib\n      secfixes:\n        1.2.11-r2:\n          - CVE-2018-25032\n");
        Assert.Equal(ImportOutcome.Replaced, db.ImportFiles([copy]).Single().Outcome);
        Assert.Empty(db.Find(new DistroRelease("alpine", "3.10"), "musl"));
        Assert.Single(db.Find(new DistroRelease("alpine", "3.10"), "zlib"));
        Assert.Equal(1, db.Coverage(new DistroRelease("alpine", "3.10")).Feeds.Single().Advisories);
        Assert.Single(db.Snapshot());
    }

    [Fact]
    public void Should_write_nothing_when_one_file_of_an_import_is_bad()
    {
        var bad = _dir.File("bad.json");
        File.WriteAllText(bad, "{\"distroversion\":\"v3.11\",\"packages\":[{\"pkg\":{\"name\":[]}}]}");
        using var db = AdvisoryDatabase.Open(_dir.File("a.db"));
        var e = Assert.Throws<FootprintFormatException>(() => db.ImportFiles([V310Main, bad]));
        Assert.Equal($"{bad}: $.packages[0].pkg.name: expected a string, found a list", e.Message);
        Assert.Empty(db.Snapshot());
        Assert.Empty(db.AllCoverage());
    }

    [Fact]
    public void Should_roll_back_a_failed_transaction()
    {
        using var db = AdvisoryDatabase.Open(_dir.File("a.db"));
        var good = FeedImporter.Import(V310Main);
        // Two batches under one key in one import: refused before the first row is written.
        Assert.Throws<InvalidDataException>(() => db.Import([(good, "a", 1), (good, "b", 1)]));
        Assert.Empty(db.Snapshot());
    }

    [Fact]
    public void Should_keep_states_triage_ranges_and_severity_through_the_database()
    {
        using var db = AdvisoryDatabase.Open(_dir.File("a.db"));
        db.ImportFiles([Repo.CorpusFile("vulndata/vulnerablecode/vulnerabilities/tests/test_data/debian.json"),
            Repo.CorpusFile("vulndata/vunnel/tests/unit/providers/ubuntu/test-fixtures/osv/cve/2016/UBUNTU-CVE-2016-20013.json")]);
        var librsync = db.Find(new DistroRelease("debian", "10"), "librsync").Single();
        Assert.Equal((FixState.Unfixed, DistroTriage.NoDsa, "Minor issue, too instrusive to backport", SeverityLevel.Low),
            (librsync.State, librsync.Triage, librsync.Note, librsync.Severity!.Level));
        var eglibc = db.Find(new DistroRelease("ubuntu", "14.04-pro"), "eglibc").Single();
        Assert.Equal([new AffectedRange("0", null, null)], eglibc.Ranges);
        Assert.Equal(("ubuntu-priority", "negligible"), (eglibc.Severity!.Source, eglibc.Severity.Raw));
    }

    [Theory]
    [InlineData("UPDATE advisories SET state = '42'", "advisories", "'42' is not a FixState")]
    [InlineData("UPDATE advisories SET state = 'Fixed, Unfixed'", "advisories", "is not a FixState")]
    [InlineData("UPDATE advisories SET triage = 'fixed'", "advisories", "'fixed' is not a DistroTriage")]
    [InlineData("UPDATE advisories SET severity_level = 'Bogus' || char(27) || '[31m', severity_source = 'x', severity_raw = 'x'", "advisories", "'Bogus\\u001b[31m' is not a SeverityLevel")]
    [InlineData("UPDATE advisories SET ranges = '[[null, null]]'", "advisories", "a range of 2 items, not 4")]
    [InlineData("UPDATE advisories SET ranges = '{'", "advisories", "")]
    [InlineData("UPDATE advisories SET fixed = '[null]'", "advisories", "a null in a list of strings")]
    [InlineData("UPDATE advisories SET aliases = 7", "advisories", "")]
    [InlineData("UPDATE advisories SET published = 'yesterday'", "advisories", "")]
    [InlineData("UPDATE advisories SET origin_kind = 'DebianDsaList '", "advisories", "is not a FeedKind")]
    [InlineData("UPDATE feeds SET kind = '0'", "feeds", "'0' is not a FeedKind")]
    [InlineData("UPDATE feeds SET imported_at = '2026-13-45T00:00:00Z'", "feeds", "")]
    public void Should_refuse_rows_it_did_not_write_naming_the_database_and_table(string tamper, string table, string says)
    {
        var path = _dir.File("t.db");
        using (var db = AdvisoryDatabase.Open(path))
        {
            db.ImportFiles([Dsa]);
        }

        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = tamper;
            Assert.True(command.ExecuteNonQuery() > 0);
        }

        using var reopened = AdvisoryDatabase.Open(path, create: false);
        var read = table == "feeds" ? () => reopened.Snapshot() : (Func<object>)(() => reopened.Find(new DistroRelease("debian", "11"), "zlib"));
        var e = Assert.Throws<FootprintFormatException>(read);
        Assert.StartsWith($"{path}: table {table}: a row this footprint did not write: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(says, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', e.Message);
    }

    [Fact]
    public void Should_refuse_a_file_that_is_not_a_database()
    {
        var path = _dir.File("junk.db");
        File.WriteAllText(path, new string('x', 4096));
        var e = Assert.Throws<IOException>(() => AdvisoryDatabase.Open(path));
        Assert.StartsWith($"{path}: not a usable advisory database", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_default_to_the_xdg_data_directory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        Assert.NotNull(xdg);
        Assert.Equal(Path.Combine(xdg, "footprint", "advisories.db"), AdvisoryDatabase.DefaultPath());
    }
}
