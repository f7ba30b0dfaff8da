package azure_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/topology"
)

// refEstate holds every kind of reference the loader reads, each resolved:
// it loads strictly with nothing missing (TestRefEstateIsComplete). Its
// resources sit in subscription s, resource group rg (see S).
const refEstate = `[
{"id": "` + S + `virtualNetworks/hub", "type": "Microsoft.Network/virtualNetworks", "properties": {
  "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
  "subnets": [
    {"id": "` + S + `virtualNetworks/hub/subnets/a", "name": "a", "properties": {"addressPrefix": "10.0.1.0/24",
      "routeTable": {"id": "` + S + `routeTables/rt"}, "networkSecurityGroup": {"id": "` + S + `networkSecurityGroups/nsg"}, "natGateway": {"id": "` + S + `natGateways/ng"},
      "ipConfigurations": [{"id": "` + S + `networkInterfaces/vm/ipConfigurations/c"}]}},
    {"id": "` + S + `virtualNetworks/hub/subnets/GatewaySubnet", "name": "GatewaySubnet", "properties": {"addressPrefix": "10.0.2.0/27"}},
    {"id": "` + S + `virtualNetworks/hub/subnets/AzureFirewallSubnet", "name": "AzureFirewallSubnet", "properties": {"addressPrefix": "10.0.3.0/26",
      "ipConfigurations": [{"id": "` + S + `azureFirewalls/fw/azureFirewallIpConfigurations/c"}]}},
    {"id": "` + S + `virtualNetworks/hub/subnets/AzureFirewallManagementSubnet", "name": "AzureFirewallManagementSubnet", "properties": {"addressPrefix": "10.0.3.64/26"}},
    {"id": "` + S + `virtualNetworks/hub/subnets/pe", "name": "pe", "properties": {"addressPrefix": "10.0.5.0/24",
      "privateEndpoints": [{"id": "` + S + `privateEndpoints/pe"}]}}],
  "virtualNetworkPeerings": [
    {"id": "` + S + `virtualNetworks/hub/virtualNetworkPeerings/to-spoke", "name": "to-spoke", "properties": {"remoteVirtualNetwork": {"id": "` + S + `virtualNetworks/spoke"}, "peeringState": "Connected"}}]}},
{"id": "` + S + `virtualNetworks/spoke", "type": "Microsoft.Network/virtualNetworks", "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}}},
{"id": "` + S + `virtualNetworks/spoke/virtualNetworkPeerings/to-hub", "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "properties": {
  "remoteVirtualNetwork": {"id": "` + S + `virtualNetworks/hub"}, "peeringState": "Connected"}},
{"id": "` + S + `virtualNetworks/svc", "type": "Microsoft.Network/virtualNetworks", "properties": {
  "addressSpace": {"addressPrefixes": ["10.2.0.0/16"]},
  "subnets": [
    {"id": "` + S + `virtualNetworks/svc/subnets/dns-in", "name": "dns-in", "properties": {"addressPrefix": "10.2.0.0/28"}},
    {"id": "` + S + `virtualNetworks/svc/subnets/dns-out", "name": "dns-out", "properties": {"addressPrefix": "10.2.0.16/28"}}]}},
{"id": "` + S + `routeTables/rt", "type": "Microsoft.Network/routeTables", "properties": {"routes": [
  {"id": "` + S + `routeTables/rt/routes/default", "name": "default", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.3.4"}}]}},
{"id": "` + S + `networkSecurityGroups/nsg", "type": "Microsoft.Network/networkSecurityGroups", "properties": {"securityRules": [
  {"id": "` + S + `networkSecurityGroups/nsg/securityRules/web", "name": "web", "properties": {"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
    "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationPortRange": "443",
    "destinationApplicationSecurityGroups": [{"id": "` + S + `applicationSecurityGroups/web"}]}}]}},
{"id": "` + S + `applicationSecurityGroups/web", "type": "Microsoft.Network/applicationSecurityGroups"},
{"id": "` + S + `networkInterfaces/vm", "type": "Microsoft.Network/networkInterfaces", "properties": {
  "networkSecurityGroup": {"id": "` + S + `networkSecurityGroups/nsg"},
  "ipConfigurations": [{"id": "` + S + `networkInterfaces/vm/ipConfigurations/c", "name": "c", "properties": {"privateIPAddress": "10.0.1.4",
    "subnet": {"id": "` + S + `virtualNetworks/hub/subnets/a"}, "publicIPAddress": {"id": "` + S + `publicIPAddresses/pip-vm"},
    "applicationSecurityGroups": [{"id": "` + S + `applicationSecurityGroups/web"}]}}]}},
{"id": "` + S + `networkInterfaces/pe.nic", "type": "Microsoft.Network/networkInterfaces", "properties": {
  "privateEndpoint": {"id": "` + S + `privateEndpoints/pe"},
  "ipConfigurations": [{"name": "c", "properties": {"privateIPAddress": "10.0.5.4", "subnet": {"id": "` + S + `virtualNetworks/hub/subnets/pe"}}}]}},
{"id": "` + S + `privateEndpoints/pe", "type": "Microsoft.Network/privateEndpoints", "properties": {
  "subnet": {"id": "` + S + `virtualNetworks/hub/subnets/pe"}, "networkInterfaces": [{"id": "` + S + `networkInterfaces/pe.nic"}],
  "privateLinkServiceConnections": [{"name": "w", "properties": {"privateLinkServiceId": "` + rg + `Microsoft.MachineLearningServices/workspaces/w", "groupIds": ["amlworkspace"]}}]}},
{"id": "` + rg + `Microsoft.MachineLearningServices/workspaces/w", "type": "Microsoft.MachineLearningServices/workspaces", "properties": {"workspaceId": "8b0f6c1e-5a4d-4e2b-9c3f-2d1e0a9b8c7d"}},
{"id": "` + S + `azureFirewalls/fw", "type": "Microsoft.Network/azureFirewalls", "properties": {
  "firewallPolicy": {"id": "` + S + `firewallPolicies/fwp"},
  "ipConfigurations": [{"id": "` + S + `azureFirewalls/fw/azureFirewallIpConfigurations/c", "name": "c", "properties": {"privateIPAddress": "10.0.3.4",
    "subnet": {"id": "` + S + `virtualNetworks/hub/subnets/AzureFirewallSubnet"}, "publicIPAddress": {"id": "` + S + `publicIPAddresses/pip-fw"}}}],
  "managementIpConfiguration": {"name": "m", "properties": {
    "subnet": {"id": "` + S + `virtualNetworks/hub/subnets/AzureFirewallManagementSubnet"}, "publicIPAddress": {"id": "` + S + `publicIPAddresses/pip-fw-mgmt"}}}}},
{"id": "` + S + `azureFirewalls/fw-classic", "type": "Microsoft.Network/azureFirewalls", "properties": {
  "networkRuleCollections": [{"name": "c", "properties": {"priority": 100, "action": {"type": "Allow"}, "rules": [
    {"name": "onprem", "protocols": ["TCP"], "sourceIpGroups": ["` + S + `ipGroups/ipg"], "destinationAddresses": ["*"], "destinationPorts": ["443"]}]}}]}},
{"id": "` + S + `firewallPolicies/fwp", "type": "Microsoft.Network/firewallPolicies", "properties": {
  "basePolicy": {"id": "` + S + `firewallPolicies/fwp-base"},
  "ruleCollectionGroups": [{"id": "` + S + `firewallPolicies/fwp/ruleCollectionGroups/rcg"}]}},
{"id": "` + S + `firewallPolicies/fwp-base", "type": "Microsoft.Network/firewallPolicies"},
{"id": "` + S + `firewallPolicies/fwp/ruleCollectionGroups/rcg", "type": "Microsoft.Network/firewallPolicies/ruleCollectionGroups", "properties": {"priority": 100, "ruleCollections": [
  {"ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": "c", "priority": 100, "action": {"type": "Allow"}, "rules": [
    {"ruleType": "NetworkRule", "name": "onprem", "ipProtocols": ["TCP"], "sourceAddresses": ["10.0.0.0/8"], "destinationIpGroups": ["` + S + `ipGroups/ipg"], "destinationPorts": ["443"]}]}]}},
{"id": "` + S + `ipGroups/ipg", "type": "Microsoft.Network/ipGroups", "properties": {"ipAddresses": ["192.168.0.0/16"]}},
{"id": "` + S + `virtualNetworkGateways/vgw", "type": "Microsoft.Network/virtualNetworkGateways", "properties": {"gatewayType": "Vpn",
  "ipConfigurations": [{"id": "` + S + `virtualNetworkGateways/vgw/ipConfigurations/default", "name": "default", "properties": {
    "subnet": {"id": "` + S + `virtualNetworks/hub/subnets/GatewaySubnet"}, "publicIPAddress": {"id": "` + S + `publicIPAddresses/pip-gw"}}}]}},
{"id": "` + S + `virtualNetworkGateways/vgw-er", "type": "Microsoft.Network/virtualNetworkGateways", "properties": {"gatewayType": "ExpressRoute",
  "ipConfigurations": [{"name": "default", "properties": {"subnet": {"id": "` + S + `virtualNetworks/hub/subnets/GatewaySubnet"}}}]}},
{"id": "` + S + `localNetworkGateways/lgw", "type": "Microsoft.Network/localNetworkGateways", "properties": {"gatewayIpAddress": "203.0.113.1", "localNetworkAddressSpace": {"addressPrefixes": ["192.168.0.0/16"]}}},
{"id": "` + S + `connections/cn", "type": "Microsoft.Network/connections", "properties": {"connectionType": "IPsec",
  "virtualNetworkGateway1": {"id": "` + S + `virtualNetworkGateways/vgw"}, "localNetworkGateway2": {"id": "` + S + `localNetworkGateways/lgw"}}},
{"id": "` + S + `connections/cn-v2v", "type": "Microsoft.Network/connections", "properties": {"connectionType": "Vnet2Vnet",
  "virtualNetworkGateway1": {"id": "` + S + `virtualNetworkGateways/vgw-er"}, "virtualNetworkGateway2": {"id": "` + S + `virtualNetworkGateways/vgw"}}},
{"id": "` + S + `natGateways/ng", "type": "Microsoft.Network/natGateways", "properties": {
  "publicIpAddresses": [{"id": "` + S + `publicIPAddresses/pip-ng"}], "publicIpPrefixes": [{"id": "` + S + `publicIPPrefixes/ppf"}],
  "subnets": [{"id": "` + S + `virtualNetworks/hub/subnets/a"}]}},
{"id": "` + S + `publicIPAddresses/pip-ng", "type": "Microsoft.Network/publicIPAddresses", "properties": {"ipAddress": "20.0.0.1"}},
{"id": "` + S + `publicIPPrefixes/ppf", "type": "Microsoft.Network/publicIPPrefixes", "properties": {"ipPrefix": "20.0.1.0/30"}},
{"id": "` + S + `publicIPAddresses/pip-vm", "type": "Microsoft.Network/publicIPAddresses", "properties": {"ipAddress": "20.0.0.2",
  "ipConfiguration": {"id": "` + S + `networkInterfaces/vm/ipConfigurations/c"}}},
{"id": "` + S + `publicIPAddresses/pip-fw", "type": "Microsoft.Network/publicIPAddresses", "properties": {"ipAddress": "20.0.0.3",
  "ipConfiguration": {"id": "` + S + `azureFirewalls/fw/azureFirewallIpConfigurations/c"}}},
{"id": "` + S + `publicIPAddresses/pip-fw-mgmt", "type": "Microsoft.Network/publicIPAddresses", "properties": {"ipAddress": "20.0.0.4"}},
{"id": "` + S + `publicIPAddresses/pip-gw", "type": "Microsoft.Network/publicIPAddresses", "properties": {"ipAddress": "20.0.0.5",
  "ipConfiguration": {"id": "` + S + `virtualNetworkGateways/vgw/ipConfigurations/default"}}},
{"id": "` + S + `privateDnsZones/z.example", "type": "Microsoft.Network/privateDnsZones", "properties": {"numberOfRecordSets": 2, "numberOfVirtualNetworkLinks": 1}},
{"id": "` + S + `privateDnsZones/z.example/A/www", "type": "Microsoft.Network/privateDnsZones/A", "properties": {"aRecords": [{"ipv4Address": "10.0.5.4"}]}},
{"id": "` + S + `privateDnsZones/z.example/SOA/@", "type": "Microsoft.Network/privateDnsZones/SOA", "properties": {"ttl": 3600}},
{"id": "` + S + `privateDnsZones/z.example/virtualNetworkLinks/spoke", "type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "properties": {
  "virtualNetwork": {"id": "` + S + `virtualNetworks/spoke"}}},
{"id": "` + S + `dnsResolvers/r", "type": "Microsoft.Network/dnsResolvers", "properties": {"virtualNetwork": {"id": "` + S + `virtualNetworks/svc"}}},
{"id": "` + S + `dnsResolvers/r/inboundEndpoints/in", "type": "Microsoft.Network/dnsResolvers/inboundEndpoints", "properties": {
  "ipConfigurations": [{"privateIpAddress": "10.2.0.4", "subnet": {"id": "` + S + `virtualNetworks/svc/subnets/dns-in"}}]}},
{"id": "` + S + `dnsResolvers/r/outboundEndpoints/out", "type": "Microsoft.Network/dnsResolvers/outboundEndpoints", "properties": {
  "subnet": {"id": "` + S + `virtualNetworks/svc/subnets/dns-out"}}},
{"id": "` + S + `dnsForwardingRulesets/rs", "type": "Microsoft.Network/dnsForwardingRulesets", "properties": {
  "dnsResolverOutboundEndpoints": [{"id": "` + S + `dnsResolvers/r/outboundEndpoints/out"}]}},
{"id": "` + S + `dnsForwardingRulesets/rs/forwardingRules/corp", "type": "Microsoft.Network/dnsForwardingRulesets/forwardingRules", "properties": {
  "domainName": "corp.example.", "targetDnsServers": [{"ipAddress": "192.168.0.53"}]}},
{"id": "` + S + `dnsForwardingRulesets/rs/virtualNetworkLinks/spoke", "type": "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks", "properties": {
  "virtualNetwork": {"id": "` + S + `virtualNetworks/spoke"}}},
{"id": "` + S + `virtualNetworks/nva", "type": "Microsoft.Network/virtualNetworks", "properties": {
  "addressSpace": {"addressPrefixes": ["10.3.0.0/16"]},
  "subnets": [{"id": "` + S + `virtualNetworks/nva/subnets/nva", "name": "nva", "properties": {"addressPrefix": "10.3.1.0/24"}}]}},
{"id": "` + S + `virtualNetworks/pool", "type": "Microsoft.Network/virtualNetworks", "properties": {"addressSpace": {"addressPrefixes": ["10.4.0.0/16"]}}},
{"id": "` + S + `networkInterfaces/nva", "type": "Microsoft.Network/networkInterfaces", "properties": {"enableIPForwarding": true,
  "ipConfigurations": [{"id": "` + S + `networkInterfaces/nva/ipConfigurations/c", "name": "c", "properties": {"privateIPAddress": "10.3.1.4",
    "subnet": {"id": "` + S + `virtualNetworks/nva/subnets/nva"},
    "loadBalancerBackendAddressPools": [{"id": "` + S + `loadBalancers/lb/backendAddressPools/nva"}]}}]}},
{"id": "` + S + `loadBalancers/lb", "type": "Microsoft.Network/loadBalancers", "sku": {"name": "Standard"}, "properties": {
  "frontendIPConfigurations": [
    {"id": "` + S + `loadBalancers/lb/frontendIPConfigurations/in", "name": "in", "properties": {"privateIPAddress": "10.3.1.10", "subnet": {"id": "` + S + `virtualNetworks/nva/subnets/nva"}}},
    {"id": "` + S + `loadBalancers/lb/frontendIPConfigurations/out", "name": "out", "properties": {"publicIPAddress": {"id": "` + S + `publicIPAddresses/pip-lb"}}},
    {"id": "` + S + `loadBalancers/lb/frontendIPConfigurations/out-prefix", "name": "out-prefix", "properties": {"publicIPPrefix": {"id": "` + S + `publicIPPrefixes/ppf-lb"}}}],
  "backendAddressPools": [
    {"id": "` + S + `loadBalancers/lb/backendAddressPools/nva", "name": "nva", "properties": {
      "backendIPConfigurations": [{"id": "` + S + `networkInterfaces/nva/ipConfigurations/c"}],
      "loadBalancerBackendAddresses": [{"name": "x", "properties": {"ipAddress": "10.4.0.4", "virtualNetwork": {"id": "` + S + `virtualNetworks/pool"}}}]}}],
  "loadBalancingRules": [{"id": "` + S + `loadBalancers/lb/loadBalancingRules/ha", "name": "ha", "properties": {"protocol": "All", "frontendPort": 0, "backendPort": 0,
    "frontendIPConfiguration": {"id": "` + S + `loadBalancers/lb/frontendIPConfigurations/in"}, "backendAddressPool": {"id": "` + S + `loadBalancers/lb/backendAddressPools/nva"}}}],
  "outboundRules": [{"id": "` + S + `loadBalancers/lb/outboundRules/o", "name": "o", "properties": {"protocol": "All",
    "frontendIPConfigurations": [{"id": "` + S + `loadBalancers/lb/frontendIPConfigurations/out"}], "backendAddressPool": {"id": "` + S + `loadBalancers/lb/backendAddressPools/nva"}}}]}},
{"id": "` + S + `publicIPAddresses/pip-lb", "type": "Microsoft.Network/publicIPAddresses", "properties": {"ipAddress": "20.0.0.6",
  "ipConfiguration": {"id": "` + S + `loadBalancers/lb/frontendIPConfigurations/out"}}},
{"id": "` + S + `publicIPPrefixes/ppf-lb", "type": "Microsoft.Network/publicIPPrefixes", "properties": {"ipPrefix": "20.0.2.0/31"}},
{"id": "` + S + `networkManagers/avnm", "type": "Microsoft.Network/networkManagers", "properties": {
  "networkManagerScopes": {"subscriptions": ["/subscriptions/s"]}, "networkManagerScopeAccesses": ["SecurityAdmin"]}},
{"id": "` + S + `networkManagers/avnm/securityAdminConfigurations/sac", "type": "Microsoft.Network/networkManagers/securityAdminConfigurations", "properties": {}},
{"id": "` + S + `networkManagers/avnm/securityAdminConfigurations/sac/ruleCollections/rc", "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections", "properties": {
  "appliesToGroups": [{"networkGroupId": "` + S + `networkManagers/avnm/networkGroups/all"}]}},
{"id": "` + S + `virtualWans/wan", "type": "Microsoft.Network/virtualWans", "properties": {"type": "Standard"}},
{"id": "` + S + `virtualHubs/hub-we", "type": "Microsoft.Network/virtualHubs", "properties": {"addressPrefix": "10.200.0.0/23", "virtualWan": {"id": "` + S + `virtualWans/wan"}}}
]`

// without returns refEstate without the resources whose IDs are given, at
// any depth (an embedded subnet goes from its VNet's list); references to
// them stay.
func without(t *testing.T, ids ...string) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(refEstate), &v); err != nil {
		t.Fatal(err)
	}
	var strip func(any) any
	strip = func(v any) any {
		switch x := v.(type) {
		case []any:
			out := x[:0]
			for _, e := range x {
				// A resource, not a reference to it ({"id": ...} alone).
				if m, ok := e.(map[string]any); ok && len(m) > 1 && slices.ContainsFunc(ids, func(id string) bool { return topology.SameID(id, str(m["id"])) }) {
					continue
				}
				out = append(out, strip(e))
			}
			return out
		case map[string]any:
			for k, e := range x {
				x[k] = strip(e)
			}
		}
		return v
	}
	data, err := json.Marshal(strip(v))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func TestRefEstateIsComplete(t *testing.T) {
	res := mustLoad(t, refEstate)
	if len(res.Warnings) != 0 || len(res.Snapshot.Missing()) != 0 {
		t.Fatalf("warnings %v, missing %+v", res.Warnings, res.Snapshot.Missing())
	}
	// Every reference field of every type is in it, so the cases below
	// cover them all.
	for _, ti := range topology.Types() {
		if res.Snapshot.Counts()[ti.Type] == 0 && ti.Type != topology.TypeDNSRecordAAAA && ti.Type != topology.TypeDNSRecordCNAME && ti.Type != topology.TypeDNSRecordPTR {
			t.Errorf("no %s in the estate", ti.Type)
		}
	}
}

// TestMissingReference removes one resource at a time from refEstate: the
// rest loads in strict mode, the resource is listed as missing with every
// resource that references it (by field) and the az command that exports
// it, and what references it is kept. SPEC §2, "Incomplete snapshots".
func TestMissingReference(t *testing.T) {
	const sid = "s"
	show := func(kind, name string) string {
		return "az network " + kind + " show -g rg -n " + name + " --subscription " + sid + " -o json"
	}
	type ref struct{ ID, Field string }
	tests := []struct {
		name   string
		remove string // the ID removed from the estate
		refs   []ref  // who references it
		export string
		also   []string // other IDs then missing: children removed with it that others reference
	}{
		{name: "subnet's route table", remove: S + "routeTables/rt",
			refs: []ref{{S + "virtualNetworks/hub/subnets/a", "RouteTable"}}, export: show("route-table", "rt")},
		{name: "subnet's and NIC's NSG", remove: S + "networkSecurityGroups/nsg",
			refs: []ref{{S + "networkInterfaces/vm", "NSG"}, {S + "virtualNetworks/hub/subnets/a", "NSG"}}, export: show("nsg", "nsg")},
		{name: "subnet's NAT gateway", remove: S + "natGateways/ng",
			refs: []ref{{S + "virtualNetworks/hub/subnets/a", "NATGateway"}}, export: show("nat gateway", "ng")},
		{name: "NIC's subnet and NAT gateway's subnet", remove: S + "virtualNetworks/hub/subnets/a",
			refs:   []ref{{S + "natGateways/ng", "Subnets[0]"}, {S + "networkInterfaces/vm", "IPConfigs[0].Subnet"}},
			export: "az network vnet subnet list -g rg --vnet-name hub --subscription s -o json"},
		{name: "NIC's and security rule's ASG", remove: S + "applicationSecurityGroups/web",
			refs: []ref{{S + "networkInterfaces/vm", "IPConfigs[0].ASGs[0]"}, {S + "networkSecurityGroups/nsg/securityRules/web", "DestinationASGs[0]"}}, export: show("asg", "web")},
		{name: "NIC's public IP", remove: S + "publicIPAddresses/pip-vm",
			refs: []ref{{S + "networkInterfaces/vm", "IPConfigs[0].PublicIP"}}, export: show("public-ip", "pip-vm")},
		{name: "NIC of a subnet and of a public IP", remove: S + "networkInterfaces/vm",
			refs: []ref{{S + "publicIPAddresses/pip-vm", "IPConfiguration"}, {S + "virtualNetworks/hub/subnets/a", "IPConfigurations[0]"}}, export: show("nic", "vm")},
		{name: "peering's remote VNet and owning VNet, zone and ruleset links' VNet", remove: S + "virtualNetworks/spoke",
			refs: []ref{
				{S + "dnsForwardingRulesets/rs/virtualNetworkLinks/spoke", "VNet"},
				{S + "privateDnsZones/z.example/virtualNetworkLinks/spoke", "VNet"},
				{S + "virtualNetworks/hub/virtualNetworkPeerings/to-spoke", "RemoteVNet"},
				{S + "virtualNetworks/spoke/virtualNetworkPeerings/to-hub", "VNet"},
			}, export: show("vnet", "spoke")},
		{name: "firewall's policy", remove: S + "firewallPolicies/fwp",
			refs: []ref{{S + "azureFirewalls/fw", "Policy"}, {S + "firewallPolicies/fwp/ruleCollectionGroups/rcg", "Policy"}}, export: show("firewall policy", "fwp")},
		{name: "firewall's subnet", remove: S + "virtualNetworks/hub/subnets/AzureFirewallSubnet",
			refs:   []ref{{S + "azureFirewalls/fw", "IPConfigs[0].Subnet"}},
			export: "az network vnet subnet list -g rg --vnet-name hub --subscription s -o json"},
		{name: "firewall's management subnet", remove: S + "virtualNetworks/hub/subnets/AzureFirewallManagementSubnet",
			refs:   []ref{{S + "azureFirewalls/fw", "ManagementIPConfig.Subnet"}},
			export: "az network vnet subnet list -g rg --vnet-name hub --subscription s -o json"},
		{name: "firewall's public IP", remove: S + "publicIPAddresses/pip-fw",
			refs: []ref{{S + "azureFirewalls/fw", "IPConfigs[0].PublicIP"}}, export: show("public-ip", "pip-fw")},
		{name: "firewall's management public IP", remove: S + "publicIPAddresses/pip-fw-mgmt",
			refs: []ref{{S + "azureFirewalls/fw", "ManagementIPConfig.PublicIP"}}, export: show("public-ip", "pip-fw-mgmt")},
		{name: "firewall of a subnet and of a public IP", remove: S + "azureFirewalls/fw",
			refs: []ref{{S + "publicIPAddresses/pip-fw", "IPConfiguration"}, {S + "virtualNetworks/hub/subnets/AzureFirewallSubnet", "IPConfigurations[0]"}}, export: show("firewall", "fw")},
		{name: "policy's base policy", remove: S + "firewallPolicies/fwp-base",
			refs: []ref{{S + "firewallPolicies/fwp", "BasePolicy"}}, export: show("firewall policy", "fwp-base")},
		{name: "policy's rule collection group", remove: S + "firewallPolicies/fwp/ruleCollectionGroups/rcg",
			refs:   []ref{{S + "firewallPolicies/fwp", "RuleCollectionGroups[0]"}},
			export: "az network firewall policy rule-collection-group list -g rg --policy-name fwp --subscription s -o json"},
		{name: "IP group of classic and policy rules", remove: S + "ipGroups/ipg",
			refs: []ref{
				{S + "azureFirewalls/fw-classic", "RuleCollections[0].Rules[0].SourceIPGroups"},
				{S + "firewallPolicies/fwp/ruleCollectionGroups/rcg", "Collections[0].Rules[0].DestinationIPGroups"},
			}, export: show("ip-group", "ipg")},
		{name: "gateways' subnet", remove: S + "virtualNetworks/hub/subnets/GatewaySubnet",
			refs:   []ref{{S + "virtualNetworkGateways/vgw", "IPConfigs[0].Subnet"}, {S + "virtualNetworkGateways/vgw-er", "IPConfigs[0].Subnet"}},
			export: "az network vnet subnet list -g rg --vnet-name hub --subscription s -o json"},
		{name: "connections' gateway", remove: S + "virtualNetworkGateways/vgw",
			refs:   []ref{{S + "connections/cn", "Gateway1"}, {S + "connections/cn-v2v", "Gateway2"}, {S + "publicIPAddresses/pip-gw", "IPConfiguration"}},
			export: show("vnet-gateway", "vgw")},
		{name: "connection's local gateway", remove: S + "localNetworkGateways/lgw",
			refs: []ref{{S + "connections/cn", "LocalGateway2"}}, export: show("local-gateway", "lgw")},
		{name: "NAT gateway's public IP", remove: S + "publicIPAddresses/pip-ng",
			refs: []ref{{S + "natGateways/ng", "PublicIPs[0]"}}, export: show("public-ip", "pip-ng")},
		{name: "NAT gateway's public IP prefix", remove: S + "publicIPPrefixes/ppf",
			refs: []ref{{S + "natGateways/ng", "PublicIPPrefixes[0]"}}, export: show("public-ip prefix", "ppf")},
		{name: "private endpoint of its NIC and its subnet", remove: S + "privateEndpoints/pe",
			refs: []ref{{S + "networkInterfaces/pe.nic", "PrivateEndpoint"}, {S + "virtualNetworks/hub/subnets/pe", "PrivateEndpoints[0]"}}, export: show("private-endpoint", "pe")},
		{name: "private endpoint's NIC", remove: S + "networkInterfaces/pe.nic",
			refs: []ref{{S + "privateEndpoints/pe", "NICs[0]"}}, export: show("nic", "pe.nic")},
		{name: "private endpoint's subnet", remove: S + "virtualNetworks/hub/subnets/pe",
			refs:   []ref{{S + "networkInterfaces/pe.nic", "IPConfigs[0].Subnet"}, {S + "privateEndpoints/pe", "Subnet"}},
			export: "az network vnet subnet list -g rg --vnet-name hub --subscription s -o json"},
		{name: "private endpoint's workspace", remove: rg + "Microsoft.MachineLearningServices/workspaces/w",
			refs:   []ref{{S + "privateEndpoints/pe", "Connections[0].Target"}},
			export: "az resource show --ids " + rg + "Microsoft.MachineLearningServices/workspaces/w -o json"},
		{name: "zone of its record and link", remove: S + "privateDnsZones/z.example",
			refs:   []ref{{S + "privateDnsZones/z.example/A/www", "Zone"}, {S + "privateDnsZones/z.example/virtualNetworkLinks/spoke", "Zone"}},
			export: "az network private-dns zone show -g rg -n z.example --subscription s -o json"},
		{name: "resolver's VNet and endpoints' subnets", remove: S + "virtualNetworks/svc",
			refs: []ref{{S + "dnsResolvers/r", "VNet"}}, export: show("vnet", "svc"),
			also: []string{S + "virtualNetworks/svc/subnets/dns-in", S + "virtualNetworks/svc/subnets/dns-out"}},
		{name: "resolver of its endpoints", remove: S + "dnsResolvers/r",
			refs:   []ref{{S + "dnsResolvers/r/inboundEndpoints/in", "Resolver"}, {S + "dnsResolvers/r/outboundEndpoints/out", "Resolver"}},
			export: "az dns-resolver show -g rg -n r --subscription s -o json",
			also:   []string{S + "dnsResolvers/r/outboundEndpoints/out"}},
		{name: "ruleset's outbound endpoint", remove: S + "dnsResolvers/r/outboundEndpoints/out",
			refs:   []ref{{S + "dnsForwardingRulesets/rs", "OutboundEndpoints[0]"}},
			export: "az dns-resolver outbound-endpoint list -g rg --dns-resolver-name r --subscription s -o json"},
		{name: "load balancer of its NIC and public IP", remove: S + "loadBalancers/lb",
			refs: []ref{{S + "networkInterfaces/nva", "IPConfigs[0].LBPools[0]"}, {S + "publicIPAddresses/pip-lb", "IPConfiguration"}}, export: show("lb", "lb")},
		{name: "load balancer's NIC", remove: S + "networkInterfaces/nva",
			refs: []ref{{S + "loadBalancers/lb", "Pools[0].IPConfigs[0]"}}, export: show("nic", "nva")},
		{name: "load balancer's subnet", remove: S + "virtualNetworks/nva/subnets/nva",
			refs:   []ref{{S + "loadBalancers/lb", "Frontends[0].Subnet"}, {S + "networkInterfaces/nva", "IPConfigs[0].Subnet"}},
			export: "az network vnet subnet list -g rg --vnet-name nva --subscription s -o json"},
		{name: "load balancer's public IP", remove: S + "publicIPAddresses/pip-lb",
			refs: []ref{{S + "loadBalancers/lb", "Frontends[1].PublicIP"}}, export: show("public-ip", "pip-lb")},
		{name: "load balancer's public IP prefix", remove: S + "publicIPPrefixes/ppf-lb",
			refs: []ref{{S + "loadBalancers/lb", "Frontends[2].PublicIPPrefix"}}, export: show("public-ip prefix", "ppf-lb")},
		{name: "load balancer pool's VNet", remove: S + "virtualNetworks/pool",
			refs: []ref{{S + "loadBalancers/lb", "Pools[0].Addresses[0].VNet"}}, export: show("vnet", "pool")},
		{name: "security admin configuration of its rule collection", remove: S + "networkManagers/avnm/securityAdminConfigurations/sac",
			refs:   []ref{{S + "networkManagers/avnm/securityAdminConfigurations/sac/ruleCollections/rc", "Configuration"}},
			export: "az network manager security-admin-config list -g rg --network-manager-name avnm --subscription s -o json"},
		{name: "network manager of its configuration", remove: S + "networkManagers/avnm",
			refs:   []ref{{S + "networkManagers/avnm/securityAdminConfigurations/sac", "Manager"}},
			export: show("manager", "avnm"),
			also:   []string{S + "networkManagers/avnm/securityAdminConfigurations/sac"}},
		{name: "virtual hub's Virtual WAN", remove: S + "virtualWans/wan",
			refs: []ref{{S + "virtualHubs/hub-we", "VirtualWAN"}}, export: show("vwan", "wan")},
		{name: "ruleset of its rule and link", remove: S + "dnsForwardingRulesets/rs",
			refs:   []ref{{S + "dnsForwardingRulesets/rs/forwardingRules/corp", "Ruleset"}, {S + "dnsForwardingRulesets/rs/virtualNetworkLinks/spoke", "Ruleset"}},
			export: "az dns-resolver forwarding-ruleset show -g rg -n rs --subscription s -o json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := azure.LoadBytes("snap.json", without(t, tt.remove), azure.Options{})
			if err != nil {
				t.Fatalf("strict load: %v", err)
			}
			s := res.Snapshot
			if got, want := missingIDs(s), sortedKeys(append([]string{tt.remove}, tt.also...)); !slices.Equal(got, want) {
				t.Errorf("Missing() = %q\nwant %q", got, want)
			}
			m, ok := s.MissingByID(tt.remove)
			if !ok {
				t.Fatalf("%s not listed", tt.remove)
			}
			var refs []topology.Ref
			for _, r := range tt.refs {
				refs = append(refs, topology.Ref(r))
			}
			if !slices.Equal(m.ReferencedBy, refs) || m.Export != tt.export || m.Reason != "not in the snapshot" {
				t.Errorf("Missing = %+v\nwant refs %v\nexport %q", m, tt.refs, tt.export)
			}
			if ti, _ := topology.LookupType(m.Type); ti.Type == "" {
				t.Errorf("type %q is not a modelled type", m.Type)
			}
			// What references it stays, unless it is a child that cannot
			// be attached to it.
			for _, r := range m.ReferencedBy {
				if kept := s.Has(r.ID); kept == (r.Field == parentField(r.ID)) {
					t.Errorf("%s (by %s): kept = %v", r.ID, r.Field, kept)
				}
			}
			if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0].Msg, "not in it") {
				t.Errorf("warnings = %v, want one summary line", res.Warnings)
			}
		})
	}
}

// parentField names the field of a child that holds its parent.
func parentField(id string) string {
	r, _ := topology.ParseResourceID(id)
	switch strings.ToLower(r.Type()) {
	case strings.ToLower(topology.TypeSubnet), strings.ToLower(topology.TypePeering):
		return "VNet"
	case strings.ToLower(topology.TypeRuleCollectionGroup):
		return "Policy"
	case strings.ToLower(topology.TypeDNSRecordA), strings.ToLower(topology.TypeZoneLink):
		return "Zone"
	case strings.ToLower(topology.TypeInboundEndpoint), strings.ToLower(topology.TypeOutboundEndpoint):
		return "Resolver"
	case strings.ToLower(topology.TypeForwardingRule), strings.ToLower(topology.TypeRulesetLink):
		return "Ruleset"
	case strings.ToLower(topology.TypeSecurityAdminConfig):
		return "Manager"
	case strings.ToLower(topology.TypeAdminRuleCollection):
		return "Configuration"
	}
	return ""
}

func sortedKeys(ids []string) []string {
	slices.SortFunc(ids, func(a, b string) int { return strings.Compare(topology.Key(a), topology.Key(b)) })
	return ids
}

// TestMissingDeclaredRecordSetsAndLinks: a zone declaring more record sets
// or links than exported lists them as missing.
func TestMissingDeclaredRecordSetsAndLinks(t *testing.T) {
	zone := S + "privateDnsZones/z.example"
	tests := []struct {
		remove, id, typ, reason, export string
	}{
		{zone + "/A/www", zone + "/recordSets", topology.TypeRecordSets,
			"zone z.example declares 2 record sets (numberOfRecordSets), the snapshot holds 1",
			"az network private-dns record-set list -g rg -z z.example --subscription s -o json"},
		{zone + "/virtualNetworkLinks/spoke", zone + "/virtualNetworkLinks", topology.TypeZoneLink,
			"zone z.example declares 1 virtual network links (numberOfVirtualNetworkLinks), the snapshot holds 0",
			"az network private-dns link vnet list -g rg -z z.example --subscription s -o json"},
	}
	for _, tt := range tests {
		res, err := azure.LoadBytes("snap.json", without(t, tt.remove), azure.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ms := res.Snapshot.Missing()
		if len(ms) != 1 || ms[0].ID != tt.id || ms[0].Type != tt.typ || ms[0].Reason != tt.reason || ms[0].Export != tt.export {
			t.Errorf("without %s: Missing() = %+v", topology.ShortName(tt.remove), ms)
		}
		z, _ := res.Snapshot.PrivateZone(zone)
		if z.RecordsComplete() && z.LinksComplete() {
			t.Errorf("without %s: the zone says it is complete", topology.ShortName(tt.remove))
		}
	}
	// Azure creates one SOA record set with every zone and counts it; an
	// export without it (az ... record-set a list, a template, a plan) is
	// still complete.
	res, err := azure.LoadBytes("snap.json", without(t, zone+"/SOA/@"), azure.Options{})
	if err != nil {
		t.Fatal(err)
	}
	z, _ := res.Snapshot.PrivateZone(zone)
	if ms := res.Snapshot.Missing(); len(ms) != 0 || !z.RecordsComplete() {
		t.Errorf("without the SOA record set: Missing() = %+v, complete %v; want none and complete", ms, z.RecordsComplete())
	}
}

// TestExampleWithAFileLeftOut loads examples/contoso without each of its
// files in turn: without virtualNetworks.json it is the no-VNet error;
// otherwise it loads and Missing names resources of the file's type.
func TestExampleWithAFileLeftOut(t *testing.T) {
	dir := filepath.Join("..", "examples", "contoso")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			if files[e.Name()], err = os.ReadFile(filepath.Join(dir, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(files) != 20 {
		t.Errorf("%d files in the example, want 20", len(files))
	}
	// The record sets of a zone are missing together, whatever their types;
	// so are a resolver's inbound endpoints, which the spokes' DNS servers
	// declare (an address in the subnet delegated to the resolver).
	// Nothing in an ARM export references a connection by ID, and the
	// example has no forwarding ruleset to name its outbound endpoint:
	// leaving those files out goes unseen.
	listedAs := map[string]string{"privateDnsZones-recordSets.json": topology.TypeRecordSets}
	unseen := map[string]bool{"connections.json": true, "dnsResolvers-outboundEndpoints.json": true}
	for name := range files {
		t.Run(name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for n, data := range files {
				if n != name {
					fsys[n] = &fstest.MapFile{Data: data}
				}
			}
			res, err := azure.LoadFS(fsys, azure.Options{})
			if name == "virtualNetworks.json" {
				if err == nil || !strings.HasPrefix(err.Error(), "the snapshot holds no virtual network") {
					t.Errorf("error = %v, want the no-VNet error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if unseen[name] {
				if m := res.Snapshot.Missing(); len(m) != 0 {
					t.Errorf("Missing() = %+v", m)
				}
				return
			}
			types := typesIn(t, files[name])
			if typ, ok := listedAs[name]; ok {
				types = []string{typ}
			}
			var named []string
			for _, m := range res.Snapshot.Missing() {
				if slices.ContainsFunc(types, func(typ string) bool { return strings.EqualFold(typ, m.Type) }) {
					named = append(named, m.ID)
				}
			}
			if len(named) == 0 {
				t.Errorf("Missing() = %+v\nnames nothing of type %q", res.Snapshot.Missing(), types)
			}
		})
	}
}

// typesIn returns the resource types of a snapshot file.
func typesIn(t *testing.T, data []byte) []string {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	list, _ := v.([]any)
	if m, ok := v.(map[string]any); ok {
		list, _ = m["value"].([]any)
		if d, ok := m["data"].([]any); ok {
			list = d
		}
	}
	var out []string
	for _, r := range list {
		if m, ok := r.(map[string]any); ok {
			out = append(out, str(m["type"]))
		}
	}
	return out
}

// TestLoadIncompleteExport loads the shared scenario of an incomplete export
// (the hub in a subscription that was not exported, zones whose record sets
// were not): strict loading succeeds and lists what is missing.
func TestLoadIncompleteExport(t *testing.T) {
	path := shared(t, "scenarios-next", "export-incomplete", "snapshot.json")
	res, err := azure.Load([]string{path}, azure.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range res.Snapshot.Missing() {
		got = append(got, topology.ShortName(m.ID)+" "+m.Type)
	}
	for _, want := range []string{
		"hub " + topology.TypeVNet,
		"privatelink.api.azureml.ms/recordSets " + topology.TypeRecordSets,
	} {
		if !slices.ContainsFunc(got, func(s string) bool { return strings.HasSuffix(s, want) }) {
			t.Errorf("Missing() = %q, want %q among them", got, want)
		}
	}
	// The spoke that peers with the missing hub is kept, peering and all.
	for p := range res.Snapshot.Peerings() {
		if m, ok := res.Snapshot.MissingByID(p.RemoteVNet); ok && !slices.ContainsFunc(m.ReferencedBy, func(r topology.Ref) bool { return topology.SameID(r.ID, p.ID) && r.Field == "RemoteVNet" }) {
			t.Errorf("peering %s is not among the referrers of %s: %v", p.ID, p.RemoteVNet, m.ReferencedBy)
		}
	}
}
