package answer_test

import (
	"encoding/json"
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

// DescribeEgress names where a flow leaves Azure, for a sentence.
func ExampleDescribeEgress() {
	const sub = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/"
	fmt.Println(answer.DescribeEgress(answer.Egress{PublicIP: "51.105.10.30", Via: sub + "natGateways/ng-data", Method: answer.EgressNATGateway}))
	fmt.Println(answer.DescribeEgress(answer.Egress{Via: sub + "virtualNetworks/spoke/subnets/snet-a", Method: answer.EgressDefaultOutbound}))
	// Output:
	// NAT gateway ng-data (51.105.10.30)
	// default outbound access of spoke/snet-a
}

// Enumerations marshal as their JSON spelling and reject anything else,
// so an answer read back from JSON holds only known values.
func ExampleVerdict() {
	v := answer.DeniedByNSG
	b, _ := json.Marshal(v)
	fmt.Println(string(b), v.IsReachable(), v.IsValid())
	var back answer.Verdict
	fmt.Println(json.Unmarshal([]byte(`"denied-by-nsgs"`), &back))
	fmt.Println(len(answer.Verdicts()), answer.Verdicts()[0])
	// Output:
	// "denied-by-nsg" false true
	// answer.Verdict: unknown value "denied-by-nsgs"
	// 11 reachable
}

// Patchable tells the fixes ARM edits apply from those that need a
// person.
func ExampleFixKind_Patchable() {
	for _, k := range []answer.FixKind{answer.FixAddSecurityRule, answer.FixSetProperty, answer.FixDeployGateway, answer.FixExport} {
		fmt.Println(k, k.Patchable())
	}
	// Output:
	// addSecurityRule true
	// setProperty true
	// deployGateway false
	// export false
}
