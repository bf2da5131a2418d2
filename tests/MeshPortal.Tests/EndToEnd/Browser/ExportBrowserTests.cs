using System.Net.Http.Json;
using MeshPortal.Tests.Support.Browser;
using MeshPortal.Tests.Support.Browser.Pages;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>The exports pages in Chromium: pick cluster, namespace and service from the live lists, preview, save, see the chips, unexport.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class ExportBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Export_WithPreview_ThenUnexport()
    {
        using var api = portal.CreateClient();
        var exporter = await PortalApi.RegisterAsync(api, portal, "cluster-2", "ui-exp2");
        var consumer = await PortalApi.RegisterAsync(api, portal, "cluster-1", "ui-exp1");
        await using var session = await browser.SignedInAsync(portal.BaseAddress);
        try
        {
            var form = session.ExportForm;
            await form.GotoNewAsync();
            await form.PickServiceAsync(exporter, "bar", "httpbin");
            await session.ShotAsync("19-export-picked");
            await Assertions.Expect(session.Page.Locator(".mud-checkbox", new() { HasText = "8000" })).ToHaveCountAsync(1);
            await form.OnlyTheseConsumersAsync(consumer);
            await form.PreviewAsync();
            await session.ShotAsync("19b-after-preview");
            await Assertions.Expect(form.PreviewDiff.Filter(new() { HasText = "httpbin.bar.global" })).ToHaveCountAsync(1);
            await Assertions.Expect(form.PreviewPanel).ToContainTextAsync("Update");
            await session.ShotAsync("20-export-preview");

            await form.SaveAsync();
            var exports = session.Exports;
            var row = exports.Row("httpbin.bar.global");
            await Assertions.Expect(row).ToContainTextAsync("240.0.");
            await Assertions.Expect(ExportsPage.ConsumerChip(row)).ToContainTextAsync(consumer);
            await exports.WaitSyncedAsync(row, "the consumer chip to show Synced");
            await session.ShotAsync("21-exports-list");

            await row.Locator("button[aria-label=Unexport]").ClickAsync();
            await Assertions.Expect(exports.Dialog).ToContainTextAsync($"{consumer} will lose the ServiceEntry");
            await session.ShotAsync("22-unexport-confirm");
            await exports.DialogButton("Unexport").ClickAsync();
            await Assertions.Expect(exports.Row("httpbin.bar.global")).ToHaveCountAsync(0);
            await session.ShotAsync("23-exports-after-unexport");
            Assert.Empty(session.ConsoleErrors);
        }
        finally
        {
            foreach (var e in (await PortalApi.JsonAsync(await api.GetAsync("/api/v1/exports"))).AsArray())
            {
                if ((string?)e!["cluster"] == exporter)
                {
                    await api.DeleteAsync($"/api/v1/exports/{e["id"]}");
                }
            }

            await Eventually.ReturnsAsync(
                () => Task.FromResult(portal.Mesh["cluster-1"].Get("networking.istio.io", "serviceentries", "meshportal-exports", "httpbin-bar-global")),
                se => se is null, "the ServiceEntry to be pruned");
            await api.DeleteAsync($"/api/v1/clusters/{exporter}");
            await api.DeleteAsync($"/api/v1/clusters/{consumer}");
        }
    }

    /// <summary>Issue 16: the preview of a host that is already exported shows the conflict Save would refuse, not a clean plan.</summary>
    [BrowserFact]
    public async Task Preview_of_an_already_exported_host_shows_the_conflict()
    {
        using var api = portal.CreateClient();
        var exporter = await PortalApi.RegisterAsync(api, portal, "cluster-2", "ui-dup2");
        var consumer = await PortalApi.RegisterAsync(api, portal, "cluster-2", "ui-dup1");
        var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = exporter, @namespace = "bar", service = "httpbin", consumers = new[] { consumer } });
        var export = await PortalApi.JsonAsync(created);
        await using var session = await browser.OpenAsync(portal.BaseAddress);
        try
        {
            Assert.True(created.IsSuccessStatusCode, export.ToJsonString());
            await session.SignInAsync();
            var form = session.ExportForm;
            await form.GotoNewAsync();
            await form.PickServiceAsync(exporter, "bar", "httpbin");
            await form.PreviewAsync();
            await Assertions.Expect(form.PreviewConflict).ToContainTextAsync($"already exported from this cluster (export {export["id"]})");
            await Assertions.Expect(form.PreviewDiff).ToHaveCountAsync(0);
            await session.ShotAsync("20b-export-preview-conflict");
        }
        finally
        {
            if (export["id"] is { } id)
            {
                await api.DeleteAsync($"/api/v1/exports/{id}");
            }

            await api.DeleteAsync($"/api/v1/clusters/{exporter}");
            await api.DeleteAsync($"/api/v1/clusters/{consumer}");
        }
    }
}
