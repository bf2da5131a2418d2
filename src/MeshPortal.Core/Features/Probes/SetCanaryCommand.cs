using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;

namespace MeshPortal.Core.Features.Probes;

/// <summary>
/// Turns the mesh-wide canary on or off (Reachability page and <c>PUT /api/v1/settings/canary</c>): admins only, never a
/// read-only token. The setting and its audit record are saved in one SaveChanges by <see cref="CanaryService"/>, which
/// then creates or removes the canary exports and asks for a push of every cluster.
/// </summary>
public sealed class SetCanaryCommand(CanaryService canary)
{
    public async Task<CommandResult<bool>> RunAsync(Actor actor, bool enabled, CancellationToken ct)
    {
        if (!actor.MayAdminister)
        {
            return CommandResult<bool>.Forbidden(actor.Refusal(enabled ? "turn the canary on" : "turn the canary off"));
        }

        var audit = new AuditEvent(enabled ? "canary.enabled" : "canary.disabled", "mesh", "canary", enabled ? "Canary turned on" : "Canary turned off");
        await canary.SetEnabledAsync(enabled, actor.Who.Describe(), (db, at) => AuditLog.Stage(db, actor.Who, audit, at), ct);
        return CommandResult<bool>.Ok(await canary.IsEnabledAsync(ct));
    }
}
