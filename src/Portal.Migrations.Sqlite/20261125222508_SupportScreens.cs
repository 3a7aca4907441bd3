using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SupportScreens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CancelUrl",
                table: "checkout_attempts",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GateEnvironment",
                table: "checkout_attempts",
                type: "TEXT",
                maxLength: 8,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReturnUrl",
                table: "checkout_attempts",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GateRequestId",
                table: "attempt_receipts",
                type: "TEXT",
                maxLength: 120,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ActorSubject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ActorRole = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AttemptId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Result = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    RunId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_entries", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_checkout_attempts_CreatedAt",
                table: "checkout_attempts",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_checkout_attempts_NeedsReview_CreatedAt",
                table: "checkout_attempts",
                columns: new[] { "NeedsReview", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_Action_OccurredAt",
                table: "audit_entries",
                columns: new[] { "Action", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_ActorSubject_OccurredAt",
                table: "audit_entries",
                columns: new[] { "ActorSubject", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_AttemptId_Id",
                table: "audit_entries",
                columns: new[] { "AttemptId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_OccurredAt",
                table: "audit_entries",
                column: "OccurredAt");

            // Case-insensitive prefix search over every id kind: indexes on exactly lower(x), which SearchKeys.Fold translates to on SQLite
            // (EF Core's model cannot describe expression indexes; a future migration that rebuilds one of these tables must
            // create them again).
            migrationBuilder.Sql("""CREATE INDEX "IX_checkout_attempts_Id_folded" ON "checkout_attempts" (lower("Id"));""");
            migrationBuilder.Sql("""CREATE INDEX "IX_checkout_attempts_GateSessionId_folded" ON "checkout_attempts" (lower("GateSessionId"));""");
            migrationBuilder.Sql("""CREATE INDEX "IX_checkout_attempts_TxRefId_folded" ON "checkout_attempts" (lower("TxRefId"));""");
            migrationBuilder.Sql("""CREATE INDEX "IX_checkout_attempts_AccountId_folded" ON "checkout_attempts" (lower("AccountId"));""");
            migrationBuilder.Sql("""CREATE INDEX "IX_processed_events_EventId_folded" ON "processed_events" (lower("EventId"));""");
            migrationBuilder.Sql("""CREATE INDEX "IX_attempt_timeline_EventId_folded" ON "attempt_timeline" (lower("EventId"));""");

            // Append-only: the store itself refuses to change or remove an audit entry.
            migrationBuilder.Sql("""CREATE TRIGGER "audit_entries_no_update" BEFORE UPDATE ON "audit_entries" BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;""");
            migrationBuilder.Sql("""CREATE TRIGGER "audit_entries_no_delete" BEFORE DELETE ON "audit_entries" BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_checkout_attempts_Id_folded";""");
            migrationBuilder.Sql("""DROP INDEX "IX_checkout_attempts_GateSessionId_folded";""");
            migrationBuilder.Sql("""DROP INDEX "IX_checkout_attempts_TxRefId_folded";""");
            migrationBuilder.Sql("""DROP INDEX "IX_checkout_attempts_AccountId_folded";""");
            migrationBuilder.Sql("""DROP INDEX "IX_processed_events_EventId_folded";""");
            migrationBuilder.Sql("""DROP INDEX "IX_attempt_timeline_EventId_folded";""");

            migrationBuilder.DropTable(
                name: "audit_entries");

            migrationBuilder.DropIndex(
                name: "IX_checkout_attempts_CreatedAt",
                table: "checkout_attempts");

            migrationBuilder.DropIndex(
                name: "IX_checkout_attempts_NeedsReview_CreatedAt",
                table: "checkout_attempts");

            migrationBuilder.DropColumn(
                name: "CancelUrl",
                table: "checkout_attempts");

            migrationBuilder.DropColumn(
                name: "GateEnvironment",
                table: "checkout_attempts");

            migrationBuilder.DropColumn(
                name: "ReturnUrl",
                table: "checkout_attempts");

            migrationBuilder.DropColumn(
                name: "GateRequestId",
                table: "attempt_receipts");
        }
    }
}
