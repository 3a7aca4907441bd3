using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AttemptCloseCauseVerificationReceiptDetails : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ClosedBy",
                table: "checkout_attempts",
                type: "TEXT",
                maxLength: 24,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "VerificationRequiredAt",
                table: "checkout_attempts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExchangeRate",
                table: "attempt_receipts",
                type: "TEXT",
                maxLength: 120,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PaymentMethod",
                table: "attempt_receipts",
                type: "TEXT",
                maxLength: 120,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ClosedBy",
                table: "checkout_attempts");

            migrationBuilder.DropColumn(
                name: "VerificationRequiredAt",
                table: "checkout_attempts");

            migrationBuilder.DropColumn(
                name: "ExchangeRate",
                table: "attempt_receipts");

            migrationBuilder.DropColumn(
                name: "PaymentMethod",
                table: "attempt_receipts");
        }
    }
}
