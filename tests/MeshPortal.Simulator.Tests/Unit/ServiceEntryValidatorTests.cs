using System.Text.Json.Nodes;
using MeshPortal.Simulator.Validation;

namespace MeshPortal.Simulator.Tests.Unit;

/// <summary>Schema and istiod webhook rules for ServiceEntry: one broken precondition per case.</summary>
public sealed class ServiceEntryValidatorTests
{
    private const string Valid = """
        {"spec":{"hosts":["httpbin.bar.global"],"location":"MESH_INTERNAL","resolution":"DNS","addresses":["240.0.0.2"],
          "ports":[{"name":"http1","number":8000,"protocol":"http"}],
          "endpoints":[{"address":"203.0.113.2","ports":{"http1":15443}}]}}
        """;

    private static List<string> Errors(Action<JsonObject> change, bool strict = false)
    {
        var obj = JsonNode.Parse(Valid)!.AsObject();
        change(obj["spec"]!.AsObject());
        return ServiceEntryValidator.Validate(obj, strict).Select(e => $"{e.Field}: {e.Message}").ToList();
    }

    [Fact]
    public void The_seed_service_entry_is_valid() => Assert.Empty(Errors(_ => { }));

    [Theory]
    [InlineData("""{"hosts":null}""", "spec.hosts: Required value")]
    [InlineData("""{"hosts":[]}""", "should have at least 1 items")]
    [InlineData("""{"hosts":["*"]}""", "hostname cannot be wildcard")]
    [InlineData("""{"hosts":"a.b"}""", "must be of type array")]
    [InlineData("""{"location":"NEAR"}""", "Unsupported value: \"NEAR\"")]
    [InlineData("""{"resolution":"MAGIC"}""", "Unsupported value: \"MAGIC\"")]
    [InlineData("""{"ports":[{"name":"http1","number":0}]}""", "port must be between 1-65535")]
    [InlineData("""{"ports":[{"name":"http1","number":"80"}]}""", "must be of type integer")]
    [InlineData("""{"ports":[{"number":80}]}""", "spec.ports[0].name: Required value")]
    [InlineData("""{"ports":[{"name":"a","number":80},{"name":"a","number":81}]}""", "Duplicate value")]
    [InlineData("""{"ports":[{"name":"a","number":80},{"name":"b","number":80}]}""", "port number cannot be duplicated")]
    [InlineData("""{"ports":[{"name":"Bad_Name","number":80}],"endpoints":[]}""", "invalid port name")]
    [InlineData("""{"ports":[{"name":"http1","number":8000,"protocol":"carrier-pigeon"}]}""", "unrecognized protocol")]
    [InlineData("""{"addresses":["240.0.0.999"]}""", "must be an IP address or a CIDR block")]
    [InlineData("""{"addresses":["240.0.0.0/16"]}""", "CIDR addresses are allowed only for NONE/STATIC")]
    [InlineData("""{"resolution":"NONE"}""", "NONE mode cannot set endpoints")]
    [InlineData("""{"resolution":"STATIC","endpoints":[{"address":"gw.example.com","ports":{"http1":15443}}]}""", "is not a valid IP address")]
    [InlineData("""{"endpoints":[{"address":"203.0.113.2","ports":{"other":15443}}]}""", "is not defined by the service entry")]
    [InlineData("""{"endpoints":[{"address":"203.0.113.2","ports":{"http1":70000}}]}""", "port must be between 1-65535")]
    [InlineData("""{"endpoints":[{"ports":{"http1":15443}}]}""", "Address is required")]
    [InlineData("""{"endpoints":[{"address":"bad address!"}]}""", "is not a valid FQDN or an IP address")]
    [InlineData("""{"hosts":["*.example.com"],"endpoints":null}""", "hosts must be FQDN")]
    [InlineData("""{"hosts":["a.example.com","b.example.com"],"ports":[{"name":"tcp","number":9000,"protocol":"TCP"}],"endpoints":null}""", "multiple hosts provided with non-HTTP, non-TLS ports")]
    [InlineData("""{"workloadSelector":{"labels":{"app":"x"}}}""", "only one of WorkloadSelector or Endpoints can be set")]
    public void Rejects(string patch, string expected)
    {
        var errors = Errors(spec =>
        {
            foreach (var (key, value) in JsonNode.Parse(patch)!.AsObject())
            {
                if (value is null)
                {
                    spec.Remove(key);
                }
                else
                {
                    spec[key] = value.DeepClone();
                }
            }
        });
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_fields_are_pruned_or_rejected_when_strict()
    {
        Assert.Empty(Errors(spec => spec["bogus"] = 1));
        Assert.Contains(Errors(spec => spec["bogus"] = 1, strict: true), e => e.StartsWith("spec.bogus", StringComparison.Ordinal));
    }
}
