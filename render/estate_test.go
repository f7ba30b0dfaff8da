package render_test

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/render"
	"github.com/vnetpath/vnetpath/topology"
)

// estate is a hub with a firewall and a NAT-gatewayed spoke: the hub's
// peering to the spoke is Connected, the spoke's half is Initiated; the
// spoke holds a private endpoint to a workspace the snapshot lacks, and a
// private zone is linked to the hub.
func estate(t testing.TB) *topology.Snapshot {
	t.Helper()
	p := netip.MustParsePrefix
	var b topology.Builder
	hub, spoke := net+"virtualNetworks/hub", net+"virtualNetworks/spoke"
	b.AddVNet(topology.VNet{Meta: topology.Meta{ID: hub, Name: "hub"}, AddressSpace: []netip.Prefix{p("10.0.0.0/16")}})
	b.AddVNet(topology.VNet{Meta: topology.Meta{ID: spoke, Name: "spoke"}, AddressSpace: []netip.Prefix{p("10.1.0.0/16")}})
	b.AddSubnet(topology.Subnet{Meta: topology.Meta{ID: hub + "/subnets/AzureFirewallSubnet", Name: "AzureFirewallSubnet"}, Prefixes: []netip.Prefix{p("10.0.1.0/26")}})
	b.AddSubnet(topology.Subnet{Meta: topology.Meta{ID: snetA, Name: "snet-a"}, Prefixes: []netip.Prefix{p("10.1.1.0/24")}, NATGateway: net + "natGateways/ng"})
	b.AddSubnet(topology.Subnet{Meta: topology.Meta{ID: spoke + "/subnets/snet-pe", Name: "snet-pe"}, Prefixes: []netip.Prefix{p("10.1.2.0/24")}})
	b.AddPeering(topology.Peering{Meta: topology.Meta{ID: hub + "/virtualNetworkPeerings/hub-to-spoke", Name: "hub-to-spoke"}, RemoteVNet: spoke,
		State: topology.PeeringConnected, AllowVirtualNetworkAccess: true, AllowGatewayTransit: true, PeerCompleteVNets: true})
	b.AddPeering(topology.Peering{Meta: topology.Meta{ID: spoke + "/virtualNetworkPeerings/spoke-to-hub", Name: "spoke-to-hub"}, RemoteVNet: hub,
		State: topology.PeeringInitiated, AllowVirtualNetworkAccess: true, AllowForwardedTraffic: true, PeerCompleteVNets: true})
	b.AddFirewall(topology.Firewall{Meta: topology.Meta{ID: fwHub, Name: "fw-hub"},
		IPConfigs: []topology.FirewallIPConfig{{Name: "c", PrivateIP: netip.MustParseAddr("10.0.1.4"), Subnet: hub + "/subnets/AzureFirewallSubnet", PublicIP: net + "publicIPAddresses/pip-fw"}}})
	b.AddPublicIP(topology.PublicIP{Meta: topology.Meta{ID: net + "publicIPAddresses/pip-fw", Name: "pip-fw"}, Address: netip.MustParseAddr("20.10.10.10")})
	b.AddNATGateway(topology.NATGateway{Meta: topology.Meta{ID: net + "natGateways/ng", Name: "ng"}, Subnets: []string{snetA}})
	b.AddPrivateEndpoint(topology.PrivateEndpoint{Meta: topology.Meta{ID: peID, Name: "pe-mlw-a"}, Subnet: spoke + "/subnets/snet-pe",
		Connections: []topology.PEConnection{{Name: "c", Target: wsID, GroupIDs: []string{"amlworkspace"}, Status: "Pending"}}})
	b.AddPrivateZone(topology.PrivateZone{Meta: topology.Meta{ID: zoneID, Name: "privatelink.api.azureml.ms"}})
	b.AddZoneLink(topology.ZoneLink{Meta: topology.Meta{ID: zoneID + "/virtualNetworkLinks/hub", Name: "hub"}, VNet: hub, RegistrationEnabled: true})
	s, err := b.Build()
	if s == nil {
		t.Fatal(err)
	}
	return s
}

// TestGraph checks the estate: VNets holding subnets holding what is in
// them, peering halves with their state and flags (the Initiated one a
// problem), the NAT gateway, the zone link, and the private endpoint's
// target, which the snapshot lacks, as an external node.
func TestGraph(t *testing.T) {
	g := render.Graph(estate(t))
	node := func(name string) render.EstateNode {
		i := slices.IndexFunc(g.Nodes, func(n render.EstateNode) bool { return n.Name == name })
		if i < 0 {
			t.Fatalf("no node %s in %+v", name, g.Nodes)
		}
		return g.Nodes[i]
	}
	for _, tc := range []struct {
		name, typ, parent string
		details           []string
	}{
		{"hub", render.NodeVNet, "", []string{"10.0.0.0/16"}},
		{"snet-a", render.NodeSubnet, net + "virtualNetworks/spoke", []string{"10.1.1.0/24"}},
		{"fw-hub", render.NodeFirewall, net + "virtualNetworks/hub/subnets/AzureFirewallSubnet", []string{"10.0.1.4", "public 20.10.10.10"}},
		{"ng", render.NodeNATGateway, "", nil},
		{"pe-mlw-a", render.NodePrivateEndpoint, net + "virtualNetworks/spoke/subnets/snet-pe", nil},
		{"privatelink.api.azureml.ms", render.NodePrivateZone, "", []string{"0 record sets"}}, // linked to the hub
		{"mlw-a", render.NodeExternal, "", []string{"Microsoft.MachineLearningServices/workspaces, missing from the snapshot"}},
	} {
		n := node(tc.name)
		if n.Type != tc.typ || n.Parent != tc.parent || !slices.Equal(n.Details, tc.details) && tc.details != nil {
			t.Errorf("node %s: %+v; want type %s, parent %q, details %q", tc.name, n, tc.typ, tc.parent, tc.details)
		}
	}
	edge := func(typ, label string) render.EstateEdge {
		for _, e := range g.Edges {
			if e.Type == typ && strings.Contains(e.Label, label) {
				return e
			}
		}
		t.Fatalf("no %s edge labelled %q in %+v", typ, label, g.Edges)
		return render.EstateEdge{}
	}
	if e := edge(render.EdgePeering, "hub-to-spoke: Connected · vnet access · gateway transit"); e.Problem {
		t.Errorf("a Connected peering is a problem: %+v", e)
	}
	if e := edge(render.EdgePeering, "spoke-to-hub: Initiated · vnet access · forwarded traffic"); !e.Problem || e.ID != net+"virtualNetworks/spoke/virtualNetworkPeerings/spoke-to-hub" {
		t.Errorf("an Initiated peering: %+v; want a problem with the peering's ID", e)
	}
	if e := edge(render.EdgePrivateLink, "amlworkspace · Pending"); !e.Problem || e.To != wsID {
		t.Errorf("a Pending private endpoint connection: %+v", e)
	}
	edge(render.EdgeNATGateway, "outbound")
	edge(render.EdgeZoneLink, "link · autoregistration")

	// Stable: the same snapshot gives the same bytes, in every form.
	for name, f := range map[string]func(*render.Estate, *bytes.Buffer) error{
		"dot": func(e *render.Estate, b *bytes.Buffer) error { return e.Dot(b) }, "mermaid": func(e *render.Estate, b *bytes.Buffer) error { return e.Mermaid(b) },
		"json": func(e *render.Estate, b *bytes.Buffer) error { return e.JSON(b) },
	} {
		var a, b bytes.Buffer
		if err := f(render.Graph(estate(t)), &a); err != nil {
			t.Fatal(err)
		}
		if err := f(render.Graph(estate(t)), &b); err != nil || a.String() != b.String() {
			t.Errorf("%s: two drawings of one snapshot differ (%v)", name, err)
		}
	}
}

// TestGraphForms checks the three forms of the estate: JSON that decodes
// to the same nodes and edges, DOT with a cluster per VNet and subnet and
// a red edge for the problem, Mermaid with subgraphs and a red link, and
// each node defined once.
func TestGraphForms(t *testing.T) {
	g := render.Graph(estate(t))
	var b bytes.Buffer
	if err := g.JSON(&b); err != nil {
		t.Fatal(err)
	}
	var back render.Estate
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || len(back.Nodes) != len(g.Nodes) || len(back.Edges) != len(g.Edges) {
		t.Errorf("JSON does not decode to the estate (%v):\n%s", err, b.String())
	}
	b.Reset()
	if err := g.Dot(&b); err != nil {
		t.Fatal(err)
	}
	dot := b.String()
	for _, want := range []string{"digraph estate {", "subgraph cluster_", `label="vnet hub"`, `label="subnet snet-a\n10.1.1.0/24"`, `color="#cc0000"`, "firewall fw-hub\\n10.0.1.4\\npublic 20.10.10.10"} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks %q:\n%s", want, dot)
		}
	}
	onceEach(t, "DOT", dot, regexp.MustCompile(`(?m)^\s*(n\d+) \[label=`))
	b.Reset()
	if err := g.Mermaid(&b); err != nil {
		t.Fatal(err)
	}
	mer := b.String()
	for _, want := range []string{"flowchart LR", `_g["vnet hub"]`, "linkStyle", "stroke:#cc0000", ":::firewall"} {
		if !strings.Contains(mer, want) {
			t.Errorf("Mermaid lacks %q:\n%s", want, mer)
		}
	}
	onceEach(t, "Mermaid", mer, regexp.MustCompile(`(?m)^\s*(n\d+)\["`))
}

// onceEach fails when a node ID is defined twice.
func onceEach(t *testing.T, what, out string, def *regexp.Regexp) {
	t.Helper()
	seen := map[string]bool{}
	for _, m := range def.FindAllStringSubmatch(out, -1) {
		if seen[m[1]] {
			t.Errorf("%s defines node %s twice", what, m[1])
		}
		seen[m[1]] = true
	}
	if len(seen) == 0 {
		t.Errorf("%s defines no node:\n%s", what, out)
	}
}
