package render_test

import (
	"fmt"
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
	//   "warnings": [],
	//   "results": [
	//     {
	//       "source": "snet-a",
	//       "destination": "10.2.0.4",
	//       "protocol": "tcp",
	//       "port": 443,
	//       "addresses": [],
	//       "reachable": true,
	//       "verdict": "reachable",
	//       "reason": "delivered to vm-b",
	//       "hops": [],
	//       "fixes": []
	//     }
	//   ]
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
