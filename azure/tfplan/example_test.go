package tfplan_test

import (
	"fmt"

	"github.com/vnetpath/vnetpath/azure/tfplan"
)

func ExampleEvaluate() {
	// A plan that creates a route table and associates it with an existing
	// subnet: route_table_id is unknown until apply, and the configuration
	// says it is azurerm_route_table.app's.
	plan := `{"format_version": "1.2", "terraform_version": "1.9.8",
 "planned_values": {"root_module": {"resources": [
  {"address": "azurerm_route_table.app", "mode": "managed", "type": "azurerm_route_table", "name": "app",
   "provider_name": "registry.terraform.io/hashicorp/azurerm",
   "values": {"name": "rt-app", "resource_group_name": "rg-app", "location": "westeurope", "bgp_route_propagation_enabled": false,
     "route": [{"name": "default", "address_prefix": "0.0.0.0/0", "next_hop_type": "VirtualAppliance", "next_hop_in_ip_address": "10.0.1.4"}]}},
  {"address": "azurerm_subnet_route_table_association.web", "mode": "managed", "type": "azurerm_subnet_route_table_association", "name": "web",
   "provider_name": "registry.terraform.io/hashicorp/azurerm",
   "values": {"subnet_id": "/subscriptions/s1/resourceGroups/rg-app/providers/Microsoft.Network/virtualNetworks/vnet-app/subnets/web"}}]}},
 "resource_changes": [
  {"address": "azurerm_route_table.app", "type": "azurerm_route_table", "name": "app", "change": {"actions": ["create"], "after_unknown": {"id": true, "subnets": true}}},
  {"address": "azurerm_subnet_route_table_association.web", "type": "azurerm_subnet_route_table_association", "name": "web",
   "change": {"actions": ["create"], "after_unknown": {"id": true, "route_table_id": true}}}],
 "configuration": {"root_module": {"resources": [
  {"address": "azurerm_subnet_route_table_association.web", "mode": "managed", "type": "azurerm_subnet_route_table_association", "name": "web",
   "expressions": {"route_table_id": {"references": ["azurerm_route_table.app.id", "azurerm_route_table.app"]}}}]}}}`

	res, err := tfplan.Evaluate([]byte(plan), tfplan.Options{Name: "plan.json", SubscriptionID: "s1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Resources {
		fmt.Println("resource:", r.ID)
	}
	for _, m := range res.Missing {
		fmt.Println("missing:", m.ID)
		fmt.Println("  because", m.Reason)
	}
	// Output:
	// resource: /subscriptions/s1/resourceGroups/rg-app/providers/Microsoft.Network/routeTables/rt-app
	// missing: /subscriptions/s1/resourceGroups/rg-app/providers/Microsoft.Network/virtualNetworks/vnet-app/subnets/web
	//   because the plan changes it (route table association azurerm_subnet_route_table_association.web) but does not describe it
}
