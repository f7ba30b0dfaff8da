package engine_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/topology"
)

// TestDependsOnNamesWhatTheAnswerWentThrough checks the resources answers
// on the example estate depend on: the route, rule, peering, firewall and
// DNS server of the path, and nothing of the spokes it did not touch.
func TestDependsOnNamesWhatTheAnswerWentThrough(t *testing.T) {
	res, err := azure.Load([]string{"../examples/contoso"}, azure.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := engine.New(res.Snapshot, nil)
	const ws = "8b0f6c1e-5a4d-4e2b-9c3f-2d1e0a9b8c7d.workspace.westeurope.api.azureml.ms"
	tests := []struct {
		name     string
		from, to string
		want     []string // short IDs (after the resource group), all present
		not      []string // substrings none may hold
	}{
		{"through the firewall to a name resolved by the hub resolver", "vnet-spoke-ml/snet-train", "login.microsoftonline.com",
			[]string{"rg-spoke-ml/providers/Microsoft.Network/virtualNetworks/vnet-spoke-ml/subnets/snet-train",
				"rg-spoke-ml/providers/Microsoft.Network/virtualNetworks/vnet-spoke-ml",
				"rg-spoke-ml/providers/Microsoft.Network/routeTables/rt-spoke-ml",
				"rg-spoke-ml/providers/Microsoft.Network/networkSecurityGroups/nsg-train",
				"rg-spoke-ml/providers/Microsoft.Network/virtualNetworks/vnet-spoke-ml/virtualNetworkPeerings/peer-spoke-ml-to-hub",
				"rg-connectivity/providers/Microsoft.Network/azureFirewalls/fw-hub",
				"rg-connectivity/providers/Microsoft.Network/firewallPolicies/fwp-hub",
				"rg-connectivity/providers/Microsoft.Network/firewallPolicies/fwp-hub/ruleCollectionGroups/rcg-platform",
				"rg-connectivity/providers/Microsoft.Network/dnsResolvers/dnspr-hub/inboundEndpoints/in-hub"},
			[]string{"vnet-spoke-app", "vnet-spoke-data", "privateDnsZones", "defaultSecurityRules"}},
		{"to the workspace's private endpoint through its zone", "vnet-spoke-ml/snet-train", ws,
			[]string{"rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms",
				"rg-ml/providers/Microsoft.Network/privateEndpoints/pe-mlw-contoso",
				"rg-connectivity/providers/Microsoft.Network/dnsResolvers/dnspr-hub/inboundEndpoints/in-hub"},
			[]string{"azureFirewalls", "rt-spoke-ml"}},
		{"denied by a custom NSG rule", "vnet-spoke-data/snet-batch", "management.azure.com",
			[]string{"rg-spoke-data/providers/Microsoft.Network/networkSecurityGroups/nsg-batch/securityRules/DenyAzureResourceManagerOutbound",
				"rg-spoke-data/providers/Microsoft.Network/natGateways/ng-data"},
			[]string{"vnet-spoke-ml"}},
		{"from a VM's address across two peerings", "10.120.1.4", "10.110.2.4",
			[]string{"rg-spoke-app/providers/Microsoft.Network/networkInterfaces/nic-vm-web-01",
				"rg-spoke-app/providers/Microsoft.Network/virtualNetworks/vnet-spoke-app/subnets/snet-web",
				"rg-connectivity/providers/Microsoft.Network/virtualNetworks/vnet-hub/virtualNetworkPeerings/peer-hub-to-spoke-ml",
				"rg-spoke-app/providers/Microsoft.Network/virtualNetworks/vnet-spoke-app/virtualNetworkPeerings/peer-spoke-app-to-hub",
				"rg-ml/providers/Microsoft.Network/privateEndpoints/pe-mlw-contoso"},
			[]string{"dnsResolvers", "vnet-spoke-data"}},
	}
	const rg = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/"
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := e.Check(engine.Query{From: tc.from, To: tc.to})
			if err != nil {
				t.Fatal(err)
			}
			deps := e.DependsOn(&r)
			for _, w := range tc.want {
				if !slices.ContainsFunc(deps, func(d string) bool { return topology.SameID(d, rg+w) }) {
					t.Errorf("%s (%s) does not depend on %s; it lists:\n%s", tc.name, r.Verdict, w, strings.Join(deps, "\n"))
				}
			}
			for _, n := range tc.not {
				for _, d := range deps {
					if strings.Contains(d, n) {
						t.Errorf("depends on %s, which holds %q", d, n)
					}
				}
			}
			if !slices.IsSortedFunc(deps, func(a, b string) int { return strings.Compare(topology.Key(a), topology.Key(b)) }) {
				t.Errorf("not in key order: %v", deps)
			}
		})
	}
}
