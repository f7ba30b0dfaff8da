package render_test

import (
	"os"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/render"
)

func ExampleText() {
	r := &answer.Report{Snapshot: answer.SnapshotSummary{Resources: 3}, Results: []answer.Result{{
		Source: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke/subnets/snet-a", Destination: "10.2.0.4",
		Protocol: "tcp", Port: 443, Verdict: answer.Blackhole,
		Reason: "10.2.0.4 is in VNet other, which is not peered with spoke (peering is not transitive), so only the system route 10.0.0.0/8 → None matches",
		Fixes:  []answer.Fix{{Text: "peer spoke with other (both halves)", Kind: answer.FixCreatePeering}},
	}}}
	_ = render.Text(os.Stdout, r)
	// Output:
	// snapshot: 3 resources
	// service tags: none given; tags are matched by name
	//
	// BLACKHOLE                  spoke/snet-a → 10.2.0.4 tcp/443
	//   10.2.0.4 is in VNet other, which is not peered with spoke (peering is not transitive), so only the system route 10.0.0.0/8 → None matches
	//     fix: peer spoke with other (both halves)
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
