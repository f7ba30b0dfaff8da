package answer_test

import (
	"fmt"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/topology"
)

// A blocker is data; Explain and FixText make its sentences.
func ExampleExplain() {
	const nsg = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg-compute"
	b := answer.Blocker{
		Verdict: answer.DeniedByNSG, Cause: answer.CauseNSGRuleDenies, Resource: nsg,
		Rule:   &answer.RuleRef{Owner: nsg, Name: "deny-entra", Label: "nsg-compute/deny-entra", Kind: answer.RuleNSG, Priority: 100, Direction: topology.DirectionOutbound, Access: topology.AccessDeny},
		Source: "10.1.1.0/24", Destination: "tag:AzureActiveDirectory", Protocol: "tcp", Port: 443,
	}
	f := answer.Fix{Resource: nsg, Kind: answer.FixAddSecurityRule, Data: map[string]string{"rule": "vnetpath-allow-out-tcp-443", "priority": "99"}}
	fmt.Println(answer.Explain(b))
	fmt.Println(answer.FixText(f, b))
	// Output:
	// NSG nsg-compute rule deny-entra (priority 100, Outbound, Deny) drops TCP 443 from 10.1.1.0/24 to service tag AzureActiveDirectory
	// in NSG nsg-compute, allow outbound TCP 443 from 10.1.1.0/24 to service tag AzureActiveDirectory with rule vnetpath-allow-out-tcp-443 at priority 99, below the 100 of rule deny-entra; or remove or narrow rule deny-entra
}

func ExampleReport_Groups() {
	rep := answer.Report{Results: []answer.Result{
		{Source: "snet-a", Workspace: "ws", Verdict: answer.Reachable, Reachable: true},
		{Source: "snet-a", Workspace: "ws", Verdict: answer.DeniedByNSG},
		{Source: "snet-b", Workspace: "ws", Verdict: answer.Reachable, Reachable: true},
	}}
	for _, g := range rep.Groups() {
		fmt.Println(g.Source, g.Summary())
	}
	fmt.Println(rep.AllReachable())
	// Output:
	// snet-a reaches 1 of 2 endpoints
	// snet-b reaches 1 of 1 endpoints
	// false
}
