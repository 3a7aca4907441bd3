using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SweeperAndRejectedDeliveryTallies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "NextSweepAt",
                table: "checkout_attempts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SessionExpiresAt",
                table: "checkout_attempts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "rejected_delivery_tallies",
                columns: table => new
                {
                    Minute = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false),
                    MinSkewSeconds = table.Column<long>(type: "INTEGER", nullable: true),
                    MaxSkewSeconds = table.Column<long>(type: "INTEGER", nullable: true),
                    LastAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rejected_delivery_tallies", x => new { x.Minute, x.Reason });
                });

            migrationBuilder.CreateIndex(
                name: "IX_checkout_attempts_Status_NextSweepAt",
                table: "checkout_attempts",
                columns: new[] { "Status", "NextSweepAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "rejected_delivery_tallies");

            migrationBuilder.DropIndex(
                name: "IX_checkout_attempts_Status_NextSweepAt",
                table: "checkout_attempts");

            migrationBuilder.DropColumn(
                name: "NextSweepAt",
                table: "checkout_attempts");

            migrationBuilder.DropColumn(
                name: "SessionExpiresAt",
                table: "checkout_attempts");
        }
    }
}
