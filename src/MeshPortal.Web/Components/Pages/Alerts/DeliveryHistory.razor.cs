using MeshPortal.Core.Features.Alerts;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages.AlertParts;

public partial class DeliveryHistory
{
    [Inject] public required AlertChannels Channels { get; init; }

    [Parameter] public int ChannelId { get; set; }

    private List<DeliveryView>? deliveries;

    protected override async Task OnParametersSetAsync() => deliveries = await Channels.DeliveriesAsync(ChannelId, 50, CancellationToken.None);
}
