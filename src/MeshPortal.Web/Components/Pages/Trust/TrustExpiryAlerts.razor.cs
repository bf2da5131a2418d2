using MeshPortal.Core.Features.Trust;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages.TrustParts;

public partial class TrustExpiryAlerts
{
    [Inject] public required TrustStatusReader Reader { get; init; }

    private IReadOnlyList<(string Subject, ExpiryStatus Expiry)> warnings = [];

    protected override async Task ReloadAsync() => warnings = (await Reader.ReadAsync(CancellationToken.None)).ExpiryWarnings;
}
