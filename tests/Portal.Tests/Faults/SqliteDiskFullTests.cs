using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Portal.Tests.Faults;

/// <summary>
/// The SQLite store's file system fills up (issue 20, case 3): a small tmpfs made for the test holds the portal's
/// database, a filler file takes the rest of the space while completions arrive. Deliveries get 503 with Retry-After,
/// <c>/readyz</c> says the store is not ready, the admin overview says why; once the filler is gone, 0Gate's retries are
/// stored, the portal is ready again by itself, every attempt is closed once and <c>PRAGMA integrity_check</c> is ok.
/// </summary>
public sealed class SqliteDiskFullTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const int Attempts = 60;
    private readonly DirectoryInfo _mount = Directory.CreateTempSubdirectory("portal-full-disk-");
    private bool _mounted;
    private DiskFullPortal? _portal;

    public async Task InitializeAsync()
    {
        // 8 MiB: room for the migrated database, its WAL and the key ring, and little else.
        _mounted = await Mount.TryTmpfsAsync(_mount.FullName, "8m");
        if (_mounted)
        {
            _portal = new DiskFullPortal(Path.Combine(_mount.FullName, "portal.db"));
        }
    }

    [Fact]
    public async Task A_full_disk_answers_503_reports_not_ready_and_recovers_by_itself_once_space_returns()
    {
        if (!_mounted)
        {
            // Mounting needs root (or CAP_SYS_ADMIN); ./test.sh runs as root in CI. Say so instead of pretending.
            output.WriteLine($"SKIPPED: could not mount a small tmpfs at {_mount.FullName} ({Mount.LastError}); the disk-full case needs root.");
            return;
        }

        var portal = _portal!;
        using var client = portal.CreateClient();
        using var admin = await portal.SignedInClientAsync("ada", "Ada", "admin");
        (await client.GetAsync("/readyz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var seeded = await SeedAsync(portal);
        var deliveries = seeded.Select(x =>
        {
            var id = "evt_" + Guid.NewGuid().ToString("n");
            return (EventId: id, Json: GateEvents.Json(id, GateEventTypes.SessionCompleted, x.SessionId, x.AttemptId, "tx_" + x.AttemptId[4..]));
        }).ToList();

        // The first third arrives while there is room.
        var clock = Stopwatch.StartNew();
        var answers = new List<DeliveryAnswer>();
        foreach (var delivery in deliveries.Take(Attempts / 3))
        {
            answers.Add(await DeliveryLoad.SendOneAsync(client, delivery, clock));
        }

        answers.ShouldAllBe(x => x.Status == 200);

        // Then the disk fills up. The WAL is emptied first: SQLite reuses a WAL's space after a checkpoint, so writes
        // could otherwise go on for a while into space it already holds.
        await portal.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)"));
        var filler = Path.Combine(_mount.FullName, "filler");
        var filled = Fill(filler);
        var full = new List<DeliveryAnswer>();
        foreach (var delivery in deliveries.Skip(Attempts / 3))
        {
            full.Add(await DeliveryLoad.SendOneAsync(client, delivery, clock));
        }

        using var ready = await client.GetAsync("/readyz");
        var readyBody = await ready.Content.ReadAsStringAsync();
        var overview = await (await admin.GetAsync("/admin")).Content.ReadAsStringAsync();
        output.WriteLine($"Disk full (filler {filled / 1024} KiB on an 8 MiB tmpfs): {DeliveryLoad.Describe(full)}; /readyz {(int)ready.StatusCode}");

        full.ShouldContain(x => x.Status == 503, "with the disk full nothing can be stored");
        full.ShouldAllBe(x => x.Status == 200 || (x.Status == 503 && x.RetryAfter), "503 with Retry-After, never a 500");
        var bound = MachineLoad.Bound(TimeSpan.FromSeconds(5), out var loadNote);
        full.Count(x => x.Took > bound).ShouldBe(0, $"answered within 5 s, not a hang ({loadNote})");
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, readyBody);
        overview.ShouldContain("The store is refusing writes");
        overview.ShouldContain("disk is full");

        // Space returns: 0Gate's retries are stored, and the portal is ready again without a restart.
        File.Delete(filler);
        var freed = clock.Elapsed;
        var retries = await DeliveryLoad.RetryUntilAcknowledgedAsync(client, deliveries, answers.Concat(full), TimeSpan.FromSeconds(30));
        await Wait.UntilAsync(async () => (await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(10), () => "/readyz did not recover");
        output.WriteLine($"  after the filler was deleted: {DeliveryLoad.Describe(retries)}; ready again {(clock.Elapsed - freed).TotalSeconds:0.0} s after");
        (await (await admin.GetAsync("/admin")).Content.ReadAsStringAsync()).ShouldNotContain("The store is refusing writes");

        // Nothing half-written: every event once, every attempt closed once, the file intact.
        var ids = seeded.Select(x => x.AttemptId).ToList();
        var stored = await portal.WithDbAsync(db => db.ProcessedEvents.CountAsync(e => ids.Contains(e.AttemptId!)));
        stored.ShouldBe(Attempts);
        var closes = await portal.WithDbAsync(db => db.Timeline
            .Where(e => ids.Contains(e.AttemptId!) && e.Kind == TimelineKind.StateChanged && e.ToStatus == AttemptStatus.Fulfilled)
            .GroupBy(e => e.AttemptId).Select(g => g.Count()).ToListAsync());
        closes.Count.ShouldBe(Attempts);
        closes.ShouldAllBe(n => n == 1);
        (await portal.WithDbAsync(db => db.Database.SqlQueryRaw<string>("PRAGMA integrity_check").ToListAsync())).ShouldBe(["ok"]);
        output.WriteLine($"  stored {stored} events for {Attempts} attempts, each closed once; integrity_check ok");
    }

    private static async Task<List<(string AttemptId, string SessionId)>> SeedAsync(DiskFullPortal portal)
    {
        var writer = portal.Services.GetService(typeof(AttemptWriter)) as AttemptWriter ?? throw new InvalidOperationException("no AttemptWriter");
        var seeded = new List<(string, string)>();
        for (var i = 0; i < Attempts; i++)
        {
            var attempt = await writer.CreateAsync(new NewAttempt("acct-disk-full", CheckoutFlow.OnRamp, 10m, "EUR", "USDC", "base"), CancellationToken.None);
            var session = "gs_" + Guid.NewGuid().ToString("n");
            await writer.AttachSessionAsync(attempt.Id, session, null, CancellationToken.None);
            seeded.Add((attempt.Id, session));
        }

        return seeded;
    }

    /// <summary>Writes zeros until the file system says it is full; returns the bytes written.</summary>
    private static long Fill(string path)
    {
        var chunk = new byte[64 * 1024];
        long written = 0;
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        try
        {
            while (true)
            {
                file.Write(chunk);
                written += chunk.Length;
            }
        }
        catch (IOException)
        {
            // ENOSPC: the disk is full.
        }

        // Top up the last partial chunk, byte blocks at a time.
        try
        {
            while (true)
            {
                file.Write(chunk, 0, 512);
                written += 512;
            }
        }
        catch (IOException)
        {
            return written;
        }
    }

    public void Dispose() => _portal?.Dispose();

    public async Task DisposeAsync()
    {
        if (_portal is not null)
        {
            await _portal.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        if (_mounted)
        {
            await Mount.UnmountAsync(_mount.FullName);
        }

        _mount.Delete(recursive: true);
    }

    /// <summary>The real portal host with its SQLite file on the small file system.</summary>
    private sealed class DiskFullPortal(string databasePath) : PortalAppFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
        [
            new("ConnectionStrings:Portal", $"Data Source={databasePath}"),
            // The first write failure is what the test looks at; the host's own warnings would only repeat it.
            new("Logging:LogLevel:Default", "Critical"),
            new("Logging:LogLevel:Microsoft.EntityFrameworkCore", "None"),
        ];
    }
}

/// <summary>mount/umount for a test's own small file system.</summary>
internal static class Mount
{
    public static string LastError { get; private set; } = "";

    public static async Task<bool> TryTmpfsAsync(string directory, string size)
    {
        if (!OperatingSystem.IsLinux())
        {
            LastError = "not Linux";
            return false;
        }

        var (exit, text) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={size},mode=0777", "tmpfs", directory);
        LastError = exit == 0 ? "" : text.Trim();
        return exit == 0;
    }

    public static async Task UnmountAsync(string directory) => await RunAsync("umount", "-l", directory);

    private static async Task<(int Exit, string Output)> RunAsync(string program, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var text = await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, text);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return (-1, ex.Message);
        }
    }
}
