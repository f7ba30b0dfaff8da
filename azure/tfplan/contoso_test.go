package tfplan

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/azure/deploy"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/topology"
)

// testdata/contoso-plan.json is `terraform show -json` output written for
// these tests: a plan, against the Contoso estate of examples/contoso, that
// creates the data spoke (module.spoke_data: VNet, subnet, NSG and rules,
// associations and peerings; its NAT gateway and public IP exist), adds a
// route table with a separate route to spoke-app, adds the spoke-to-spoke
// rule to the firewall policy's rule collection group and destroys a
// legacy route table. After it, the estate is examples/contoso.

func loadContosoPlan(t *testing.T) *Result {
	t.Helper()
	data, err := os.ReadFile("testdata/contoso-plan.json")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Evaluate(data, Options{Name: "contoso-plan.json"})
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	return res
}

// answers runs the Azure ML profile of every workload subnet and keys each
// result by source, destination, protocol and port.
func answers(t *testing.T, snap *topology.Snapshot) map[string]engine.Result {
	t.Helper()
	e := engine.New(snap, nil)
	qs, err := e.ProfileQueries(nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := e.Run(qs)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]engine.Result{}
	for _, r := range rep.Results {
		out[fmt.Sprintf("%s -> %s %s/%d", r.Source, r.Destination, r.Protocol, r.Port)] = r
	}
	return out
}

func egress(r engine.Result) string {
	if r.Egress == nil {
		return "none"
	}
	return fmt.Sprintf("%+v", *r.Egress)
}

func TestContosoPlanAnswersAsTheSnapshot(t *testing.T) {
	if _, err := os.Stat("../../examples/contoso"); err != nil {
		t.Fatalf("examples/contoso: %v", err)
	}
	snap, err := azure.Load([]string{"../../examples/contoso"}, azure.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := loadContosoPlan(t)
	planned, err := azure.LoadBytes("contoso-plan.json", res.JSON(), azure.Options{})
	if err != nil {
		t.Fatalf("the planned estate does not load: %v", err)
	}
	if len(planned.Warnings) != 0 {
		t.Errorf("loader warnings: %v", planned.Warnings)
	}
	want := answers(t, snap.Snapshot)
	got := answers(t, planned.Snapshot)
	if len(want) == 0 {
		t.Fatal("the snapshot gives no answers")
	}
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	verdicts := map[answer.Verdict]int{}
	for _, k := range keys {
		w := want[k]
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: no answer from the plan", k)
			continue
		}
		verdicts[w.Verdict]++
		if g.Verdict != w.Verdict || egress(g) != egress(w) {
			t.Errorf("%s: plan %s (egress %s), snapshot %s (egress %s)", k, g.Verdict, egress(g), w.Verdict, egress(w))
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d answers from the plan, %d from the snapshot", len(got), len(want))
	}
	t.Logf("%d answers compared: %v", len(keys), verdicts)
	// The estate's deliberate faults show in both (examples/contoso/README.md).
	for _, v := range []answer.Verdict{answer.Reachable, answer.DeniedByNSG, answer.PrivateEndpointBypassed} {
		if verdicts[v] == 0 {
			t.Errorf("no %s answer among %v", v, verdicts)
		}
	}
}

func TestContosoPlanChanges(t *testing.T) {
	res := loadContosoPlan(t)
	sub := "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/"
	if res.SubscriptionID != "11111111-2222-3333-4444-555555555555" {
		t.Errorf("subscription %q", res.SubscriptionID)
	}
	legacy := sub + "rg-spoke-app/providers/Microsoft.Network/routeTables/rt-legacy-web"
	if !slices.Equal(res.Deletes, []string{legacy}) {
		t.Errorf("deletes %v", res.Deletes)
	}
	// Resources the plan creates have IDs built as Azure will name them;
	// unknown references resolve through the configuration.
	rtApp := sub + "rg-spoke-app/providers/Microsoft.Network/routeTables/rt-spoke-app"
	web := resourceJSON(t, &res.Result, sub+"rg-spoke-app/providers/Microsoft.Network/virtualNetworks/vnet-spoke-app/subnets/snet-web")
	if at(web, "properties.routeTable.id") != rtApp {
		t.Errorf("snet-web route table %v (route_table_id resolved from azurerm_route_table.spoke_app)", at(web, "properties.routeTable"))
	}
	dataVNet := sub + "rg-spoke-data/providers/Microsoft.Network/virtualNetworks/vnet-spoke-data"
	peer := resourceJSON(t, &res.Result, sub+"rg-connectivity/providers/Microsoft.Network/virtualNetworks/vnet-hub/virtualNetworkPeerings/peer-hub-to-spoke-data")
	if at(peer, "properties.remoteVirtualNetwork.id") != dataVNet || at(peer, "properties.peeringState") != "Connected" ||
		at(peer, "properties.remoteAddressSpace.addressPrefixes[0]") != "10.130.0.0/16" {
		t.Errorf("hub to data peering %v (remote resolved through module.spoke_data.vnet_id)", peer)
	}
	batch := resourceJSON(t, &res.Result, dataVNet+"/subnets/snet-batch")
	if at(batch, "properties.networkSecurityGroup.id") != sub+"rg-spoke-data/providers/Microsoft.Network/networkSecurityGroups/nsg-batch" ||
		at(batch, "properties.natGateway.id") != sub+"rg-spoke-data/providers/Microsoft.Network/natGateways/ng-data" {
		t.Errorf("snet-batch %v", batch)
	}
	ng := resourceJSON(t, &res.Result, sub+"rg-spoke-data/providers/Microsoft.Network/natGateways/ng-data")
	if at(ng, "properties.publicIpAddresses[0].id") != sub+"rg-spoke-data/providers/Microsoft.Network/publicIPAddresses/pip-ng-data" || at(ng, "properties.subnets[0].id") != dataVNet+"/subnets/snet-batch" {
		t.Errorf("NAT gateway %v", ng)
	}
	deny := sub + "rg-spoke-data/providers/Microsoft.Network/networkSecurityGroups/nsg-batch/securityRules/DenyAzureResourceManagerOutbound"
	if r := resourceJSON(t, &res.Result, deny); at(r, "properties.priority") != 300.0 || at(r, "properties.access") != "Deny" || at(r, "properties.destinationAddressPrefix") != "AzureResourceManager" {
		t.Errorf("deny rule %v", r)
	}
	if !slices.ContainsFunc(res.Assumptions, func(a deploy.Assumption) bool {
		return a.ID == deny && strings.Contains(a.Text, "not known before apply; it is built")
	}) {
		t.Errorf("no assumption on the built ID of %s", deny)
	}
	// The hub's computed subnet list does not repeat the azurerm_subnet
	// resources; the rule collection group has its updated rules.
	hub := resourceJSON(t, &res.Result, sub+"rg-connectivity/providers/Microsoft.Network/virtualNetworks/vnet-hub")
	if s, _ := at(hub, "properties.subnets").([]any); len(s) != 0 {
		t.Errorf("hub VNet embeds %d subnets that azurerm_subnet resources describe", len(s))
	}
	rcg := resourceJSON(t, &res.Result, sub+"rg-connectivity/providers/Microsoft.Network/firewallPolicies/fwp-hub/ruleCollectionGroups/rcg-platform")
	if at(rcg, "properties.ruleCollections[0].rules[11].name") != "spokes" || at(rcg, "properties.ruleCollections[0].rules[8].ipProtocols[0]") != "Any" {
		t.Errorf("rule collection group %v", rcg)
	}
	if len(res.Missing) != 0 {
		t.Errorf("missing %v", res.Missing)
	}
	wantSkipped(t, &res.Result, map[string]int{"azurerm_resource_group": 6, "azurerm_linux_virtual_machine": 2, "azurerm_storage_account": 1,
		"azurerm_key_vault": 1, "azurerm_application_insights": 1, "azurerm_container_registry": 1, "random_id": 1})

	// Before the plan: the legacy route table, no data spoke, no spokes rule.
	if res.Before == nil {
		t.Fatal("no before state")
	}
	resourceJSON(t, res.Before, legacy)
	for _, id := range []string{dataVNet, rtApp, deny} {
		if _, ok := res.Before.Resource(id); ok {
			t.Errorf("%s exists before the plan", id)
		}
	}
	before := resourceJSON(t, res.Before, sub+"rg-connectivity/providers/Microsoft.Network/firewallPolicies/fwp-hub/ruleCollectionGroups/rcg-platform")
	if rules := at(before, "properties.ruleCollections[0].rules").([]any); len(rules) != 11 {
		t.Errorf("before: %d rules", len(rules))
	}
	if _, err := azure.LoadBytes("before.json", res.Before.JSON(), azure.Options{}); err != nil {
		t.Errorf("the estate before the plan does not load: %v", err)
	}
}
