package collect_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/collect"
	"github.com/vnetpath/vnetpath/internal/fakeazure"
)

// A small hub-and-spoke estate with a resource of every type, in two
// subscriptions. The spoke VNet also peers with vnet-x in a third
// subscription that the credential cannot read.
const (
	subHub    = "aaaaaaaa-0000-4000-8000-00000000000a"
	subSpoke  = "bbbbbbbb-0000-4000-8000-00000000000b"
	subDenied = "dddddddd-0000-4000-8000-00000000000d"

	hub    = "/subscriptions/" + subHub + "/resourceGroups/rg-hub/providers/"
	spoke  = "/subscriptions/" + subSpoke + "/resourceGroups/rg-spoke/providers/"
	other  = "/subscriptions/" + subSpoke + "/resourceGroups/rg-other/providers/"
	denied = "/subscriptions/" + subDenied + "/resourceGroups/rg-x/providers/"

	vnetHub   = hub + "Microsoft.Network/virtualNetworks/vnet-hub"
	vnetSpoke = spoke + "Microsoft.Network/virtualNetworks/vnet-spoke"
	vnetOther = other + "Microsoft.Network/virtualNetworks/vnet-other"
	vnetX     = denied + "Microsoft.Network/virtualNetworks/vnet-x"
	fwHub     = hub + "Microsoft.Network/azureFirewalls/fw-hub"
	fwpHub    = hub + "Microsoft.Network/firewallPolicies/fwp-hub"
	ipgSpokes = hub + "Microsoft.Network/ipGroups/ipg-spokes"
	vgwHub    = hub + "Microsoft.Network/virtualNetworkGateways/vgw-hub"
	lgw       = hub + "Microsoft.Network/localNetworkGateways/lgw-onprem"
	resolver  = hub + "Microsoft.Network/dnsResolvers/dnspr-hub"
	ruleset   = hub + "Microsoft.Network/dnsForwardingRulesets/rs-hub"
	zone      = hub + "Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms"
	asgWeb    = spoke + "Microsoft.Network/applicationSecurityGroups/asg-web"
	workspace = spoke + "Microsoft.MachineLearningServices/workspaces/mlw-spoke"
	pfxHub    = hub + "Microsoft.Network/publicIPPrefixes/pfx-hub"
	vwanHub   = hub + "Microsoft.Network/virtualWans/vwan-hub"
	nmHub     = hub + "Microsoft.Network/networkManagers/nm-hub"
	sacHub    = nmHub + "/securityAdminConfigurations/sac-hub"
	rcDeny    = sacHub + "/ruleCollections/rc-deny"
	lbApp     = spoke + "Microsoft.Network/loadBalancers/lb-app"
	vhubSpoke = spoke + "Microsoft.Network/virtualHubs/vhub-spoke"
	nicVM     = spoke + "Microsoft.Network/networkInterfaces/nic-vm"
)

func peering(from, name, remote string) string {
	return `{"id": "` + from + `/virtualNetworkPeerings/` + name + `", "name": "` + name + `", "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
		"properties": {"remoteVirtualNetwork": {"id": "` + remote + `"}, "peeringState": "Connected", "peeringSyncLevel": "FullyInSync",
		"allowVirtualNetworkAccess": true, "allowForwardedTraffic": true, "remoteAddressSpace": {"addressPrefixes": ["10.0.0.0/8"]}}}`
}

func subnet(vnet, name, prefix, extra string) string {
	if extra != "" {
		extra = ", " + extra
	}
	return `{"id": "` + vnet + `/subnets/` + name + `", "name": "` + name + `", "type": "Microsoft.Network/virtualNetworks/subnets",
		"properties": {"addressPrefix": "` + prefix + `"` + extra + `}}`
}

func record(typ, name, props string) string {
	return `{"id": "` + zone + `/` + typ + `/` + name + `", "name": "` + name + `", "type": "Microsoft.Network/privateDnsZones/` + typ + `",
		"properties": {"ttl": 10` + props + `}}`
}

// fullEstate returns the estate and a transport serving it; subDenied
// answers 403 to everything.
func fullEstate() (*fakeazure.Estate, *fakeazure.Transport) {
	e := fakeazure.New()
	e.AddSubscription(subHub, "connectivity")
	e.AddSubscription(subSpoke, "workload")
	e.Add(
		`{"id": "`+vnetHub+`", "name": "vnet-hub", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
		"properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [
			`+subnet(vnetHub, "AzureFirewallSubnet", "10.0.1.0/26", `"ipConfigurations": [{"id": "`+fwHub+`/azureFirewallIpConfigurations/ipconfig"}]`)+`,
			`+subnet(vnetHub, "GatewaySubnet", "10.0.2.0/27", `"ipConfigurations": [{"id": "`+vgwHub+`/ipConfigurations/default"}]`)+`,
			`+subnet(vnetHub, "snet-in", "10.0.3.0/28", `"delegations": [{"name": "d", "properties": {"serviceName": "Microsoft.Network/dnsResolvers"}}]`)+`,
			`+subnet(vnetHub, "snet-out", "10.0.3.16/28", `"delegations": [{"name": "d", "properties": {"serviceName": "Microsoft.Network/dnsResolvers"}}]`)+`],
		"virtualNetworkPeerings": [`+peering(vnetHub, "hub-to-spoke", vnetSpoke)+`]}}`,
		`{"id": "`+fwHub+`", "name": "fw-hub", "type": "Microsoft.Network/azureFirewalls", "location": "westeurope",
		"properties": {"sku": {"name": "AZFW_VNet", "tier": "Standard"}, "firewallPolicy": {"id": "`+fwpHub+`"},
			"ipConfigurations": [{"id": "`+fwHub+`/azureFirewallIpConfigurations/ipconfig", "name": "ipconfig", "properties": {
				"privateIPAddress": "10.0.1.4", "subnet": {"id": "`+vnetHub+`/subnets/AzureFirewallSubnet"},
				"publicIPAddress": {"id": "`+hub+`Microsoft.Network/publicIPAddresses/pip-fw"}}}]}}`,
		`{"id": "`+hub+`Microsoft.Network/publicIPAddresses/pip-fw", "name": "pip-fw", "type": "Microsoft.Network/publicIPAddresses", "location": "westeurope",
		"sku": {"name": "Standard"}, "properties": {"ipAddress": "20.0.0.1", "publicIPAllocationMethod": "Static"}}`,
		`{"id": "`+fwpHub+`", "name": "fwp-hub", "type": "Microsoft.Network/firewallPolicies", "location": "westeurope",
		"properties": {"dnsSettings": {"enableProxy": true}, "ruleCollectionGroups": [{"id": "`+fwpHub+`/ruleCollectionGroups/rcg-net"}]}}`,
		`{"id": "`+fwpHub+`/ruleCollectionGroups/rcg-net", "name": "rcg-net", "type": "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
		"properties": {"priority": 100, "ruleCollections": [{"ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": "c1",
			"priority": 100, "action": {"type": "Allow"}, "rules": [{"ruleType": "NetworkRule", "name": "r1", "ipProtocols": ["TCP"],
			"sourceIpGroups": ["`+ipgSpokes+`"], "destinationAddresses": ["*"], "destinationPorts": ["443"]}]}]}}`,
		`{"id": "`+ipgSpokes+`", "name": "ipg-spokes", "type": "Microsoft.Network/ipGroups", "location": "westeurope",
		"properties": {"ipAddresses": ["10.1.0.0/16"]}}`,
		`{"id": "`+vgwHub+`", "name": "vgw-hub", "type": "Microsoft.Network/virtualNetworkGateways", "location": "westeurope",
		"properties": {"gatewayType": "Vpn", "vpnType": "RouteBased", "ipConfigurations": [{"id": "`+vgwHub+`/ipConfigurations/default", "name": "default",
			"properties": {"subnet": {"id": "`+vnetHub+`/subnets/GatewaySubnet"}}}]}}`,
		`{"id": "`+lgw+`", "name": "lgw-onprem", "type": "Microsoft.Network/localNetworkGateways", "location": "westeurope",
		"properties": {"gatewayIpAddress": "198.51.100.1", "localNetworkAddressSpace": {"addressPrefixes": ["192.168.0.0/16"]}}}`,
		`{"id": "`+hub+`Microsoft.Network/connections/cn-onprem", "name": "cn-onprem", "type": "Microsoft.Network/connections", "location": "westeurope",
		"properties": {"connectionType": "IPsec", "virtualNetworkGateway1": {"id": "`+vgwHub+`"}, "localNetworkGateway2": {"id": "`+lgw+`"}}}`,
		`{"id": "`+resolver+`", "name": "dnspr-hub", "type": "Microsoft.Network/dnsResolvers", "location": "westeurope",
		"properties": {"virtualNetwork": {"id": "`+vnetHub+`"}}}`,
		`{"id": "`+resolver+`/inboundEndpoints/in-hub", "name": "in-hub", "type": "Microsoft.Network/dnsResolvers/inboundEndpoints", "location": "westeurope",
		"properties": {"ipConfigurations": [{"privateIpAddress": "10.0.3.4", "privateIpAllocationMethod": "Dynamic", "subnet": {"id": "`+vnetHub+`/subnets/snet-in"}}]}}`,
		`{"id": "`+resolver+`/outboundEndpoints/out-hub", "name": "out-hub", "type": "Microsoft.Network/dnsResolvers/outboundEndpoints", "location": "westeurope",
		"properties": {"subnet": {"id": "`+vnetHub+`/subnets/snet-out"}}}`,
		`{"id": "`+ruleset+`", "name": "rs-hub", "type": "Microsoft.Network/dnsForwardingRulesets", "location": "westeurope",
		"properties": {"dnsResolverOutboundEndpoints": [{"id": "`+resolver+`/outboundEndpoints/out-hub"}]}}`,
		`{"id": "`+ruleset+`/forwardingRules/contoso-com", "name": "contoso-com", "type": "Microsoft.Network/dnsForwardingRulesets/forwardingRules",
		"properties": {"domainName": "contoso.com.", "targetDnsServers": [{"ipAddress": "192.168.0.10", "port": 53}], "forwardingRuleState": "Enabled"}}`,
		`{"id": "`+ruleset+`/forwardingRules/fabrikam-com", "name": "fabrikam-com", "type": "Microsoft.Network/dnsForwardingRulesets/forwardingRules",
		"properties": {"domainName": "fabrikam.com.", "targetDnsServers": [{"ipAddress": "192.168.0.11", "port": 53}], "forwardingRuleState": "Enabled"}}`,
		`{"id": "`+ruleset+`/virtualNetworkLinks/link-spoke", "name": "link-spoke", "type": "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks",
		"properties": {"virtualNetwork": {"id": "`+vnetSpoke+`"}}}`,
		`{"id": "`+zone+`", "name": "privatelink.api.azureml.ms", "type": "Microsoft.Network/privateDnsZones", "location": "global",
		"properties": {"numberOfRecordSets": 8}}`,
		record("A", "ws1", `, "aRecords": [{"ipv4Address": "10.1.2.4"}]`),
		record("A", "ws2", `, "aRecords": [{"ipv4Address": "10.1.2.5"}]`),
		record("A", "ws3", `, "aRecords": [{"ipv4Address": "10.1.2.6"}]`),
		record("AAAA", "v6", `, "aaaaRecords": [{"ipv6Address": "fd00::4"}]`),
		record("CNAME", "alias", `, "cnameRecord": {"cname": "ws1.privatelink.api.azureml.ms"}`),
		record("SOA", "@", `, "soaRecord": {"host": "azureprivatedns.net", "email": "azureprivatedns-host.microsoft.com", "serialNumber": 1}`),
		record("TXT", "note", `, "txtRecords": [{"value": ["hello"]}]`),
		record("PTR", "4", `, "ptrRecords": [{"ptrdname": "ws1.privatelink.api.azureml.ms."}]`),
		`{"id": "`+zone+`/virtualNetworkLinks/link-hub", "name": "link-hub", "type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "location": "global",
		"properties": {"virtualNetwork": {"id": "`+vnetHub+`"}, "registrationEnabled": false}}`,

		`{"id": "`+vnetSpoke+`", "name": "vnet-spoke", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
		"properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}, "dhcpOptions": {"dnsServers": ["10.0.3.4"]}, "subnets": [
			`+subnet(vnetSpoke, "snet-app", "10.1.1.0/24", `"networkSecurityGroup": {"id": "`+spoke+`Microsoft.Network/networkSecurityGroups/nsg-app"},
				"routeTable": {"id": "`+spoke+`Microsoft.Network/routeTables/rt-spoke"}, "natGateway": {"id": "`+spoke+`Microsoft.Network/natGateways/ng-spoke"}`)+`,
			`+subnet(vnetSpoke, "snet-pe", "10.1.2.0/24", "")+`],
		"virtualNetworkPeerings": [`+peering(vnetSpoke, "spoke-to-hub", vnetHub)+`, `+peering(vnetSpoke, "spoke-to-x", vnetX)+`]}}`,
		`{"id": "`+spoke+`Microsoft.Network/networkSecurityGroups/nsg-app", "name": "nsg-app", "type": "Microsoft.Network/networkSecurityGroups", "location": "westeurope",
		"properties": {"securityRules": [{"id": "`+spoke+`Microsoft.Network/networkSecurityGroups/nsg-app/securityRules/allow-web", "name": "allow-web",
			"properties": {"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "sourceAddressPrefix": "*", "sourcePortRange": "*",
			"destinationApplicationSecurityGroups": [{"id": "`+asgWeb+`"}], "destinationPortRange": "443"}}]}}`,
		`{"id": "`+asgWeb+`", "name": "asg-web", "type": "Microsoft.Network/applicationSecurityGroups", "location": "westeurope", "properties": {}}`,
		`{"id": "`+spoke+`Microsoft.Network/routeTables/rt-spoke", "name": "rt-spoke", "type": "Microsoft.Network/routeTables", "location": "westeurope",
		"properties": {"routes": [{"id": "`+spoke+`Microsoft.Network/routeTables/rt-spoke/routes/default", "name": "default",
			"properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.1.4"}}]}}`,
		`{"id": "`+spoke+`Microsoft.Network/natGateways/ng-spoke", "name": "ng-spoke", "type": "Microsoft.Network/natGateways", "location": "westeurope",
		"sku": {"name": "Standard"}, "properties": {"publicIpAddresses": [{"id": "`+spoke+`Microsoft.Network/publicIPAddresses/pip-ng"}]}}`,
		`{"id": "`+spoke+`Microsoft.Network/publicIPAddresses/pip-ng", "name": "pip-ng", "type": "Microsoft.Network/publicIPAddresses", "location": "westeurope",
		"sku": {"name": "Standard"}, "properties": {"ipAddress": "20.0.0.2", "publicIPAllocationMethod": "Static"}}`,
		`{"id": "`+nicVM+`", "name": "nic-vm", "type": "Microsoft.Network/networkInterfaces", "location": "westeurope",
		"properties": {"virtualMachine": {"id": "`+spoke+`Microsoft.Compute/virtualMachines/vm"}, "ipConfigurations": [{
			"id": "`+spoke+`Microsoft.Network/networkInterfaces/nic-vm/ipConfigurations/ipconfig1", "name": "ipconfig1",
			"properties": {"primary": true, "privateIPAddress": "10.1.1.4", "privateIPAllocationMethod": "Dynamic",
			"subnet": {"id": "`+vnetSpoke+`/subnets/snet-app"}, "applicationSecurityGroups": [{"id": "`+asgWeb+`"}],
			"loadBalancerBackendAddressPools": [{"id": "`+lbApp+`/backendAddressPools/pool-app"}]}}]}}`,
		`{"id": "`+spoke+`Microsoft.Network/privateEndpoints/pe-mlw", "name": "pe-mlw", "type": "Microsoft.Network/privateEndpoints", "location": "westeurope",
		"properties": {"subnet": {"id": "`+vnetSpoke+`/subnets/snet-pe"}, "privateLinkServiceConnections": [{"name": "c",
			"properties": {"privateLinkServiceId": "`+workspace+`", "groupIds": ["amlworkspace"], "privateLinkServiceConnectionState": {"status": "Approved"}}}],
			"customDnsConfigs": [{"fqdn": "0f4c1e44-8cde-4c4a-9a37-2b0f5d7e0a11.workspace.westeurope.api.azureml.ms", "ipAddresses": ["10.1.2.4"]}]}}`,
		`{"id": "`+workspace+`", "name": "mlw-spoke", "type": "Microsoft.MachineLearningServices/workspaces", "location": "westeurope",
		"properties": {"workspaceId": "0f4c1e44-8cde-4c4a-9a37-2b0f5d7e0a11", "publicNetworkAccess": "Disabled"}}`,
		// The types added with load balancers, Virtual WAN and Virtual
		// Network Manager; the spoke's load balancer and hub reference the
		// hub subscription's public IP prefix and Virtual WAN.
		`{"id": "`+lbApp+`", "name": "lb-app", "type": "Microsoft.Network/loadBalancers", "location": "westeurope", "sku": {"name": "Standard"},
		"properties": {"frontendIPConfigurations": [
			{"id": "`+lbApp+`/frontendIPConfigurations/fe-app", "name": "fe-app", "properties": {"privateIPAddress": "10.1.1.10",
				"privateIPAllocationMethod": "Static", "subnet": {"id": "`+vnetSpoke+`/subnets/snet-app"}}},
			{"id": "`+lbApp+`/frontendIPConfigurations/fe-out", "name": "fe-out", "properties": {"publicIPPrefix": {"id": "`+pfxHub+`"}}}],
			"backendAddressPools": [{"id": "`+lbApp+`/backendAddressPools/pool-app", "name": "pool-app",
				"properties": {"backendIPConfigurations": [{"id": "`+nicVM+`/ipConfigurations/ipconfig1"}]}}],
			"loadBalancingRules": [{"id": "`+lbApp+`/loadBalancingRules/https", "name": "https", "properties": {
				"frontendIPConfiguration": {"id": "`+lbApp+`/frontendIPConfigurations/fe-app"}, "backendAddressPool": {"id": "`+lbApp+`/backendAddressPools/pool-app"},
				"protocol": "Tcp", "frontendPort": 443, "backendPort": 443}}]}}`,
		`{"id": "`+vhubSpoke+`", "name": "vhub-spoke", "type": "Microsoft.Network/virtualHubs", "location": "westeurope",
		"properties": {"addressPrefix": "10.100.0.0/23", "virtualWan": {"id": "`+vwanHub+`"}}}`,
		`{"id": "`+pfxHub+`", "name": "pfx-hub", "type": "Microsoft.Network/publicIPPrefixes", "location": "westeurope", "sku": {"name": "Standard"},
		"properties": {"prefixLength": 28, "ipPrefix": "20.1.0.0/28", "publicIPAddressVersion": "IPv4"}}`,
		`{"id": "`+vwanHub+`", "name": "vwan-hub", "type": "Microsoft.Network/virtualWans", "location": "westeurope", "properties": {"type": "Standard"}}`,
		`{"id": "`+nmHub+`", "name": "nm-hub", "type": "Microsoft.Network/networkManagers", "location": "westeurope",
		"properties": {"networkManagerScopes": {"subscriptions": ["/subscriptions/`+subSpoke+`"]}, "networkManagerScopeAccesses": ["SecurityAdmin"]}}`,
		`{"id": "`+sacHub+`", "name": "sac-hub", "type": "Microsoft.Network/networkManagers/securityAdminConfigurations", "properties": {}}`,
		`{"id": "`+rcDeny+`", "name": "rc-deny", "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections",
		"properties": {"appliesToGroups": [{"networkGroupId": "`+nmHub+`/networkGroups/ng-spokes"}]}}`,
		`{"id": "`+vnetOther+`", "name": "vnet-other", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
		"properties": {"addressSpace": {"addressPrefixes": ["10.9.0.0/16"]}}}`,
	)
	tr := fakeazure.NewTransport(e)
	tr.Fault = denySubscription(subDenied, nil)
	return e, tr
}

// denySubscription answers 403 to every request in sub, and passes the
// others to next (or to the fake when next is nil).
func denySubscription(sub string, next func(*http.Request) (*http.Response, error)) func(*http.Request) (*http.Response, error) {
	return func(req *http.Request) (*http.Response, error) {
		if strings.Contains(strings.ToLower(req.URL.Path), "/subscriptions/"+sub) {
			return fakeazure.ARMError(req, http.StatusForbidden, "AuthorizationFailed",
				"The client does not have authorization to perform action 'Microsoft.Network/virtualNetworks/read' over scope '/subscriptions/"+sub+"'."), nil
		}
		if next != nil {
			return next(req)
		}
		return nil, nil
	}
}

// runCollect runs collect.Run into a fresh directory with the transport.
func runCollect(t *testing.T, tr *fakeazure.Transport, opts collect.Options) (*collect.Manifest, string, error) {
	t.Helper()
	if opts.Out == "" {
		opts.Out = t.TempDir()
	}
	opts.Credential = fakeazure.Credential{}
	opts.ClientOptions = tr.Options()
	ctx := context.Background()
	m, err := collect.Run(ctx, opts)
	return m, opts.Out, err
}

// readList reads a {"value": [...]} file Run wrote and returns the IDs.
func readList(t *testing.T, dir, file string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Value []struct {
			ID string `json:"id"`
		} `json:"value"`
	}
	if err := json.Unmarshal(b, &list); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var ids []string
	for _, v := range list.Value {
		ids = append(ids, v.ID)
	}
	return ids
}
