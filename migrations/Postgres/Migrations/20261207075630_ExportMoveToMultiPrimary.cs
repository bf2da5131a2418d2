using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MeshPortal.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ExportMoveToMultiPrimary : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "MoveFinishedAt",
                table: "Exports",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MoveNote",
                table: "Exports",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MovePhase",
                table: "Exports",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "None"); // existing exports were never moved (ExportMovePhase.None); EF would write "", which is no phase

            migrationBuilder.AddColumn<long>(
                name: "MoveStartedAt",
                table: "Exports",
                type: "bigint",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "MoveFinishedAt",
                table: "Exports");

            migrationBuilder.DropColumn(
                name: "MoveNote",
                table: "Exports");

            migrationBuilder.DropColumn(
                name: "MovePhase",
                table: "Exports");

            migrationBuilder.DropColumn(
                name: "MoveStartedAt",
                table: "Exports");
        }
    }
}
