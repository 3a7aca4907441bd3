namespace Portal.Tests.Architecture;

/// <summary>
/// The folders of Portal.Core and of the web app use each other in one direction only (docs/architecture.md, "Where
/// code lives"): a new use the other way round fails here, naming the circle and a type on each step of it.
/// </summary>
public sealed class NamespaceCycleTests
{
    [Fact]
    public void Portal_core_namespaces_form_no_cycle() =>
        NamespaceCycles.Find(NamespaceGraph.Of("Portal.Core", typeof(Portal.Core.Hosting.PortalCoreServiceCollectionExtensions).Assembly)).ShouldBeEmpty();

    [Fact]
    public void Portal_namespaces_form_no_cycle() =>
        NamespaceCycles.Find(NamespaceGraph.Of("Portal", typeof(Program).Assembly, typeof(Portal.Core.Hosting.PortalCoreServiceCollectionExtensions).Assembly)).ShouldBeEmpty();

    [Fact]
    public void The_graph_sees_uses_in_signatures_and_in_method_bodies()
    {
        var graph = NamespaceGraph.Of("Portal.Core", typeof(Portal.Core.Hosting.PortalCoreServiceCollectionExtensions).Assembly);

        // A record's parameter: a signature.
        graph.Edges["Portal.Core.Reads"].ShouldContainKey("Portal.Core.Attempts");

        // services.AddScoped<SupportReconciler>(): named only in the IL of the composition's method body.
        graph.Edges["Portal.Core.Hosting"].ShouldContainKey("Portal.Core.StaffActions");

        // Its own namespace is not an edge.
        graph.Edges["Portal.Core.Attempts"].ShouldNotContainKey("Portal.Core.Attempts");
    }

    [Fact]
    public void A_cycle_is_found_and_named()
    {
        var graph = new NamespaceGraph("App");
        graph.Add("App.Checkout", "App.Persistence", "App.Checkout.Writer uses App.Persistence.Store");
        graph.Add("App.Persistence", "App.Jobs", "App.Persistence.Store uses App.Jobs.Job");
        graph.Add("App.Jobs", "App.Checkout", "App.Jobs.Runner uses App.Checkout.Writer");
        graph.Add("App.Web", "App.Checkout");

        var cycle = NamespaceCycles.Find(graph).ShouldHaveSingleItem();

        cycle.ShouldStartWith("App.Checkout → App.Persistence → App.Jobs → App.Checkout");
        cycle.ShouldContain("App.Jobs.Runner uses App.Checkout.Writer");
        cycle.ShouldNotContain("App.Web");
    }

    [Fact]
    public void A_two_way_use_is_a_cycle_and_a_chain_is_not()
    {
        var chain = new NamespaceGraph("App");
        chain.Add("App.Web", "App.Checkout");
        chain.Add("App.Checkout", "App.Attempts");
        chain.Add("App.Web", "App.Attempts");
        NamespaceCycles.Find(chain).ShouldBeEmpty();

        chain.Add("App.Attempts", "App.Checkout", "App.Attempts.Attempt uses App.Checkout.Writer");
        NamespaceCycles.Find(chain).ShouldHaveSingleItem().ShouldStartWith("App.Attempts → App.Checkout → App.Attempts");
    }

    [Fact]
    public void Namespaces_outside_the_prefix_are_no_nodes()
    {
        var graph = new NamespaceGraph("App");
        graph.Add("App.A", "System.Text");
        graph.Add("System.Text", "App.A");
        NamespaceCycles.Find(graph).ShouldBeEmpty();
        graph.Edges.Keys.ShouldBe(["App.A"]);
    }
}
