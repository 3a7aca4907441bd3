using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Audit;
using Portal.Core.Persistence;
using Portal.Core.Records;

namespace Portal.Tests.Support;

/// <summary>The staff audit log on each store: append-only, filtered and paged newest first.</summary>
public abstract class AuditLogTests : IAsyncLifetime
{
    protected abstract StoreProvider Provider { get; }

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private CoreHarness _core = null!;

    private AuditLog Log => _core.Get<AuditLog>();

    public async Task InitializeAsync() => _core = await CoreHarness.StartAsync(_time, provider: Provider);

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task The_store_refuses_to_change_or_remove_an_entry()
    {
        await Log.AppendAsync(new AuditEntry(Staff.Sam, AuditAction.CancelSession, "att_x", AuditResult.Changed, "requires_action → cancelled", _time.GetUtcNow(), "asked by phone"), default);

        var update = await Should.ThrowAsync<Exception>(() => _core.WithDbAsync(db =>
            db.AuditEntries.ExecuteUpdateAsync(set => set.SetProperty(e => e.Reason, "rewritten"))));
        var delete = await Should.ThrowAsync<Exception>(() => _core.WithDbAsync(db => db.AuditEntries.ExecuteDeleteAsync()));

        update.Message.ShouldContain("append-only");
        delete.Message.ShouldContain("append-only");
        var kept = (await Log.QueryAsync(new AuditFilter(), 0, 10, default)).Entries.ShouldHaveSingleItem();
        kept.Reason.ShouldBe("asked by phone");
    }

    [Fact]
    public async Task Filters_by_actor_action_and_time_newest_first_in_pages()
    {
        await Append(Staff.Sam, AuditAction.Reconcile);          // 09:00
        _time.Advance(TimeSpan.FromHours(1));
        await Append(Staff.Ada, AuditAction.Reconcile);          // 10:00
        _time.Advance(TimeSpan.FromHours(1));
        await Append(Staff.Sam, AuditAction.CancelSession);      // 11:00
        _time.Advance(TimeSpan.FromHours(1));
        await Append(Staff.Sam, AuditAction.Reconcile);          // 12:00
        var start = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

        var sams = await Log.QueryAsync(new AuditFilter { ActorSubject = "sam" }, 0, 10, default);
        sams.Total.ShouldBe(3);
        sams.Entries.Select(e => e.Action).ShouldBe([AuditAction.Reconcile, AuditAction.CancelSession, AuditAction.Reconcile]);
        sams.Entries.Select(e => e.OccurredAt).ShouldBeInOrder(SortDirection.Descending);

        (await Log.QueryAsync(new AuditFilter { Action = AuditAction.Reconcile }, 0, 10, default)).Total.ShouldBe(3);
        var window = await Log.QueryAsync(new AuditFilter { From = start.AddHours(1), To = start.AddHours(3) }, 0, 10, default);
        window.Entries.Select(e => (e.ActorSubject, e.Action)).ShouldBe([("sam", AuditAction.CancelSession), ("ada", AuditAction.Reconcile)]);

        var second = await Log.QueryAsync(new AuditFilter(), 1, 3, default);
        second.Total.ShouldBe(4);
        second.Entries.ShouldHaveSingleItem().OccurredAt.ShouldBe(start);

        var actors = await Log.ActorsAsync(default);
        actors.ShouldBe([new AuditActor("ada", "Ada"), new AuditActor("sam", "Sam")]);

        var streamed = new List<AuditEntry>();
        await foreach (var entry in Log.StreamAsync(new AuditFilter { ActorSubject = "sam" }, default))
        {
            streamed.Add(entry);
        }

        streamed.Select(e => e.Id).ShouldBe(sams.Entries.Select(e => e.Id));
    }

    private Task Append(StaffMember who, AuditAction action) =>
        Log.AppendAsync(new AuditEntry(who, action, "att_y", AuditResult.Unchanged, "stays requires_action", _time.GetUtcNow()), default);
}

public sealed class AuditLogTestsOnSqlite : AuditLogTests
{
    protected override StoreProvider Provider => StoreProvider.Sqlite;
}

public sealed class AuditLogTestsOnPostgreSql : AuditLogTests
{
    protected override StoreProvider Provider => StoreProvider.PostgreSql;
}
