package tfplan

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/azure/deploy"
)

// The real plans of ../shared/testdata/tfplans (see SOURCES.md §5).

func evalSharedPlan(t *testing.T, name string) (*Result, error) {
	t.Helper()
	path := filepath.Join("../../../shared/testdata/tfplans", name)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s is absent: the shared test data (../shared) is not checked out beside the repository", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	return Evaluate(data, Options{Name: name})
}

func TestPlanTwoRegionVNetNSGUDR(t *testing.T) {
	res, err := evalSharedPlan(t, "two-region-vnet-nsg-udr-lb.json")
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	// The subscription of data.azurerm_client_config names the IDs the
	// plan leaves unknown.
	if res.SubscriptionID != "642accc6-8360-4262-b700-1b3e63995266" {
		t.Errorf("subscription %q", res.SubscriptionID)
	}
	for _, r := range []struct{ region, net string }{{"NE", "10.1"}, {"UKS", "10.0"}} {
		region := r.region
		rg := "/subscriptions/642accc6-8360-4262-b700-1b3e63995266/resourceGroups/example-resources-" + region + "-001/providers/Microsoft.Network/"
		vnet := resourceJSON(t, &res.Result, rg+"virtualNetworks/servernetwork")
		if at(vnet, "properties.addressSpace.addressPrefixes[0]") != r.net+".0.0/22" {
			t.Errorf("%s VNet %v", region, vnet)
		}
		// The associations' subnet_id, route_table_id and
		// network_security_group_id are unknown; the configuration names
		// the resources, whose IDs are built.
		subnet := resourceJSON(t, &res.Result, rg+"virtualNetworks/servernetwork/subnets/serversubnet")
		if at(subnet, "properties.addressPrefixes[0]") != r.net+".0.0/23" || at(subnet, "properties.routeTable.id") != rg+"routeTables/serversubnet" ||
			at(subnet, "properties.networkSecurityGroup.id") != rg+"networkSecurityGroups/serversubnet" {
			t.Errorf("%s subnet %v", region, subnet)
		}
		route := resourceJSON(t, &res.Result, rg+"routeTables/serversubnet/routes/UDR_internet")
		if at(route, "properties.addressPrefix") != "0.0.0.0/0" || at(route, "properties.nextHopType") != "Internet" {
			t.Errorf("%s route %v", region, route)
		}
		// The route table's computed route list is not configured: it
		// holds the separate azurerm_route only.
		if rt := resourceJSON(t, &res.Result, rg+"routeTables/serversubnet"); at(rt, "properties.disableBgpRoutePropagation") != false {
			t.Errorf("%s route table %v", region, rt)
		}
		for i, addr := range []string{r.net + ".0.4", r.net + ".0.5"} {
			nic := resourceJSON(t, &res.Result, rg+"networkInterfaces/terraform-session-"+region+string(rune('1'+i)))
			// subnet_id is module.example_vpc.subnet_id, an output of the
			// child module.
			if at(nic, "properties.ipConfigurations[0].properties.privateIPAddress") != addr ||
				at(nic, "properties.ipConfigurations[0].properties.subnet.id") != rg+"virtualNetworks/servernetwork/subnets/serversubnet" {
				t.Errorf("%s NIC %d %v", region, i, nic)
			}
		}
		pip := rg + "publicIPAddresses/terraform-session-" + region + "-ip"
		if r := missingReason(t, &res.Result, pip); r != "ip_address is not known before apply: Azure assigns it when it creates the resource" {
			t.Errorf("public IP missing because %q", r)
		}
	}
	if len(res.Resources) != 14 || len(res.Missing) != 2 {
		t.Errorf("%d resources, %d missing", len(res.Resources), len(res.Missing))
	}
	wantSkipped(t, &res.Result, map[string]int{
		"azurerm_availability_set": 1, "azurerm_key_vault": 2, "azurerm_key_vault_secret": 4, "azurerm_lb": 2, "azurerm_lb_backend_address_pool": 2,
		"azurerm_lb_backend_address_pool_address": 4, "azurerm_lb_probe": 2, "azurerm_lb_rule": 2, "azurerm_linux_virtual_machine": 4,
		"azurerm_managed_disk": 4, "azurerm_resource_group": 2, "azurerm_traffic_manager_azure_endpoint": 2, "azurerm_traffic_manager_profile": 2,
		"azurerm_virtual_machine_data_disk_attachment": 4, "random_id": 4, "random_password": 4,
	})
	// Its prior state holds data sources only.
	if res.Before == nil || len(res.Before.Resources) != 0 || len(res.Deletes) != 0 {
		t.Errorf("before %v, deletes %v", res.Before, res.Deletes)
	}
	lr, err := azure.LoadBytes("plan.json", res.JSON(), azure.Options{})
	if err != nil {
		t.Fatalf("the planned estate does not load: %v", err)
	}
	if len(lr.Warnings) != 0 {
		t.Errorf("loader warnings %v", lr.Warnings)
	}
}

func TestPlanInfracostFirewalls(t *testing.T) {
	res, err := evalSharedPlan(t, "infracost-azure-firewall.json")
	// Its five firewalls share one name in one resource group: one ID,
	// which Azure would give to one of them only.
	fw := "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example-resources/providers/Microsoft.Network/azureFirewalls/testfirewall"
	if err == nil || !strings.Contains(err.Error(), "infracost-azure-firewall.json: azurerm_firewall.non_usage and azurerm_firewall.premium have the same ID "+fw) {
		t.Errorf("error %v", err)
	}
	if res == nil {
		t.Fatal("no result")
	}
	if r := missingReason(t, &res.Result, fw); !strings.Contains(r, "azurerm_firewall.non_usage, azurerm_firewall.premium, azurerm_firewall.premium_virtual_hub, azurerm_firewall.standard, azurerm_firewall.standard_virtual_hub") {
		t.Errorf("firewall missing because %q", r)
	}
	// No ID in the plan names a subscription: the default one is used.
	if res.SubscriptionID != DefaultSubscriptionID {
		t.Errorf("subscription %q", res.SubscriptionID)
	}
	subnet := resourceJSON(t, &res.Result, "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example-resources/providers/Microsoft.Network/virtualNetworks/testvnet/subnets/AzureFirewallSubnet")
	if at(subnet, "properties.addressPrefixes[0]") != "10.0.1.0/24" {
		t.Errorf("subnet %v", subnet)
	}
	vnet := resourceJSON(t, &res.Result, "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example-resources/providers/Microsoft.Network/virtualNetworks/testvnet")
	if at(vnet, "properties.addressSpace.addressPrefixes[0]") != "10.0.0.0/16" {
		t.Errorf("VNet %v", vnet)
	}
	missingReason(t, &res.Result, "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example-resources/providers/Microsoft.Network/publicIPAddresses/testpip")
	wantSkipped(t, &res.Result, map[string]int{"azurerm_resource_group": 1, "azurerm_virtual_hub": 1, "azurerm_virtual_wan": 1})
	if res.Before != nil {
		t.Error("a plan of format 0.2 has no prior state")
	}
	if _, err := azure.LoadBytes("plan.json", res.JSON(), azure.Options{}); err != nil {
		t.Errorf("the planned estate does not load: %v", err)
	}
}

func TestPlanOfAnotherProvider(t *testing.T) {
	plan := `{"format_version": "1.2", "terraform_version": "1.9.8",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main", "provider_name": "registry.terraform.io/hashicorp/aws", "values": {"cidr_block": "10.0.0.0/16"}},
    {"address": "aws_subnet.a[0]", "mode": "managed", "type": "aws_subnet", "name": "a", "index": 0, "provider_name": "registry.terraform.io/hashicorp/aws", "values": {"cidr_block": "10.0.1.0/24"}},
    {"address": "aws_subnet.a[1]", "mode": "managed", "type": "aws_subnet", "name": "a", "index": 1, "provider_name": "registry.terraform.io/hashicorp/aws", "values": {"cidr_block": "10.0.2.0/24"}}]}},
  "resource_changes": [
    {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {"cidr_block": "10.0.0.0/16"}, "after_unknown": {"id": true}}}]}`
	res, err := Evaluate([]byte(plan), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Resources) != 0 || len(res.Missing) != 0 || res.Skipped["aws_vpc"] != 1 || res.Skipped["aws_subnet"] != 2 {
		t.Errorf("result %+v", res.Result)
	}
	if string(res.JSON()) != "[]\n" {
		t.Errorf("JSON %q", res.JSON())
	}
}

func TestMalformedPlans(t *testing.T) {
	vnet := func(values string) string {
		return `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
  {"address": "azurerm_virtual_network.v", "mode": "managed", "type": "azurerm_virtual_network", "name": "v", "provider_name": "registry.terraform.io/hashicorp/azurerm",
   "values": ` + values + `}]}}}`
	}
	tests := []struct {
		name, plan, want string
	}{
		{"not JSON", `{"format_version": "1.2",`, `p.json: not valid JSON: the document ends early`},
		{"JSON syntax", "{\n \"format_version\": 1.2.3}", `p.json: not valid JSON: line 2, column 23: invalid character '.' after object key:value pair`},
		{"not an object", `[]`, `p.json: $: a plan is a JSON object, not an array`},
		{"state, not plan", `{"values": {}}`, `p.json: $: this is Terraform state`},
		{"format version", `{"format_version": "3.0"}`, `p.json: $.format_version: unsupported plan format version`},
		{"actions", `{"format_version": "1.2", "resource_changes": [{"address": "a.b", "change": {"actions": ["create"]}}, {"address": "c.d", "change": {"actions": "create"}}]}`,
			`p.json: $.resource_changes[1].change.actions: must be a non-empty array of actions, not "create"`},
		{"unknown action", `{"format_version": "1.2", "resource_changes": [{"address": "a.b", "change": {"actions": ["recreate"]}}]}`,
			`p.json: $.resource_changes[0].change.actions[0]: unknown action "recreate"`},
		{"values", `{"format_version": "1.2", "planned_values": {"root_module": {"child_modules": [{"resources": [{"address": "a.b", "type": "a", "name": "b", "values": "x"}]}]}}}`,
			`p.json: $.planned_values.root_module.child_modules[0].resources[0].values: must be an object, not "x"`},
		{"attribute type", vnet(`{"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v", "address_space": "10.0.0.0/16"}`),
			`p.json: $.planned_values.root_module.resources[0].values.address_space: azurerm_virtual_network.v: address_space must be a list of strings, not "10.0.0.0/16"`},
		{"no name", vnet(`{"resource_group_name": "g"}`),
			`p.json: $.planned_values.root_module.resources[0].values: azurerm_virtual_network.v: its id is not known before apply and cannot be built`},
	}
	for _, tt := range tests {
		_, err := Evaluate([]byte(tt.plan), Options{Name: "p.json"})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
		var pe *PlanError
		if !errors.As(err, &pe) || pe.File != "p.json" {
			t.Errorf("%s: error %v is not a *PlanError naming the file", tt.name, err)
		}
	}
}

// TestPlanUnknownsAndReferences checks, on a small plan, how unknown values
// are resolved or declared missing.
func TestPlanUnknownsAndReferences(t *testing.T) {
	const plan = `{"format_version": "1.2",
 "planned_values": {"root_module": {
  "resources": [
   {"address": "azurerm_network_interface.vm[0]", "mode": "managed", "type": "azurerm_network_interface", "name": "vm", "index": 0, "provider_name": "registry.terraform.io/hashicorp/azurerm",
    "values": {"name": "nic-0", "resource_group_name": "rg", "location": "westeurope", "ip_configuration": [{"name": "ip", "private_ip_address_allocation": "Dynamic"}]}},
   {"address": "azurerm_network_interface.vm[1]", "mode": "managed", "type": "azurerm_network_interface", "name": "vm", "index": 1, "provider_name": "registry.terraform.io/hashicorp/azurerm",
    "values": {"name": "nic-1", "resource_group_name": "rg", "location": "westeurope", "ip_configuration": [{"name": "ip", "private_ip_address_allocation": "Static", "private_ip_address": "10.1.0.10"}]}},
   {"address": "azurerm_network_interface_security_group_association.vm[1]", "mode": "managed", "type": "azurerm_network_interface_security_group_association", "name": "vm", "index": 1, "provider_name": "registry.terraform.io/hashicorp/azurerm",
    "values": {"network_security_group_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg"}},
   {"address": "azurerm_private_dns_resolver_inbound_endpoint.in", "mode": "managed", "type": "azurerm_private_dns_resolver_inbound_endpoint", "name": "in", "provider_name": "registry.terraform.io/hashicorp/azurerm",
    "values": {"name": "in", "location": "westeurope", "private_dns_resolver_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/dnsResolvers/r", "ip_configurations": [{"private_ip_allocation_method": "Dynamic", "subnet_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/in"}]}},
   {"address": "azurerm_subnet_route_table_association.outside", "mode": "managed", "type": "azurerm_subnet_route_table_association", "name": "outside", "provider_name": "registry.terraform.io/hashicorp/azurerm",
    "values": {"subnet_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/other/subnets/a", "route_table_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt"}},
   {"address": "azurerm_firewall_network_rule_collection.c", "mode": "managed", "type": "azurerm_firewall_network_rule_collection", "name": "c", "provider_name": "registry.terraform.io/hashicorp/azurerm",
    "values": {"name": "allow-dns", "azure_firewall_name": "fw", "resource_group_name": "rg", "priority": 100, "action": "Allow",
     "rule": [{"name": "dns", "protocols": ["UDP"], "source_addresses": ["10.0.0.0/8"], "destination_addresses": ["168.63.129.16"], "destination_ports": ["53"]}]}},
   {"address": "azurerm_firewall.fw", "mode": "managed", "type": "azurerm_firewall", "name": "fw", "provider_name": "registry.terraform.io/hashicorp/azurerm",
    "values": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/azureFirewalls/fw", "name": "fw", "resource_group_name": "rg", "location": "westeurope", "sku_name": "AZFW_VNet", "sku_tier": "Standard",
     "ip_configuration": [{"name": "c", "subnet_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/AzureFirewallSubnet", "private_ip_address": "10.0.0.4"}]}}
  ],
  "child_modules": [{"address": "module.net[\"a\"]", "resources": [
   {"address": "module.net[\"a\"].azurerm_subnet.s", "mode": "managed", "type": "azurerm_subnet", "name": "s", "provider_name": "registry.terraform.io/hashicorp/azurerm",
    "values": {"name": "snet-a", "resource_group_name": "rg", "virtual_network_name": "v", "address_prefixes": ["10.1.0.0/24"]}}]}]}},
 "resource_changes": [
   {"address": "azurerm_network_interface.vm[0]", "type": "azurerm_network_interface", "name": "vm", "index": 0, "change": {"actions": ["create"], "after_unknown": {"id": true, "ip_configuration": [{"subnet_id": true, "private_ip_address": true}]}}},
   {"address": "azurerm_network_interface.vm[1]", "type": "azurerm_network_interface", "name": "vm", "index": 1, "change": {"actions": ["create"], "after_unknown": {"id": true, "ip_configuration": [{"subnet_id": true}]}}},
   {"address": "azurerm_network_interface_security_group_association.vm[1]", "type": "azurerm_network_interface_security_group_association", "name": "vm", "index": 1, "change": {"actions": ["create"], "after_unknown": {"id": true, "network_interface_id": true}}},
   {"address": "azurerm_private_dns_resolver_inbound_endpoint.in", "type": "azurerm_private_dns_resolver_inbound_endpoint", "name": "in", "change": {"actions": ["create"], "after_unknown": {"id": true, "ip_configurations": [{"private_ip_address": true}]}}},
   {"address": "module.net[\"a\"].azurerm_subnet.s", "module_address": "module.net[\"a\"]", "type": "azurerm_subnet", "name": "s", "change": {"actions": ["create"], "after_unknown": {"id": true}}}
 ],
 "configuration": {"root_module": {
   "resources": [
    {"address": "azurerm_network_interface.vm", "mode": "managed", "type": "azurerm_network_interface", "name": "vm",
     "expressions": {"ip_configuration": [{"subnet_id": {"references": ["module.net[\"a\"].subnet_id", "module.net[\"a\"]", "module.net"]}, "private_ip_address": {"references": ["var.static_ip"]}}]},
     "count_expression": {"constant_value": 2}},
    {"address": "azurerm_network_interface_security_group_association.vm", "mode": "managed", "type": "azurerm_network_interface_security_group_association", "name": "vm",
     "expressions": {"network_interface_id": {"references": ["azurerm_network_interface.vm[count.index].id", "azurerm_network_interface.vm[count.index]", "azurerm_network_interface.vm", "count.index"]}},
     "count_expression": {"constant_value": 2}},
    {"address": "azurerm_private_dns_resolver_inbound_endpoint.in", "mode": "managed", "type": "azurerm_private_dns_resolver_inbound_endpoint", "name": "in", "expressions": {"ip_configurations": [{"subnet_id": {"constant_value": "x"}}]}}
   ],
   "module_calls": {"net": {"source": "./net", "for_each_expression": {"references": ["local.nets"]},
     "module": {"outputs": {"subnet_id": {"expression": {"references": ["azurerm_subnet.s.id", "azurerm_subnet.s"]}}},
                "resources": [{"address": "azurerm_subnet.s", "mode": "managed", "type": "azurerm_subnet", "name": "s", "expressions": {"name": {"constant_value": "snet-a"}}}]}}}}}}`
	res, err := Evaluate([]byte(plan), Options{Name: "p.json", SubscriptionID: "s"})
	if err != nil {
		t.Fatal(err)
	}
	nic := "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/"
	// nic-0: a dynamic address Azure assigns: missing.
	if r := missingReason(t, &res.Result, nic+"nic-0"); r != "ip_configuration[0].private_ip_address is not known before apply: Azure assigns it when it creates the resource" {
		t.Errorf("nic-0 missing because %q", r)
	}
	// nic-1: static; its subnet comes from module.net["a"].subnet_id, and
	// the NSG association finds it by count.index.
	n1 := resourceJSON(t, &res.Result, nic+"nic-1")
	if at(n1, "properties.ipConfigurations[0].properties.subnet.id") != "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/snet-a" ||
		at(n1, "properties.networkSecurityGroup.id") != "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg" {
		t.Errorf("nic-1 %v", n1)
	}
	if r := missingReason(t, &res.Result, "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/dnsResolvers/r/inboundEndpoints/in"); !strings.Contains(r, "ip_configurations[0].private_ip_address is not known before apply") {
		t.Errorf("inbound endpoint missing because %q", r)
	}
	// An association with a subnet the plan does not describe.
	if r := missingReason(t, &res.Result, "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/other/subnets/a"); r != "the plan changes it (route table association azurerm_subnet_route_table_association.outside) but does not describe it" {
		t.Errorf("outside subnet missing because %q", r)
	}
	// A classic rule collection joins its firewall.
	fw := resourceJSON(t, &res.Result, "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/azureFirewalls/fw")
	if at(fw, "properties.networkRuleCollections[0].name") != "allow-dns" || at(fw, "properties.networkRuleCollections[0].properties.rules[0].destinationPorts[0]") != "53" ||
		at(fw, "properties.ipConfigurations[0].properties.privateIPAddress") != "10.0.0.4" {
		t.Errorf("firewall %v", fw)
	}
	if !slices.ContainsFunc(res.Assumptions, func(a deploy.Assumption) bool {
		return strings.Contains(a.Text, `the ID of module.net["a"].azurerm_subnet.s is not known before apply`)
	}) {
		t.Errorf("assumptions %v", res.Assumptions)
	}
	// The small plan refers to an NSG and subnets outside it: with the VNet
	// it changes (which it does not describe, so a snapshot would bring it),
	// the loader loads it and lists them as missing.
	vnet := `{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v", "type": "Microsoft.Network/virtualNetworks", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}}`
	data := append([]byte("["+vnet+","), bytes.TrimPrefix(bytes.TrimSpace(res.JSON()), []byte("["))...)
	lr, err := azure.LoadBytes("plan.json", data, azure.Options{Lenient: true})
	if err != nil {
		t.Fatalf("does not load: %v", err)
	}
	var missing []string
	for _, m := range lr.Snapshot.Missing() {
		missing = append(missing, m.ID)
	}
	for _, want := range []string{"networkSecurityGroups/nsg", "subnets/AzureFirewallSubnet"} {
		if !slices.ContainsFunc(missing, func(id string) bool { return strings.HasSuffix(id, want) }) {
			t.Errorf("%s is not listed missing: %q", want, missing)
		}
	}
}

func TestPlanDeletes(t *testing.T) {
	const plan = `{"format_version": "1.2", "resource_changes": [
  {"address": "azurerm_network_interface.old", "mode": "managed", "type": "azurerm_network_interface", "name": "old", "provider_name": "registry.terraform.io/hashicorp/azurerm",
   "change": {"actions": ["delete"], "before": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/old", "name": "old"}, "after": null}},
  {"address": "azurerm_subnet_route_table_association.old", "mode": "managed", "type": "azurerm_subnet_route_table_association", "name": "old", "provider_name": "registry.terraform.io/hashicorp/azurerm",
   "change": {"actions": ["delete"], "before": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a"}, "after": null}},
  {"address": "azurerm_route_table.replaced", "mode": "managed", "type": "azurerm_route_table", "name": "replaced", "provider_name": "registry.terraform.io/hashicorp/azurerm",
   "change": {"actions": ["delete", "create"], "before": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/r"}, "after": {}}},
  {"address": "azurerm_linux_virtual_machine.old", "mode": "managed", "type": "azurerm_linux_virtual_machine", "name": "old", "provider_name": "registry.terraform.io/hashicorp/azurerm",
   "change": {"actions": ["delete"], "before": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/old"}, "after": null}}]}`
	res, err := Evaluate([]byte(plan), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Only the NIC is destroyed: the association's ID is its subnet's,
	// which stays; the route table is replaced; virtual machines are not
	// modelled.
	if want := []string{"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/old"}; !slices.Equal(res.Deletes, want) {
		t.Errorf("Deletes = %v, want %v", res.Deletes, want)
	}
}

func TestParseModuleAndReferences(t *testing.T) {
	steps := parseModule(`module.a["x.y"].module.b[0].module.c`)
	if len(steps) != 3 || steps[0] != (step{"a", `["x.y"]`}) || steps[1] != (step{"b", "[0]"}) || steps[2] != (step{"c", ""}) {
		t.Errorf("parseModule = %v", steps)
	}
	if got := moduleAddr(steps); got != `module.a["x.y"].module.b[0].module.c` {
		t.Errorf("moduleAddr = %q", got)
	}
	for ref, want := range map[string][]string{
		`azurerm_subnet.a["k.1"].id`:                                 {"azurerm_subnet", "a", `["k.1"]`, "id"},
		`module.net["a"].subnet_id`:                                  {"module", "net", `["a"]`, "subnet_id"},
		`azurerm_firewall.fw.ip_configuration[0].private_ip_address`: {"azurerm_firewall", "fw", "ip_configuration", "[0]", "private_ip_address"},
	} {
		if got := splitRef(ref); !slices.Equal(got, want) {
			t.Errorf("splitRef(%q) = %q, want %q", ref, got, want)
		}
	}
}
