using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "checkout_attempts",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Flow = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Amount = table.Column<string>(type: "TEXT", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    TargetToken = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    TargetNetwork = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    WalletAddress = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    GateSessionId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    TxRefId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ClosedByEventId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    NeedsReview = table.Column<bool>(type: "INTEGER", nullable: false),
                    StartToken = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_checkout_attempts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "processed_events",
                columns: table => new
                {
                    EventId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    EventType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    GateSessionId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    AttemptId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SignedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_processed_events", x => x.EventId);
                });

            migrationBuilder.CreateTable(
                name: "rejected_deliveries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BodyLength = table.Column<int>(type: "INTEGER", nullable: false),
                    BodySha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TimestampSkewSeconds = table.Column<long>(type: "INTEGER", nullable: true),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rejected_deliveries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "attempt_receipts",
                columns: table => new
                {
                    AttemptId = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    TxRefId = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Token = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    TokenAmount = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    Network = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    TransactionHash = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    ExplorerUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    FiatAmount = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    TotalFees = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    TotalPayOrReceive = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    WalletAddress = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    MaskedBankAccount = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    PermalinkUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    FetchedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_attempt_receipts", x => x.AttemptId);
                    table.ForeignKey(
                        name: "FK_attempt_receipts_checkout_attempts_AttemptId",
                        column: x => x.AttemptId,
                        principalTable: "checkout_attempts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "attempt_timeline",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AttemptId = table.Column<string>(type: "TEXT", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    FromStatus = table.Column<string>(type: "TEXT", maxLength: 24, nullable: true),
                    ToStatus = table.Column<string>(type: "TEXT", maxLength: 24, nullable: true),
                    EventId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    EventType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    GateSessionId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    GateRequestId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_attempt_timeline", x => x.Id);
                    table.ForeignKey(
                        name: "FK_attempt_timeline_checkout_attempts_AttemptId",
                        column: x => x.AttemptId,
                        principalTable: "checkout_attempts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_attempt_timeline_AttemptId_Id",
                table: "attempt_timeline",
                columns: new[] { "AttemptId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_attempt_timeline_GateSessionId",
                table: "attempt_timeline",
                column: "GateSessionId");

            migrationBuilder.CreateIndex(
                name: "IX_checkout_attempts_AccountId_CreatedAt",
                table: "checkout_attempts",
                columns: new[] { "AccountId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_checkout_attempts_AccountId_StartToken",
                table: "checkout_attempts",
                columns: new[] { "AccountId", "StartToken" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_checkout_attempts_GateSessionId",
                table: "checkout_attempts",
                column: "GateSessionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_checkout_attempts_Status_UpdatedAt",
                table: "checkout_attempts",
                columns: new[] { "Status", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_processed_events_ReceivedAt",
                table: "processed_events",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_rejected_deliveries_ReceivedAt",
                table: "rejected_deliveries",
                column: "ReceivedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "attempt_receipts");

            migrationBuilder.DropTable(
                name: "attempt_timeline");

            migrationBuilder.DropTable(
                name: "processed_events");

            migrationBuilder.DropTable(
                name: "rejected_deliveries");

            migrationBuilder.DropTable(
                name: "checkout_attempts");
        }
    }
}
