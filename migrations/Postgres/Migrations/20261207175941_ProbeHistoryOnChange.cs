using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MeshPortal.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ProbeHistoryOnChange : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "FirstAt",
                table: "ProbeRollups",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastAt",
                table: "ProbeRollups",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsChange",
                table: "ProbeHistory",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "PreviousStatus",
                table: "ProbeHistory",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FirstAt",
                table: "ProbeRollups");

            migrationBuilder.DropColumn(
                name: "LastAt",
                table: "ProbeRollups");

            migrationBuilder.DropColumn(
                name: "IsChange",
                table: "ProbeHistory");

            migrationBuilder.DropColumn(
                name: "PreviousStatus",
                table: "ProbeHistory");
        }
    }
}
