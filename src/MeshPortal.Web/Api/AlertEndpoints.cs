using MeshPortal.Core.Features.Alerts;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshPortal.Web.Api;

/// <summary>
/// <c>/api/v1/alerts</c>: alerts (everyone signed in), silences and channels (admins). Channel URLs and secrets are write-only:
/// responses show the URL's scheme and host and whether a secret is set, never more.
/// </summary>
internal static class AlertEndpoints
{
    public static void MapAlertApi(this IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/api/v1/alerts").WithTags("Alerts").RequireAuthorization().DisableAntiforgery();
        alerts.MapGet("/", ListAsync).WithSummary("Alerts, newest first. state=firing|silenced|pending|resolved|active, severity, rule, cluster, team, q.");
        alerts.MapGet("/counts", CountsAsync).WithSummary("Firing (not silenced), of them critical, silenced and pending alerts.");
        alerts.MapPost("/evaluate", EvaluateAsync).RequireAuthorization(Policies.MeshOperate).WithSummary("Evaluate the alert conditions now (the recurring job does it every minute).");

        var silences = app.MapGroup("/api/v1/alerts/silences").WithTags("Alerts").RequireAuthorization(Policies.AlertsManage).DisableAntiforgery();
        silences.MapGet("/", SilencesAsync).WithSummary("Active silences (all=true: ended ones too).");
        silences.MapPost("/", CreateSilenceAsync).WithSummary("Silence matching alerts until endsAt (or for durationMinutes), with a reason; audited.");
        silences.MapDelete("/{id:int}", EndSilenceAsync).WithSummary("End a silence now; audited.");

        var channels = app.MapGroup("/api/v1/alerts/channels").WithTags("Alerts").RequireAuthorization(Policies.AlertsManage).DisableAntiforgery();
        channels.MapGet("/", ChannelsAsync).WithSummary("Channels, without their URLs' paths or secrets.");
        channels.MapGet("/{id:int}", GetChannelAsync).WithSummary("One channel, without its URL's path or secret.");
        channels.MapPost("/", CreateChannelAsync).WithSummary("Add a channel: kind Alertmanager (base URL), Webhook (URL + signing secret) or Slack (incoming webhook URL); team = only that team's alerts.");
        channels.MapPut("/{id:int}", UpdateChannelAsync).WithSummary("Change a channel; an empty url or secret keeps the stored one.");
        channels.MapDelete("/{id:int}", DeleteChannelAsync).WithSummary("Delete a channel and its delivery history.");
        channels.MapPost("/{id:int}/test", TestChannelAsync).WithSummary("Send a test notification now; the answer says whether it was delivered.");
        channels.MapGet("/{id:int}/deliveries", DeliveriesAsync).WithSummary("The channel's delivery history, newest first: attempts, status code, error.");
    }

    private static async Task<Results<Ok<List<AlertView>>, ProblemHttpResult>> ListAsync(AlertQueries queries, CancellationToken ct, string? state = null, string? severity = null,
        string? rule = null, string? cluster = null, string? team = null, string? q = null, int take = 200)
    {
        AlertSeverity? sev = null;
        if (!string.IsNullOrEmpty(severity))
        {
            if (!Enum.TryParse<AlertSeverity>(severity, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return TypedResults.Problem(statusCode: 400, title: "Bad filter", detail: "severity is Info, Warning or Critical.");
            }

            sev = parsed;
        }

        if (state is not null && state is not ("" or "firing" or "silenced" or "pending" or "resolved" or "active"))
        {
            return TypedResults.Problem(statusCode: 400, title: "Bad filter", detail: "state is firing, silenced, pending, resolved or active.");
        }

        return TypedResults.Ok(await queries.ListAsync(new AlertFilter(state, sev, rule, cluster, team, q, take), ct));
    }

    private static async Task<Ok<AlertCounts>> CountsAsync(AlertQueries q, CancellationToken ct) => TypedResults.Ok(await q.CountsAsync(ct));

    private static async Task<Ok<List<SilenceView>>> SilencesAsync(AlertQueries q, CancellationToken ct, bool all = false) => TypedResults.Ok(await q.SilencesAsync(all, ct));

    private static async Task<Ok<List<ChannelView>>> ChannelsAsync(AlertChannels c, CancellationToken ct) => TypedResults.Ok(await c.ListAsync(ct));

    private static async Task<Ok<AlertCycle>> EvaluateAsync(AlertEngine engine, AlertDispatcher dispatcher, CancellationToken ct)
    {
        var cycle = await engine.EvaluateAsync(ct);
        dispatcher.Wake();
        return TypedResults.Ok(cycle);
    }

    private static async Task<Results<Created<SilenceView>, ProblemHttpResult>> CreateSilenceAsync(SilenceDraft draft, AlertQueries q, HttpContext http, CancellationToken ct)
    {
        var result = await q.CreateSilenceAsync(draft, AuditContexts.From(http), ct);
        return result.Silence is null
            ? TypedResults.Problem(statusCode: 400, title: "The silence was not created", detail: result.Error)
            : TypedResults.Created(PortalUrls.Api.Silence(result.Silence.Id), result.Silence);
    }

    private static async Task<Results<Ok<SilenceView>, ProblemHttpResult>> EndSilenceAsync(int id, AlertQueries q, HttpContext http, CancellationToken ct) =>
        await q.EndSilenceAsync(id, AuditContexts.From(http), ct) is { } s
            ? TypedResults.Ok(s)
            : TypedResults.Problem(statusCode: 404, title: "Silence not found", detail: $"There is no silence {id}.");

    private static async Task<Results<Ok<ChannelView>, ProblemHttpResult>> GetChannelAsync(int id, AlertChannels c, CancellationToken ct) =>
        await c.GetAsync(id, ct) is { } v ? TypedResults.Ok(v) : NotFound(id);

    private static async Task<Results<Created<ChannelView>, ProblemHttpResult>> CreateChannelAsync(ChannelDraft draft, AlertChannels c, HttpContext http, CancellationToken ct)
    {
        var result = await c.CreateAsync(draft, AuditContexts.From(http), ct);
        return result.Succeeded
            ? TypedResults.Created(PortalUrls.Api.Channel(result.Channel!.Id), result.Channel)
            : TypedResults.Problem(statusCode: 400, title: "The channel was not created", detail: result.Error);
    }

    private static async Task<Results<Ok<ChannelView>, ProblemHttpResult>> UpdateChannelAsync(int id, ChannelDraft draft, AlertChannels c, HttpContext http, CancellationToken ct)
    {
        var result = await c.UpdateAsync(id, draft, AuditContexts.From(http), ct);
        return result.NotFound ? NotFound(id)
            : result.Succeeded ? TypedResults.Ok(result.Channel!)
            : TypedResults.Problem(statusCode: 400, title: "The channel was not changed", detail: result.Error);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteChannelAsync(int id, AlertChannels c, HttpContext http, CancellationToken ct) =>
        await c.DeleteAsync(id, AuditContexts.From(http), ct) ? TypedResults.NoContent() : NotFound(id);

    private static async Task<Results<Ok<DeliveryOutcome>, ProblemHttpResult>> TestChannelAsync(int id, AlertChannels c, HttpContext http, CancellationToken ct) =>
        await c.SendTestAsync(id, AuditContexts.From(http), ct) is { } outcome ? TypedResults.Ok(outcome) : NotFound(id);

    private static async Task<Results<Ok<List<DeliveryView>>, ProblemHttpResult>> DeliveriesAsync(int id, AlertChannels c, CancellationToken ct, int take = 100) =>
        await c.GetAsync(id, ct) is null ? NotFound(id) : TypedResults.Ok(await c.DeliveriesAsync(id, take, ct));

    private static ProblemHttpResult NotFound(int id) =>
        TypedResults.Problem(statusCode: 404, title: "Channel not found", detail: $"There is no alert channel {id}. GET /api/v1/alerts/channels lists them.");
}
