using System.Reflection;
using MeshPortal.Tests.Support.Browser;

namespace MeshPortal.Tests.Core.Architecture;

/// <summary>
/// Tests are filed by speed, then by subject: <c>Core/</c> (pure and fast: no portal, no simulated cluster over the network, no
/// browser, no database server), <c>Web/</c> (the API on the real host, components in bUnit) and <c>EndToEnd/</c> (Chromium,
/// PostgreSQL, replicas, portal processes, simulator-backed flows); harnesses live in <c>Support/</c>. Each folder's classes carry
/// its <c>Speed</c> trait, so <c>dotnet test --filter Speed=Fast</c> runs exactly the fast ones.
/// </summary>
[Trait("Speed", "Fast")]
public sealed class TestLayoutTests
{
    private static readonly Dictionary<string, string> SpeedOfFolder = new()
    {
        ["Core"] = "Fast",
        ["Web"] = "Web",
        ["EndToEnd"] = "EndToEnd",
    };

    /// <summary>What a fast test must not stand up.</summary>
    private static readonly Type[] SlowHarnesses = [typeof(PortalFixture), typeof(BrowserFixture), typeof(PostgresServer), typeof(SimulatorFixture)];

    private static IEnumerable<Type> TestClasses() =>
        typeof(TestLayoutTests).Assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract && t.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Any(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any()));

    private static string Folder(Type type) => (type.Namespace ?? "").Split('.').ElementAtOrDefault(2) ?? "";

    private static string? Speed(Type type) => type.GetCustomAttributesData()
        .Where(a => a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[0].Value == "Speed")
        .Select(a => (string?)a.ConstructorArguments[1].Value).SingleOrDefault();

    [Fact]
    public void Every_test_class_lives_in_Core_Web_or_EndToEnd_and_carries_that_folders_speed()
    {
        var classes = TestClasses().ToList();
        Assert.True(classes.Count > 100, $"found only {classes.Count} test classes");
        var misfiled = classes
            .Where(t => !SpeedOfFolder.TryGetValue(Folder(t), out var speed) || Speed(t) != speed)
            .Select(t => $"{t.FullName} (folder '{Folder(t)}', Speed '{Speed(t)}')")
            .ToList();
        Assert.True(misfiled.Count == 0, "misfiled: " + string.Join("; ", misfiled));
    }

    [Fact]
    public void Fast_tests_stand_up_no_portal_browser_simulator_fixture_or_database_server()
    {
        var slow = TestClasses().Where(t => Folder(t) == "Core").Where(t =>
                t.GetCustomAttributes<CollectionAttribute>().Any()
                || t.GetConstructors().SelectMany(c => c.GetParameters()).Any(p => SlowHarnesses.Contains(p.ParameterType))
                || t.GetInterfaces().Any(i => i.IsGenericType && SlowHarnesses.Contains(i.GetGenericArguments()[0])))
            .Select(t => t.FullName)
            .ToList();
        Assert.True(slow.Count == 0, "in Core/ but not fast: " + string.Join("; ", slow));
    }
}
