using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MeshPortal.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ProbePodAndCanary : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ProbeLabelSelector",
                table: "Clusters",
                type: "TEXT",
                maxLength: 253,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProbeNamespace",
                table: "Clusters",
                type: "TEXT",
                maxLength: 63,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ProbeOwnPod",
                table: "Clusters",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "MeshSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    CanaryEnabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MeshSettings", x => x.Id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MeshSettings");

            migrationBuilder.DropColumn(
                name: "ProbeLabelSelector",
                table: "Clusters");

            migrationBuilder.DropColumn(
                name: "ProbeNamespace",
                table: "Clusters");

            migrationBuilder.DropColumn(
                name: "ProbeOwnPod",
                table: "Clusters");
        }
    }
}
