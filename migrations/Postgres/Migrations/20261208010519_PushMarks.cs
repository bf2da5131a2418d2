using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MeshPortal.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class PushMarks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PushMarks",
                columns: table => new
                {
                    ClusterId = table.Column<int>(type: "integer", nullable: false),
                    QueuedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PushMarks", x => x.ClusterId);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PushMarks");
        }
    }
}
