using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SupportReceiptAndAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "After",
                table: "audit_entries",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Before",
                table: "audit_entries",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GateRequestId",
                table: "audit_entries",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LocalRailTransactionId",
                table: "attempt_receipts",
                type: "TEXT",
                maxLength: 120,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_RunId_Id",
                table: "audit_entries",
                columns: new[] { "RunId", "Id" });

            // Support searches receipts by what the customer quotes (wallet, on-chain hash, local-rail id): folded like
            // the other id kinds, so SearchKeys.Fold's range is an index range scan.
            migrationBuilder.Sql("""CREATE INDEX "IX_attempt_receipts_WalletAddress_folded" ON "attempt_receipts" (lower("WalletAddress"));""");
            migrationBuilder.Sql("""CREATE INDEX "IX_attempt_receipts_TransactionHash_folded" ON "attempt_receipts" (lower("TransactionHash"));""");
            migrationBuilder.Sql("""CREATE INDEX "IX_attempt_receipts_LocalRailTransactionId_folded" ON "attempt_receipts" (lower("LocalRailTransactionId"));""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_attempt_receipts_WalletAddress_folded";""");
            migrationBuilder.Sql("""DROP INDEX "IX_attempt_receipts_TransactionHash_folded";""");
            migrationBuilder.Sql("""DROP INDEX "IX_attempt_receipts_LocalRailTransactionId_folded";""");

            migrationBuilder.DropIndex(
                name: "IX_audit_entries_RunId_Id",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "After",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "Before",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "GateRequestId",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "LocalRailTransactionId",
                table: "attempt_receipts");
        }
    }
}
