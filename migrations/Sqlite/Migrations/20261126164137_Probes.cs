using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MeshPortal.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class Probes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ProbeHistory",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SourceClusterId = table.Column<int>(type: "INTEGER", nullable: false),
                    TargetClusterId = table.Column<int>(type: "INTEGER", nullable: false),
                    Host = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Port = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    HttpStatus = table.Column<int>(type: "INTEGER", nullable: true),
                    LatencyMs = table.Column<double>(type: "REAL", nullable: true),
                    ObservedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProbeHistory", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ProbeResults",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SourceClusterId = table.Column<int>(type: "INTEGER", nullable: false),
                    TargetClusterId = table.Column<int>(type: "INTEGER", nullable: false),
                    ExportId = table.Column<int>(type: "INTEGER", nullable: false),
                    Host = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Port = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    HttpStatus = table.Column<int>(type: "INTEGER", nullable: true),
                    LatencyMs = table.Column<double>(type: "REAL", nullable: true),
                    ExitCode = table.Column<int>(type: "INTEGER", nullable: true),
                    Message = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Hint = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ObservedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProbeResults", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ProbeResults_Clusters_SourceClusterId",
                        column: x => x.SourceClusterId,
                        principalTable: "Clusters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ProbeRollups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SourceClusterId = table.Column<int>(type: "INTEGER", nullable: false),
                    TargetClusterId = table.Column<int>(type: "INTEGER", nullable: false),
                    Host = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Port = table.Column<int>(type: "INTEGER", nullable: false),
                    HourStart = table.Column<long>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    OkCount = table.Column<int>(type: "INTEGER", nullable: false),
                    LatencySumMs = table.Column<double>(type: "REAL", nullable: false),
                    LatencyMaxMs = table.Column<double>(type: "REAL", nullable: false),
                    WorstStatus = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProbeRollups", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ProbeHistory_ObservedAt",
                table: "ProbeHistory",
                column: "ObservedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ProbeHistory_SourceClusterId_Host_Port_ObservedAt",
                table: "ProbeHistory",
                columns: new[] { "SourceClusterId", "Host", "Port", "ObservedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ProbeResults_SourceClusterId_Host_Port",
                table: "ProbeResults",
                columns: new[] { "SourceClusterId", "Host", "Port" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ProbeResults_TargetClusterId",
                table: "ProbeResults",
                column: "TargetClusterId");

            migrationBuilder.CreateIndex(
                name: "IX_ProbeRollups_HourStart",
                table: "ProbeRollups",
                column: "HourStart");

            migrationBuilder.CreateIndex(
                name: "IX_ProbeRollups_SourceClusterId_Host_Port_HourStart",
                table: "ProbeRollups",
                columns: new[] { "SourceClusterId", "Host", "Port", "HourStart" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ProbeHistory");

            migrationBuilder.DropTable(
                name: "ProbeResults");

            migrationBuilder.DropTable(
                name: "ProbeRollups");
        }
    }
}
