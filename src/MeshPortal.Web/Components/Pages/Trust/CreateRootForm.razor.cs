using MeshPortal.Core.Features.Trust;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages.TrustParts;

public partial class CreateRootForm
{
    private int tab;
    private string keyType = CaKeyType.Rsa4096;
    private string? organization = CaCertificates.DefaultRootOrganization;
    private string? commonName = CaCertificates.DefaultRootCommonName;
    private string? certificatePem;
    private string? privateKeyPem;
    private bool busy;
    private string? error;
    private IReadOnlyDictionary<string, string[]> errors = new Dictionary<string, string[]>();

    [Parameter, EditorRequired] public required Func<CreateRootRequest, Task<TrustOutcome>> OnCreate { get; set; }

    private bool Has(string field) => errors.ContainsKey(field);

    private string? Of(string field) => errors.TryGetValue(field, out var e) ? string.Join(" ", e) : null;

    private async Task SubmitAsync()
    {
        busy = true;
        error = null;
        errors = new Dictionary<string, string[]>();
        try
        {
            var request = tab switch
            {
                0 => new CreateRootRequest(CreateRootRequest.Generate, keyType, organization, commonName),
                1 => new CreateRootRequest(CreateRootRequest.Import, CertificatePem: certificatePem, PrivateKeyPem: privateKeyPem),
                _ => new CreateRootRequest(CreateRootRequest.External, CertificatePem: certificatePem),
            };
            var outcome = await OnCreate(request);
            if (!outcome.Succeeded)
            {
                errors = outcome.Errors;
                error = "Nothing was saved: " + outcome.Message;
            }
        }
        finally
        {
            busy = false;
        }
    }
}
