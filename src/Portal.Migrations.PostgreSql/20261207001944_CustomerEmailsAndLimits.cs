using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class CustomerEmailsAndLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CustomerEmail",
                table: "checkout_attempts",
                type: "character varying(320)",
                maxLength: 320,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "outcome_emails",
                columns: table => new
                {
                    JobId = table.Column<long>(type: "bigint", nullable: false),
                    AttemptId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Occasion = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    MessageId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Result = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Tries = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outcome_emails", x => x.JobId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_outcome_emails_AttemptId_JobId",
                table: "outcome_emails",
                columns: new[] { "AttemptId", "JobId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "outcome_emails");

            migrationBuilder.DropColumn(
                name: "CustomerEmail",
                table: "checkout_attempts");
        }
    }
}
