using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace MeshPortal.Web.Components.Pages;

public partial class Audit
{
    [Inject] public required AuditQueries Queries { get; init; }

    private const int PageSize = 50;
    private AuditPage? result;
    private PageWindow window = PageWindow.Of(1, PageSize, 0);
    private IReadOnlyList<string> kinds = [];
    private IReadOnlyList<string> actions = [];
    private DateTime? from;
    private DateTime? to;
    private string? actor, kind, action, outcome, text;
    private string? urlError;
    private string? loadedKey;

    [Inject] public required NavigationManager Nav { get; init; }

    // The filters and the page live in the URL, so a link, a reload or Back shows the same entries.
    [SupplyParameterFromQuery(Name = "from")] public string? FromParam { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? ToParam { get; set; }
    [SupplyParameterFromQuery(Name = "actor")] public string? ActorParam { get; set; }
    [SupplyParameterFromQuery(Name = "kind")] public string? KindParam { get; set; }
    [SupplyParameterFromQuery(Name = "action")] public string? ActionParam { get; set; }
    [SupplyParameterFromQuery(Name = "outcome")] public string? OutcomeParam { get; set; }
    [SupplyParameterFromQuery(Name = "q")] public string? TextParam { get; set; }
    [SupplyParameterFromQuery(Name = "page")] public int? PageParam { get; set; }

    private bool Filtered => Filter() != new AuditFilter();
    private string Key => string.Join("\n", FromParam, ToParam, ActorParam, KindParam, ActionParam, OutcomeParam, TextParam, PageParam);

    protected override async Task OnInitializedAsync() => (kinds, actions) = await Queries.ChoicesAsync(CancellationToken.None);

    protected override async Task OnParametersSetAsync()
    {
        if (loadedKey == Key)
        {
            return;
        }

        loadedKey = Key;
        var errors = new List<string>();
        from = AuditUrlDays.Parse(FromParam, "from", errors);
        to = AuditUrlDays.Parse(ToParam, "to", errors);
        actor = Clean(ActorParam);
        kind = Clean(KindParam);
        action = Clean(ActionParam);
        outcome = Clean(OutcomeParam);
        text = Clean(TextParam);
        urlError = errors.Count == 0 ? null : string.Join(" ", errors);
        await LoadAsync();
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private AuditFilter Filter() => new(
        AuditUrlDays.Start(from),
        AuditUrlDays.EndInclusive(to),
        actor, kind, action, outcome, text);

    private async Task LoadAsync()
    {
        var filter = Filter();
        result = await Queries.PageAsync(filter, PageParam ?? 1, PageSize, CancellationToken.None);
        window = PageWindow.Of(PageParam, PageSize, result.Total);
        if (window.Page != result.Page)
        {
            // A page past the end (entries aged out): show the last one.
            result = await Queries.PageAsync(filter, window.Page, PageSize, CancellationToken.None);
        }
    }

    private string PageHref(int number) => Nav.GetUriWithQueryParameter("page", number == 1 ? null : number);

    private void ApplyAsync() => Nav.NavigateTo(Nav.GetUriWithQueryParameters(new Dictionary<string, object?>
    {
        ["from"] = AuditUrlDays.Write(from),
        ["to"] = AuditUrlDays.Write(to),
        ["actor"] = Clean(actor),
        ["kind"] = Clean(kind),
        ["action"] = Clean(action),
        ["outcome"] = Clean(outcome),
        ["q"] = Clean(text),
        ["page"] = null,
    }));

    private void KeyUpAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
        {
            ApplyAsync();
        }
    }

    private void ResetAsync() => Nav.NavigateTo(PortalUrls.Audit());


    private string CsvHref
    {
        get
        {
            var f = Filter();
            var q = new List<string>();
            void Add(string key, string? value) { if (!string.IsNullOrWhiteSpace(value)) q.Add($"{key}={Uri.EscapeDataString(value.Trim())}"); }
            Add("from", f.From?.ToString("O"));
            Add("to", f.To?.ToString("O"));
            Add("actor", f.Actor);
            Add("kind", f.TargetKind);
            Add("action", f.Action);
            Add("outcome", f.Outcome);
            Add("q", f.Text);
            return PortalUrls.Api.AuditCsv() + (q.Count == 0 ? "" : "?" + string.Join("&", q));
        }
    }

    private static Color OutcomeColor(string outcome) => outcome switch
    {
        AuditOutcomes.Success => Color.Success,
        AuditOutcomes.Denied => Color.Warning,
        _ => Color.Error,
    };
}
