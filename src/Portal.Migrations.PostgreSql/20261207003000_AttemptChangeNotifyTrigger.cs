using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Portal.Core.Persistence;

#nullable disable

namespace Portal.Migrations.PostgreSql
{
    /// <summary>
    /// Every change of an attempt row is announced to the other instances by <c>pg_notify</c> from a trigger, inside
    /// the changing transaction (delivered on commit, never on rollback), so a write spends no statement on it. The
    /// notice's origin is the writing connection's <c>application_name</c>. The model is unchanged (no snapshot change).
    /// </summary>
    [DbContext(typeof(PostgresPortalDbContext))]
    [Migration("20261207003000_AttemptChangeNotifyTrigger")]
    public partial class AttemptChangeNotifyTrigger : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION portal_notify_attempt_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('portal_attempt_changes', json_build_object(
                        'Origin', current_setting('application_name', true),
                        'AttemptId', NEW."Id",
                        'Status', NEW."Status",
                        'Previous', OLD."Status")::text);
                    RETURN NULL;
                END
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER checkout_attempts_notify_change AFTER UPDATE ON checkout_attempts
                FOR EACH ROW EXECUTE FUNCTION portal_notify_attempt_change();
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS checkout_attempts_notify_change ON checkout_attempts;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS portal_notify_attempt_change();");
        }
    }
}
