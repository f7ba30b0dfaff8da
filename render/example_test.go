package render_test

import (
	"fmt"
	"net/netip"
	"os"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/render"
	"github.com/vnetpath/vnetpath/topology"
)

// exampleReport is two answers from one subnet: Entra ID reachable
// through a NAT gateway, another VNet's address not.
func exampleReport() *answer.Report {
	const sub = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/"
	src := sub + "virtualNetworks/spoke/subnets/snet-a"
	out := &answer.RouteRef{AddressPrefix: "0.0.0.0/0", NextHopType: topology.NextHopInternet, Source: "Default"}
	none := &answer.RouteRef{AddressPrefix: "10.0.0.0/8", NextHopType: topology.NextHopNone, Source: "Default"}
	eg := &answer.Egress{PublicIP: "20.1.2.3", Via: sub + "natGateways/ng-spoke", Method: answer.EgressNATGateway}
	return &answer.Report{Snapshot: answer.SnapshotSummary{Resources: 3}, Results: []answer.Result{
		{Source: src, Destination: "login.microsoftonline.com", Protocol: "tcp", Port: 443, Reachable: true, Verdict: answer.Reachable,
			Reason: "leaves through NAT gateway ng-spoke (20.1.2.3) to tag:AzureActiveDirectory", Egress: eg,
			Hops: []answer.Hop{{Node: src, Kind: answer.HopSubnet, Name: "spoke/snet-a", Route: out, Steps: []answer.Step{{Type: answer.StepRoute, Action: answer.ActionForwarded, Route: out}}},
				{Node: "Internet", Kind: answer.HopInternet, Action: answer.ActionEgress, Steps: []answer.Step{{Type: answer.StepEgress, Action: answer.ActionEgress, Egress: eg}}}}},
		{Source: src, Destination: "10.2.0.4", Protocol: "tcp", Port: 443, Verdict: answer.Blackhole,
			Reason: "10.2.0.4 is in VNet other, which is not peered with spoke (peering is not transitive), so only the system route 10.0.0.0/8 → None matches",
			Hops: []answer.Hop{{Node: src, Kind: answer.HopSubnet, Name: "spoke/snet-a", Route: none,
				Steps: []answer.Step{{Type: answer.StepRoute, Action: answer.ActionDropped, Route: none}}}},
			Blockers: []answer.Blocker{{Verdict: answer.Blackhole, Cause: answer.CauseDestinationNotPeered, Route: none}},
			Fixes: []answer.Fix{{Text: "peer spoke with other (both halves)", Kind: answer.FixCreatePeering,
				Az: "az network vnet peering create -g rg --vnet-name spoke -n spoke-to-other --remote-vnet other --allow-vnet-access"}}},
	}}
}

func ExampleText() {
	_ = render.Text(os.Stdout, exampleReport())
	// Output:
	// 2 answers: 1 reachable, 1 not (1 blackhole)
	//
	// 1 source × 2 destinations
	//               1   2
	// spoke/snet-a  ✓   BH
	// ✓ reachable · BH blackhole
	// 1 login.microsoftonline.com tcp/443
	// 2 10.2.0.4 tcp/443
	//
	// Not reachable (1 answer)
	//
	// from spoke/snet-a: reaches 1 of 2 destinations
	//   #2 BLACKHOLE  10.2.0.4 tcp/443
	//      10.2.0.4 is in VNet other, which is not peered with spoke (peering is not transitive), so only
	//      the system route 10.0.0.0/8 → None matches
	//      path:
	//        ✗ subnet spoke/snet-a
	//          ✗ route 10.0.0.0/8 → None (Default)
	//      fix: peer spoke with other (both halves)
	//        az network vnet peering create -g rg --vnet-name spoke -n spoke-to-other \
	//            --remote-vnet other --allow-vnet-access
	//
	// Reachable (1 answer)
	//
	// from spoke/snet-a: reaches 1 of 2 destinations
	//   #1 ✓ login.microsoftonline.com tcp/443: leaves through NAT gateway ng-spoke (20.1.2.3)
}

// A Collector takes answers one at a time, as engine.Engine.ProfileEach or
// RunEach hands them over, and writes the same report as TextWith without
// holding every answer: here, with the failures alone.
func ExampleCollector() {
	whole := exampleReport()
	head := &answer.Report{Snapshot: whole.Snapshot}
	c := render.NewCollector(head)
	for _, r := range whole.Results {
		c.Add(r)
	}
	fmt.Println(c.Len(), "answers, all reachable:", c.AllReachable())
	_ = c.Text(os.Stdout, render.Options{FailuresOnly: true})
	// Output:
	// 2 answers, all reachable: false
	// 2 answers: 1 reachable, 1 not (1 blackhole)
	//
	// 1 source × 2 destinations
	//               1   2
	// spoke/snet-a  ✓   BH
	// ✓ reachable · BH blackhole
	// 1 login.microsoftonline.com tcp/443
	// 2 10.2.0.4 tcp/443
	//
	// Not reachable (1 answer)
	//
	// from spoke/snet-a: reaches 1 of 2 destinations
	//   #2 BLACKHOLE  10.2.0.4 tcp/443
	//      10.2.0.4 is in VNet other, which is not peered with spoke (peering is not transitive), so only
	//      the system route 10.0.0.0/8 → None matches
	//      path:
	//        ✗ subnet spoke/snet-a
	//          ✗ route 10.0.0.0/8 → None (Default)
	//      fix: peer spoke with other (both halves)
	//        az network vnet peering create -g rg --vnet-name spoke -n spoke-to-other \
	//            --remote-vnet other --allow-vnet-access
}

func ExampleSnapshotText() {
	r := exampleReport()
	r.Warnings = []string{"no service-tag catalog was given: service tags were matched by name in routes and rules, not by their prefixes"}
	_ = render.SnapshotText(os.Stdout, r)
	// Output:
	// snapshot: 3 resources
	// service tags: none given; tags are matched by name
	// warning: no service-tag catalog was given: service tags were matched by name in routes and rules,
	//   not by their prefixes
}

func ExampleJSON() {
	r := &answer.Report{Snapshot: answer.SnapshotSummary{Resources: 3}, Results: []answer.Result{{
		Source: "snet-a", Destination: "10.2.0.4", Protocol: "tcp", Port: 443, Verdict: answer.Reachable, Reachable: true, Reason: "delivered to vm-b",
	}}}
	_ = render.JSON(os.Stdout, r)
	// Output:
	// {
	//   "snapshot": {
	//     "resources": 3,
	//     "skipped": {}
	//   },
	//   "results": [
	//     {"source":"snet-a","destination":"10.2.0.4","protocol":"tcp","port":443,"addresses":[],"reachable":true,"verdict":"reachable","reason":"delivered to vm-b","hops":[],"fixes":[]}
	//   ],
	//   "warnings": []
	// }
}

// The drawing of a failed answer carries its verdict: the red hop, and
// the red edge to the destination labelled with what stopped it.
func ExampleDot() {
	var b strings.Builder
	_ = render.Dot(&b, exampleReport())
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.Contains(l, "->") && !strings.Contains(l, "legend") {
			fmt.Println(strings.TrimSpace(l))
		}
	}
	// Output:
	// r0h0 -> r0h1 [label="0.0.0.0/0 → Internet", color="#444444"];
	// r0h1 -> r0d [label="", color="#1f7a3a", penwidth=2];
	// r1h0 -> r1d [label="✗ blackhole at route 10.0.0.0/8 → None", color="#cc0000", fontcolor="#cc0000", style=dashed, penwidth=2];
}

func ExampleMermaid() {
	var b strings.Builder
	_ = render.Mermaid(&b, exampleReport())
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.Contains(l, "r1") {
			fmt.Println(strings.TrimSpace(l))
		}
	}
	// Output:
	// subgraph r1["#35;2 ✗ BLACKHOLE: 10.2.0.4 tcp/443"]
	// r1h0["subnet<br/>spoke/snet-a"]:::blocked
	// r1d(["10.2.0.4 tcp/443"]):::dst
	// r1h0 -.->|"✗ blackhole at route 10.0.0.0/8 → None"| r1d
}

// An HTML report is one page that loads nothing: the matrix links each
// failed cell to its answer, drawn as SVG with its fixes.
func ExampleHTML() {
	var b strings.Builder
	_ = render.HTML(&b, exampleReport(), render.Options{})
	page := b.String()
	for _, s := range []string{`<td class="fail" data-verdict="blackhole"`, `<article class="answer fail" id="r1"`, `<svg class="path"`, `<button type="button" class="copy">`, "<script src", "<link "} {
		fmt.Printf("%s: %v\n", s, strings.Contains(page, s))
	}
	// Output:
	// <td class="fail" data-verdict="blackhole": true
	// <article class="answer fail" id="r1": true
	// <svg class="path": true
	// <button type="button" class="copy">: true
	// <script src: false
	// <link : false
}

func ExampleGraph() {
	var b topology.Builder
	const sub = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/"
	b.AddVNet(topology.VNet{Meta: topology.Meta{ID: sub + "virtualNetworks/hub", Name: "hub"}})
	b.AddVNet(topology.VNet{Meta: topology.Meta{ID: sub + "virtualNetworks/spoke", Name: "spoke"}})
	b.AddPeering(topology.Peering{Meta: topology.Meta{ID: sub + "virtualNetworks/spoke/virtualNetworkPeerings/to-hub", Name: "to-hub"},
		RemoteVNet: sub + "virtualNetworks/hub", State: topology.PeeringInitiated, AllowVirtualNetworkAccess: true, PeerCompleteVNets: true})
	snap, _ := b.Build()
	g := render.Graph(snap)
	for _, n := range g.Nodes {
		fmt.Println(n.Type, n.Name)
	}
	for _, e := range g.Edges {
		fmt.Println(e.Type, e.Label, "problem:", e.Problem)
	}
	// Output:
	// vnet hub
	// vnet spoke
	// peering to-hub: Initiated · vnet access problem: true
}

// With FailuresOnly the summary still counts every answer and only the
// failures are detailed.
func ExampleTextWith() {
	var b strings.Builder
	_ = render.TextWith(&b, exampleReport(), render.Options{FailuresOnly: true})
	fmt.Println(strings.Contains(b.String(), "Not reachable (1 answer)"), strings.Contains(b.String(), "Reachable (1 answer)"))
	fmt.Println(strings.SplitN(b.String(), "\n", 2)[0])
	// Output:
	// true false
	// 2 answers: 1 reachable, 1 not (1 blackhole)
}

func ExampleVerdictCode() {
	for _, v := range []answer.Verdict{answer.Reachable, answer.DeniedByFirewall, answer.PrivateEndpointBypassed, answer.Unknown} {
		fmt.Printf("%s %s\n", render.VerdictCode(v), v)
	}
	// Output:
	// ✓ reachable
	// FW denied-by-firewall
	// PEB private-endpoint-bypassed
	// ? unknown
}

func ExampleEstate_JSON() {
	var b topology.Builder
	const sub = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/"
	b.AddVNet(topology.VNet{Meta: topology.Meta{ID: sub + "virtualNetworks/hub", Name: "hub"}, AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}})
	b.AddSubnet(topology.Subnet{Meta: topology.Meta{ID: sub + "virtualNetworks/hub/subnets/snet-a", Name: "snet-a"}, Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.1.0/24")}})
	snap, _ := b.Build()
	_ = render.Graph(snap).JSON(os.Stdout)
	// Output:
	// {
	//   "nodes": [
	//     {
	//       "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub",
	//       "type": "vnet",
	//       "name": "hub",
	//       "details": [
	//         "10.0.0.0/16"
	//       ]
	//     },
	//     {
	//       "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/subnets/snet-a",
	//       "type": "subnet",
	//       "name": "snet-a",
	//       "parent": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub",
	//       "details": [
	//         "10.0.1.0/24"
	//       ]
	//     }
	//   ],
	//   "edges": []
	// }
}

func ExampleRoutesText() {
	_ = render.RoutesText(os.Stdout, &answer.RouteTable{Subnet: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke/subnets/snet-a",
		Value: []answer.EffectiveRoute{
			{Source: "Default", State: "Active", AddressPrefix: []string{"10.1.0.0/16"}, NextHopType: topology.NextHopVnetLocal},
			{Source: "User", State: "Active", AddressPrefix: []string{"0.0.0.0/0"}, NextHopIPAddress: []string{"10.0.1.4"}, NextHopType: topology.NextHopVirtualAppliance, Name: "default-to-fw"},
		}})
	// Output:
	// effective routes of /subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke/subnets/snet-a
	// Source   State   Address Prefix  Next Hop Type     Next Hop IP  Name
	// Default  Active  10.1.0.0/16     VnetLocal
	// User     Active  0.0.0.0/0       VirtualAppliance  10.0.1.4     default-to-fw
}

func ExampleResolutionText() {
	_ = render.ResolutionText(os.Stdout, &answer.Resolution{Name: "stdata.blob.core.windows.net", From: "vnet-a", Resolver: "Azure-provided DNS (168.63.129.16) in VNet vnet-a",
		Chain: []answer.DNSStep{{Name: "stdata.blob.core.windows.net", Type: "CNAME", Value: "stdata.privatelink.blob.core.windows.net", Source: "public DNS"},
			{Name: "stdata.privatelink.blob.core.windows.net", Type: "A", Value: "10.3.1.4", Source: "private zone privatelink.blob.core.windows.net"}},
		Addresses: []string{"10.3.1.4"}, Rcode: answer.NoError})
	// Output:
	// stdata.blob.core.windows.net from vnet-a
	//   resolver: Azure-provided DNS (168.63.129.16) in VNet vnet-a
	//   stdata.blob.core.windows.net              CNAME  stdata.privatelink.blob.core.windows.net  public DNS
	//   stdata.privatelink.blob.core.windows.net  A      10.3.1.4                                  private zone privatelink.blob.core.windows.net
	//   NOERROR 10.3.1.4
}
