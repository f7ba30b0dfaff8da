package azure_test

import (
	"net/netip"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/topology"
)

const (
	rg = "/subscriptions/s/resourceGroups/rg/providers/"
	S  = rg + "Microsoft.Network/"
)

// baseResources is a small estate the per-type cases build on, so that
// every reference resolves and loading is strict.
var baseResources = []string{
	`{"id": "` + S + `virtualNetworks/hub", "type": "Microsoft.Network/virtualNetworks", "properties": {
		"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
		"subnets": [
			{"name": "a", "properties": {"addressPrefix": "10.0.1.0/24"}},
			{"name": "GatewaySubnet", "properties": {"addressPrefix": "10.0.2.0/27"}},
			{"name": "AzureFirewallSubnet", "properties": {"addressPrefix": "10.0.3.0/26"}},
			{"name": "AzureFirewallManagementSubnet", "properties": {"addressPrefix": "10.0.3.64/26"}},
			{"name": "dns-in", "properties": {"addressPrefix": "10.0.4.0/28"}},
			{"name": "dns-out", "properties": {"addressPrefix": "10.0.4.16/28"}},
			{"name": "pe", "properties": {"addressPrefix": "10.0.5.0/24"}}]}}`,
	`{"id": "` + S + `virtualNetworks/spoke", "type": "Microsoft.Network/virtualNetworks", "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}}}`,
	`{"id": "` + S + `routeTables/rt", "type": "Microsoft.Network/routeTables"}`,
	`{"id": "` + S + `networkSecurityGroups/nsg", "type": "Microsoft.Network/networkSecurityGroups"}`,
	`{"id": "` + S + `natGateways/ng", "type": "Microsoft.Network/natGateways"}`,
	`{"id": "` + S + `publicIPAddresses/pip", "type": "Microsoft.Network/publicIPAddresses", "properties": {"ipAddress": "20.1.2.3"}}`,
	`{"id": "` + S + `applicationSecurityGroups/web", "type": "Microsoft.Network/applicationSecurityGroups", "location": "westeurope"}`,
	`{"id": "` + S + `firewallPolicies/base", "type": "Microsoft.Network/firewallPolicies"}`,
	`{"id": "` + S + `ipGroups/onprem", "type": "Microsoft.Network/ipGroups", "properties": {"ipAddresses": ["192.168.0.0/16", "172.16.0.1-172.16.0.9"]}}`,
}

func snapshotJSON(extra ...string) string {
	return "[" + strings.Join(slices.Concat(baseResources, extra), ",\n") + "]"
}

func mustLoad(t *testing.T, data string) *azure.Result {
	t.Helper()
	res, err := azure.LoadBytes("snap.json", []byte(data), azure.Options{})
	if err != nil {
		t.Fatalf("LoadBytes: %v", err)
	}
	return res
}

func pfxs(s ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, x := range s {
		out = append(out, cidr.MustParsePrefix(x))
	}
	return out
}

func addrs(s ...string) []netip.Addr {
	var out []netip.Addr
	for _, x := range s {
		out = append(out, netip.MustParseAddr(x))
	}
	return out
}

func equal(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

func missingIDs(s *topology.Snapshot) []string {
	var out []string
	for _, m := range s.Missing() {
		out = append(out, m.ID)
	}
	return out
}

func TestConvertResourceTypes(t *testing.T) {
	tests := []struct {
		name    string
		extra   []string
		missing []string // the IDs Missing lists
		check   func(t *testing.T, s *topology.Snapshot)
	}{
		{
			name: "virtual network with embedded subnets and peerings",
			extra: []string{`{"id": "` + S + `virtualNetworks/v", "name": "v", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
				"properties": {"addressSpace": {"addressPrefixes": ["10.2.0.0/16", "fd00:2::/48"]}, "dhcpOptions": {"dnsServers": ["10.0.4.4", "::ffff:10.0.4.5"]},
				"subnets": [{"name": "s", "properties": {"addressPrefixes": ["10.2.1.0/24", "fd00:2:0:1::/64"]}}],
				"virtualNetworkPeerings": [{"name": "to-hub", "properties": {"remoteVirtualNetwork": {"id": "` + S + `virtualNetworks/hub"}, "peeringState": "Initiated"}}]}}`},
			check: func(t *testing.T, s *topology.Snapshot) {
				v, ok := s.VNet(S + "virtualNetworks/v")
				if !ok {
					t.Fatal("VNet v missing")
				}
				equal(t, "Location", v.Location, "westeurope")
				equal(t, "AddressSpace", v.AddressSpace, pfxs("10.2.0.0/16", "fd00:2::/48"))
				equal(t, "DNSServers", v.DNSServers, addrs("10.0.4.4", "10.0.4.5"))
				equal(t, "Subnets", v.Subnets, []string{S + "virtualNetworks/v/subnets/s"})
				sn, _ := s.Subnet(S + "virtualNetworks/v/subnets/s")
				equal(t, "subnet Prefixes", sn.Prefixes, pfxs("10.2.1.0/24", "fd00:2:0:1::/64"))
				equal(t, "subnet Path", sn.Path, "$[9].properties.subnets[0]")
				p, _ := s.Peering(S + "virtualNetworks/v/virtualNetworkPeerings/to-hub")
				equal(t, "peering", [4]any{p.RemoteVNet, p.State, p.AllowVirtualNetworkAccess, p.PeerCompleteVNets}, [4]any{S + "virtualNetworks/hub", topology.PeeringInitiated, true, true})
			},
		},
		{
			name: "subnet listed on its own",
			extra: []string{`{"id": "` + S + `virtualNetworks/hub/subnets/b", "name": "b", "type": "Microsoft.Network/virtualNetworks/subnets", "properties": {
				"addressPrefix": "10.0.6.0/24", "addressPrefixes": ["10.0.6.0/24", "10.0.7.0/24"],
				"routeTable": {"id": "` + S + `routeTables/rt"}, "networkSecurityGroup": {"id": "` + S + `networkSecurityGroups/nsg"}, "natGateway": {"id": "` + S + `natGateways/ng"},
				"privateEndpointNetworkPolicies": "networksecuritygroupenabled", "defaultOutboundAccess": false,
				"delegations": [{"name": "d", "properties": {"serviceName": "Microsoft.Network/dnsResolvers"}}],
				"serviceEndpoints": [{"service": "Microsoft.Storage", "locations": ["westeurope", "northeurope"]}],
				"ipConfigurations": [{"id": "` + S + `loadBalancers/lb/frontendIPConfigurations/fe"}, {"id": "` + S + `networkInterfaces/gone/ipConfigurations/c"}],
				"privateEndpoints": [{"id": "` + S + `privateEndpoints/gone"}]}}`},
			// The subnet lists a load balancer frontend, a NIC and a
			// private endpoint the snapshot lacks.
			missing: []string{S + "loadBalancers/lb", S + "networkInterfaces/gone", S + "privateEndpoints/gone"},
			check: func(t *testing.T, s *topology.Snapshot) {
				sn, ok := s.Subnet(S + "virtualNetworks/hub/subnets/b")
				if !ok {
					t.Fatal("subnet b missing")
				}
				equal(t, "Prefixes", sn.Prefixes, pfxs("10.0.6.0/24", "10.0.7.0/24"))
				equal(t, "refs", [3]string{sn.RouteTable, sn.NSG, sn.NATGateway}, [3]string{S + "routeTables/rt", S + "networkSecurityGroups/nsg", S + "natGateways/ng"})
				equal(t, "PrivateEndpointNetworkPolicies", sn.PrivateEndpointNetworkPolicies, "NetworkSecurityGroupEnabled")
				if sn.DefaultOutboundAccess == nil || *sn.DefaultOutboundAccess {
					t.Errorf("DefaultOutboundAccess = %v, want false", sn.DefaultOutboundAccess)
				}
				equal(t, "Delegations", sn.Delegations, []string{"Microsoft.Network/dnsResolvers"})
				equal(t, "ServiceEndpoints", sn.ServiceEndpoints, []topology.ServiceEndpoint{{Service: "Microsoft.Storage", Locations: []string{"westeurope", "northeurope"}}})
				if sn.IsWorkload() {
					t.Errorf("a subnet delegated to DNS resolvers is not a workload subnet")
				}
				equal(t, "back-references", [2][]string{sn.IPConfigurations, sn.PrivateEndpoints},
					[2][]string{{S + "loadBalancers/lb/frontendIPConfigurations/fe", S + "networkInterfaces/gone/ipConfigurations/c"}, {S + "privateEndpoints/gone"}})
			},
		},
		{
			name: "peering with every flag",
			extra: []string{`{"id": "` + S + `virtualNetworks/spoke/virtualNetworkPeerings/to-hub", "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "properties": {
				"remoteVirtualNetwork": {"id": "` + S + `virtualNetworks/hub"}, "allowVirtualNetworkAccess": false, "allowForwardedTraffic": true,
				"allowGatewayTransit": true, "useRemoteGateways": true, "peeringState": "Disconnected", "peeringSyncLevel": "RemoteNotInSync",
				"remoteAddressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "remoteVirtualNetworkAddressSpace": {"addressPrefixes": ["10.0.0.0/16", "10.9.0.0/16"]},
				"peerCompleteVnets": false, "localSubnetNames": ["a"], "remoteSubnetNames": ["pe"], "enableOnlyIPv6Peering": true}}`},
			check: func(t *testing.T, s *topology.Snapshot) {
				p, ok := s.Peering(S + "virtualNetworks/spoke/virtualNetworkPeerings/to-hub")
				if !ok {
					t.Fatal("peering missing")
				}
				equal(t, "peering", *p, topology.Peering{
					Meta: topology.Meta{ID: S + "virtualNetworks/spoke/virtualNetworkPeerings/to-hub", Name: "to-hub", File: "snap.json", Path: "$[9]"},
					VNet: S + "virtualNetworks/spoke", RemoteVNet: S + "virtualNetworks/hub",
					AllowForwardedTraffic: true, AllowGatewayTransit: true, UseRemoteGateways: true,
					State: "Disconnected", SyncLevel: "RemoteNotInSync",
					RemoteAddressSpace: pfxs("10.0.0.0/16"), RemoteVNetAddressSpace: pfxs("10.0.0.0/16", "10.9.0.0/16"),
					LocalSubnetNames: []string{"a"}, RemoteSubnetNames: []string{"pe"}, OnlyIPv6: true,
				})
			},
		},
		{
			name: "route table with routes, a service tag prefix among them",
			extra: []string{`{"id": "` + S + `routeTables/rt2", "type": "Microsoft.Network/routeTables", "location": "westeurope", "properties": {"disableBgpRoutePropagation": true, "routes": [
					{"name": "default", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.3.4"}},
					{"name": "storage", "properties": {"addressPrefix": "Storage.WestEurope", "nextHopType": "internet"}}]}}`,
				`{"id": "` + S + `routeTables/rt2/routes/drop", "type": "Microsoft.Network/routeTables/routes", "properties": {"addressPrefix": "10.1.0.0/16", "nextHopType": "None"}}`},
			check: func(t *testing.T, s *topology.Snapshot) {
				rt, ok := s.RouteTable(S + "routeTables/rt2")
				if !ok {
					t.Fatal("route table missing")
				}
				equal(t, "DisableBGPRoutePropagation", rt.DisableBGPRoutePropagation, true)
				if len(rt.Routes) != 3 {
					t.Fatalf("routes = %+v, want 3", rt.Routes)
				}
				r := rt.Routes[0] // sorted by ID: default, drop, storage
				equal(t, "default route", [4]any{r.Name, r.Prefix, r.NextHopType, r.NextHopIP}, [4]any{"default", cidr.MustParsePrefix("0.0.0.0/0"), topology.NextHopVirtualAppliance, netip.MustParseAddr("10.0.3.4")})
				equal(t, "embedded route Path", r.Path, "$[9].properties.routes[0]")
				equal(t, "drop route", [2]any{rt.Routes[1].Name, rt.Routes[1].NextHopType}, [2]any{"drop", topology.NextHopNone})
				tag := rt.Routes[2]
				equal(t, "tag route", [4]any{tag.AddressPrefix, tag.Tag, tag.Prefix.IsValid(), tag.NextHopType}, [4]any{"Storage.WestEurope", "Storage.WestEurope", false, topology.NextHopInternet})
			},
		},
		{
			name: "NSG with merged singular and plural fields, ASGs, and input default rules ignored",
			extra: []string{`{"id": "` + S + `networkSecurityGroups/n2", "type": "Microsoft.Network/networkSecurityGroups", "location": "westeurope", "properties": {
				"securityRules": [{"name": "web", "properties": {"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
					"sourceAddressPrefix": "VirtualNetwork", "sourceAddressPrefixes": ["10.9.0.0/16", "10.8.0.1-10.8.0.2"], "sourcePortRange": "*",
					"destinationPortRange": "443", "destinationPortRanges": ["8080-8081", "9000"],
					"destinationApplicationSecurityGroups": [{"id": "` + S + `applicationSecurityGroups/web"}]}}],
				"defaultSecurityRules": [{"name": "AllowVnetInBound", "properties": {"priority": 65000, "direction": "Inbound", "access": "Deny", "protocol": "*"}}]}}`},
			check: func(t *testing.T, s *topology.Snapshot) {
				n, ok := s.NSG(S + "networkSecurityGroups/n2")
				if !ok {
					t.Fatal("NSG missing")
				}
				if len(n.Rules) != 1 || len(n.DefaultRules) != 6 || n.DefaultRules[0].Access != "Allow" {
					t.Fatalf("rules = %d, default rules = %d (first %s): want 1 and the six Azure defaults", len(n.Rules), len(n.DefaultRules), n.DefaultRules[0].Access)
				}
				r := n.Rules[0]
				equal(t, "header", [4]any{r.Priority, r.Direction, r.Access, r.Protocol}, [4]any{100, topology.DirectionInbound, topology.AccessAllow, "Tcp"})
				var src []string
				for _, a := range r.Sources {
					src = append(src, a.Raw)
				}
				equal(t, "Sources", src, []string{"VirtualNetwork", "10.9.0.0/16", "10.8.0.1-10.8.0.2"})
				equal(t, "range prefixes", r.Sources[2].Prefixes, pfxs("10.8.0.1/32", "10.8.0.2/32"))
				equal(t, "tag", r.Sources[0].Tag, "VirtualNetwork")
				equal(t, "SourcePorts", r.SourcePorts, []cidr.PortRange{cidr.AllPorts})
				equal(t, "DestinationPorts", r.DestinationPorts, []cidr.PortRange{{Lo: 443, Hi: 443}, {Lo: 8080, Hi: 8081}, {Lo: 9000, Hi: 9000}})
				equal(t, "DestinationASGs", r.DestinationASGs, []string{S + "applicationSecurityGroups/web"})
				if s.Counts()[topology.TypeSecurityRule] != 1 {
					t.Errorf("security rules counted = %d, want 1 (input default rules are not counted)", s.Counts()[topology.TypeSecurityRule])
				}
			},
		},
		{
			name: "application security group",
			check: func(t *testing.T, s *topology.Snapshot) {
				a, ok := s.ASG(S + "applicationSecurityGroups/web")
				if !ok || a.Location != "westeurope" || a.Name != "web" {
					t.Errorf("ASG = %+v, %v", a, ok)
				}
			},
		},
		{
			name: "network interface of a private endpoint, and of a VM with ASG membership",
			extra: []string{
				`{"id": "` + S + `privateEndpoints/pe", "type": "Microsoft.Network/privateEndpoints", "properties": {"subnet": {"id": "` + S + `virtualNetworks/hub/subnets/pe"}}}`,
				`{"id": "` + S + `networkInterfaces/pe.nic", "type": "Microsoft.Network/networkInterfaces", "properties": {
					"privateEndpoint": {"id": "` + S + `privateEndpoints/pe"},
					"ipConfigurations": [{"name": "c0", "properties": {"privateIPAddress": "10.0.5.4", "subnet": {"id": "` + S + `virtualNetworks/hub/subnets/pe"}, "primary": true,
						"privateLinkConnectionProperties": {"groupId": "amlworkspace", "requiredMemberName": "default", "fqdns": ["w.workspace.westeurope.api.azureml.ms", "w.workspace.westeurope.cert.api.azureml.ms"]}}}]}}`,
				`{"id": "` + S + `networkInterfaces/vm", "type": "Microsoft.Network/networkInterfaces", "location": "westeurope", "properties": {
					"enableIPForwarding": true, "networkSecurityGroup": {"id": "` + S + `networkSecurityGroups/nsg"},
					"dnsSettings": {"dnsServers": ["AzureProvidedDNS"]}, "virtualMachine": {"id": "` + rg + `Microsoft.Compute/virtualMachines/vm"},
					"ipConfigurations": [{"id": "` + S + `networkInterfaces/vm/ipConfigurations/one", "name": "one", "properties": {"privateIPAddress": "10.0.1.4", "subnet": {"id": "` + S + `virtualNetworks/hub/subnets/a"},
						"publicIPAddress": {"id": "` + S + `publicIPAddresses/pip"}, "applicationSecurityGroups": [{"id": "` + S + `applicationSecurityGroups/web"}]}},
						{"name": "block", "properties": {"privateIPAddress": "10.0.1.16/28", "privateIPAddressPrefixLength": 28, "subnet": {"id": "` + S + `virtualNetworks/hub/subnets/a"}}}]}}`},
			check: func(t *testing.T, s *topology.Snapshot) {
				n, ok := s.NIC(S + "networkInterfaces/pe.nic")
				if !ok {
					t.Fatal("PE NIC missing")
				}
				equal(t, "PrivateEndpoint", n.PrivateEndpoint, S+"privateEndpoints/pe")
				c := n.IPConfigs[0]
				equal(t, "ipconfig", [5]any{c.ID, c.NIC, c.PrivateIP, c.Primary, c.PrivateLinkGroupID}, [5]any{S + "networkInterfaces/pe.nic/ipConfigurations/c0", S + "networkInterfaces/pe.nic", netip.MustParseAddr("10.0.5.4"), true, "amlworkspace"})
				equal(t, "PrivateLinkFQDNs", c.PrivateLinkFQDNs, []string{"w.workspace.westeurope.api.azureml.ms", "w.workspace.westeurope.cert.api.azureml.ms"})
				vm, _ := s.NIC(S + "networkInterfaces/vm")
				equal(t, "vm NIC", [4]any{vm.EnableIPForwarding, vm.NSG, vm.VirtualMachine, vm.DNSServers}, [4]any{true, S + "networkSecurityGroups/nsg", rg + "Microsoft.Compute/virtualMachines/vm", []string{"AzureProvidedDNS"}})
				equal(t, "PublicIP", vm.IPConfigs[0].PublicIP, S+"publicIPAddresses/pip")
				equal(t, "ASGs", vm.IPConfigs[0].ASGs, []string{S + "applicationSecurityGroups/web"})
				equal(t, "ASG members", s.ASGMembers(S+"applicationSecurityGroups/WEB"), addrs("10.0.1.4"))
				equal(t, "address block", [2]any{vm.IPConfigs[1].PrivateIP, vm.IPConfigs[1].PrivatePrefix}, [2]any{netip.MustParseAddr("10.0.1.16"), cidr.MustParsePrefix("10.0.1.16/28")})
				equal(t, "PublicIPOfConfig", s.PublicIPOfConfig(S+"networkInterfaces/vm/ipConfigurations/one"), S+"publicIPAddresses/pip")
			},
		},
		{
			name: "Azure Firewall with classic rules and DNS proxy from additionalProperties",
			extra: []string{`{"id": "` + S + `azureFirewalls/fw", "type": "Microsoft.Network/azureFirewalls", "location": "westeurope", "properties": {
				"sku": {"name": "AZFW_VNet", "tier": "Premium"}, "threatIntelMode": "Deny",
				"additionalProperties": {"Network.DNS.EnableProxy": "True", "Network.DNS.Servers": "10.0.4.4, 10.0.4.5", "Network.SNAT.PrivateRanges": "IANAPrivateRanges,100.64.0.0/10"},
				"ipConfigurations": [{"name": "c", "properties": {"privateIPAddress": "10.0.3.4", "subnet": {"id": "` + S + `virtualNetworks/hub/subnets/AzureFirewallSubnet"}, "publicIPAddress": {"id": "` + S + `publicIPAddresses/pip"}}}],
				"managementIpConfiguration": {"name": "m", "properties": {"subnet": {"id": "` + S + `virtualNetworks/hub/subnets/AzureFirewallManagementSubnet"}}},
				"networkRuleCollections": [{"name": "net", "properties": {"priority": 200, "action": {"type": "Allow"}, "rules": [
					{"name": "entra", "protocols": ["TCP", "UDP"], "sourceAddresses": ["10.0.0.0/8"], "destinationAddresses": ["AzureActiveDirectory"], "destinationPorts": ["443", "80-81"],
					 "destinationFqdns": ["login.microsoftonline.com"], "sourceIpGroups": ["` + S + `ipGroups/onprem"]}]}}],
				"applicationRuleCollections": [{"name": "app", "properties": {"priority": 300, "action": {"type": "Deny"}, "rules": [
					{"name": "web", "protocols": [{"protocolType": "Https", "port": 443}, {"protocolType": "Http", "port": 80}], "sourceAddresses": ["*"], "targetFqdns": ["*.contoso.com"], "fqdnTags": ["WindowsUpdate"]}]}}],
				"natRuleCollections": [{"name": "dnat", "properties": {"priority": 100, "action": {"type": "Dnat"}, "rules": [
					{"name": "rdp", "protocols": ["TCP"], "sourceAddresses": ["*"], "destinationAddresses": ["20.1.2.3"], "destinationPorts": ["3389"], "translatedAddress": "10.0.1.4", "translatedPort": "3389"}]}}]}}`},
			check: func(t *testing.T, s *topology.Snapshot) {
				f, ok := s.Firewall(S + "azureFirewalls/fw")
				if !ok {
					t.Fatal("firewall missing")
				}
				equal(t, "header", [5]any{f.SKU, f.Tier, f.ThreatIntelMode, f.DNSProxy, f.Policy}, [5]any{"AZFW_VNet", "Premium", "Deny", true, ""})
				equal(t, "DNSServers", f.DNSServers, []string{"10.0.4.4", "10.0.4.5"})
				equal(t, "SNATPrivateRanges", f.SNATPrivateRanges, []string{"IANAPrivateRanges", "100.64.0.0/10"})
				equal(t, "IPConfigs", f.IPConfigs, []topology.FirewallIPConfig{{Name: "c", PrivateIP: netip.MustParseAddr("10.0.3.4"), Subnet: S + "virtualNetworks/hub/subnets/AzureFirewallSubnet", PublicIP: S + "publicIPAddresses/pip"}})
				if f.ManagementIPConfig == nil || f.ManagementIPConfig.Subnet != S+"virtualNetworks/hub/subnets/AzureFirewallManagementSubnet" {
					t.Errorf("ManagementIPConfig = %+v", f.ManagementIPConfig)
				}
				if len(f.RuleCollections) != 3 {
					t.Fatalf("rule collections = %+v", f.RuleCollections)
				}
				n := f.RuleCollections[0]
				equal(t, "network collection", [4]any{n.Name, n.Kind, n.Priority, n.Action}, [4]any{"net", topology.RuleNetwork, 200, "Allow"})
				r := n.Rules[0]
				equal(t, "network rule", [5]any{r.Kind, r.Protocols, r.Destinations[0].Tag, r.DestinationFQDNs, r.SourceIPGroups},
					[5]any{topology.RuleNetwork, []string{"TCP", "UDP"}, "AzureActiveDirectory", []string{"login.microsoftonline.com"}, []string{S + "ipGroups/onprem"}})
				equal(t, "network ports", r.DestinationPorts, []cidr.PortRange{{Lo: 443, Hi: 443}, {Lo: 80, Hi: 81}})
				a := f.RuleCollections[1]
				equal(t, "application collection", [3]any{a.Kind, a.Action, a.Rules[0].AppProtocols}, [3]any{topology.RuleApplication, "Deny", []topology.AppProtocol{{Type: "Https", Port: 443}, {Type: "Http", Port: 80}}})
				equal(t, "application targets", [2]any{a.Rules[0].TargetFQDNs, a.Rules[0].FQDNTags}, [2]any{[]string{"*.contoso.com"}, []string{"WindowsUpdate"}})
				d := f.RuleCollections[2]
				equal(t, "NAT collection", [4]any{d.Kind, d.Action, d.Rules[0].TranslatedAddress, d.Rules[0].TranslatedPort}, [4]any{topology.RuleNAT, "Dnat", "10.0.1.4", "3389"})
				equal(t, "FirewallInSubnet", s.FirewallInSubnet(S+"virtualNetworks/hub/subnets/AzureFirewallSubnet"), S+"azureFirewalls/fw")
			},
		},
		{
			name: "firewall policy and rule collection group",
			extra: []string{
				`{"id": "` + S + `firewallPolicies/child/ruleCollectionGroups/g", "type": "Microsoft.Network/firewallPolicies/ruleCollectionGroups", "properties": {"priority": 200, "ruleCollections": [
					{"ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": "net", "priority": 210, "action": {"type": "Deny"}, "rules": [
						{"ruleType": "NetworkRule", "name": "n", "ipProtocols": ["TCP"], "sourceAddresses": ["10.0.0.0/8"], "destinationAddresses": ["AzureResourceManager"], "destinationPorts": ["443"],
						 "destinationFqdns": [], "destinationIpGroups": ["` + S + `ipGroups/onprem"]}]},
					{"name": "app", "priority": 220, "action": {"type": "Allow"}, "rules": [
						{"name": "a", "protocols": [{"protocolType": "Https", "port": 443}], "sourceAddresses": ["10.0.0.0/8"], "targetFqdns": ["login.microsoftonline.com"], "webCategories": ["Finance"], "ruleType": "ApplicationRule"}],
					 "ruleCollectionType": "FirewallPolicyFilterRuleCollection"},
					{"ruleCollectionType": "FirewallPolicyNatRuleCollection", "name": "dnat", "priority": 100, "action": {"type": "DNAT"}, "rules": [
						{"ruleType": "NatRule", "name": "ssh", "ipProtocols": ["TCP"], "sourceAddresses": ["*"], "destinationAddresses": ["20.1.2.3"], "destinationPorts": ["22"], "translatedAddress": "10.0.1.4", "translatedPort": "22"}]}]}}`,
				`{"id": "` + S + `firewallPolicies/child", "type": "Microsoft.Network/firewallPolicies", "location": "westeurope", "properties": {
					"basePolicy": {"id": "` + S + `firewallPolicies/base"}, "threatIntelMode": "Alert",
					"dnsSettings": {"enableProxy": true, "servers": ["10.0.4.4"]}, "snat": {"privateRanges": ["10.0.0.0/8"]},
					"ruleCollectionGroups": [{"id": "` + S + `firewallPolicies/child/ruleCollectionGroups/g"}]}}`},
			check: func(t *testing.T, s *topology.Snapshot) {
				p, ok := s.FirewallPolicy(S + "firewallPolicies/child")
				if !ok {
					t.Fatal("policy missing")
				}
				equal(t, "policy", [6]any{p.BasePolicy, p.ThreatIntelMode, p.DNSProxy, p.DNSServers, p.SNATPrivateRanges, p.RuleCollectionGroups},
					[6]any{S + "firewallPolicies/base", "Alert", true, []string{"10.0.4.4"}, []string{"10.0.0.0/8"}, []string{S + "firewallPolicies/child/ruleCollectionGroups/g"}})
				if len(p.Groups) != 1 || len(p.Groups[0].Collections) != 3 {
					t.Fatalf("groups = %+v", p.Groups)
				}
				g := p.Groups[0]
				equal(t, "group priority", g.Priority, 200)
				net, app, nat := g.Collections[0], g.Collections[1], g.Collections[2]
				equal(t, "network collection", [4]any{net.Kind, net.Action, net.Rules[0].Protocols, net.Rules[0].DestinationIPGroups}, [4]any{topology.RuleNetwork, "Deny", []string{"TCP"}, []string{S + "ipGroups/onprem"}})
				equal(t, "application collection (discriminator after the rules)", [4]any{app.Kind, app.Action, app.Rules[0].TargetFQDNs, app.Rules[0].WebCategories},
					[4]any{topology.RuleApplication, "Allow", []string{"login.microsoftonline.com"}, []string{"Finance"}})
				equal(t, "NAT collection", [4]any{nat.Kind, nat.Action, nat.Rules[0].Kind, nat.Rules[0].TranslatedAddress}, [4]any{topology.RuleNAT, "Dnat", topology.RuleNAT, "10.0.1.4"})
			},
		},
		{
			name: "IP group",
			check: func(t *testing.T, s *topology.Snapshot) {
				g, ok := s.IPGroup(S + "ipGroups/onprem")
				if !ok || len(g.Addresses) != 2 || g.Addresses[0].Raw != "192.168.0.0/16" || len(g.Addresses[1].Prefixes) != 4 {
					t.Errorf("IP group = %+v", g)
				}
			},
		},
		{
			name: "VPN gateway, local network gateway and connection",
			extra: []string{
				`{"id": "` + S + `virtualNetworkGateways/gw", "type": "Microsoft.Network/virtualNetworkGateways", "location": "westeurope", "properties": {
					"gatewayType": "Vpn", "vpnType": "RouteBased", "sku": {"name": "VpnGw2AZ", "tier": "VpnGw2AZ"}, "activeActive": true, "enableBgp": true,
					"ipConfigurations": [{"name": "c1", "properties": {"privateIPAddress": "10.0.2.4", "subnet": {"id": "` + S + `virtualNetworks/hub/subnets/GatewaySubnet"}, "publicIPAddress": {"id": "` + S + `publicIPAddresses/pip"}}}],
					"bgpSettings": {"asn": 65515, "bgpPeeringAddress": "10.0.2.4,10.0.2.5", "bgpPeeringAddresses": [{"defaultBgpIpAddresses": ["10.0.2.4"], "customBgpIpAddresses": ["169.254.21.1"]}]},
					"customRoutes": {"addressPrefixes": ["10.200.0.0/16"]}}}`,
				`{"id": "` + S + `localNetworkGateways/onprem", "type": "Microsoft.Network/localNetworkGateways", "properties": {
					"gatewayIpAddress": "203.0.113.10", "fqdn": "vpn.contoso.com", "localNetworkAddressSpace": {"addressPrefixes": ["192.168.0.0/16"]},
					"bgpSettings": {"asn": 65010, "bgpPeeringAddress": "192.168.255.1"}}}`,
				`{"id": "` + S + `connections/cn", "type": "Microsoft.Network/connections", "properties": {
					"connectionType": "IPsec", "connectionStatus": "Connected", "enableBgp": true,
					"virtualNetworkGateway1": {"id": "` + S + `virtualNetworkGateways/gw"}, "localNetworkGateway2": {"id": "` + S + `localNetworkGateways/onprem"}}}`},
			check: func(t *testing.T, s *topology.Snapshot) {
				g, ok := s.Gateway(S + "virtualNetworkGateways/gw")
				if !ok {
					t.Fatal("gateway missing")
				}
				equal(t, "gateway", [7]any{g.GatewayType, g.VPNType, g.SKU, g.ActiveActive, g.EnableBGP, g.VNet, g.CustomRoutes},
					[7]any{"Vpn", "RouteBased", "VpnGw2AZ", true, true, S + "virtualNetworks/hub", pfxs("10.200.0.0/16")})
				equal(t, "BGP", *g.BGP, topology.BGPSettings{ASN: 65515, PeeringAddresses: addrs("10.0.2.4", "10.0.2.5", "169.254.21.1")})
				l, _ := s.LocalGateway(S + "localNetworkGateways/onprem")
				equal(t, "local gateway", [4]any{l.GatewayIP, l.FQDN, l.AddressPrefixes, l.BGP.ASN}, [4]any{netip.MustParseAddr("203.0.113.10"), "vpn.contoso.com", pfxs("192.168.0.0/16"), int64(65010)})
				c, _ := s.Connection(S + "connections/cn")
				equal(t, "connection", [5]any{c.ConnectionType, c.Status, c.EnableBGP, c.Gateway1, c.LocalGateway2}, [5]any{"IPsec", "Connected", true, S + "virtualNetworkGateways/gw", S + "localNetworkGateways/onprem"})
				equal(t, "ConnectionsOf", s.ConnectionsOf(S+"virtualNetworkGateways/gw"), []string{S + "connections/cn"})
			},
		},
		{
			name: "NAT gateway and public IP",
			extra: []string{
				`{"id": "` + S + `natGateways/ng2", "type": "Microsoft.Network/natGateways", "location": "westeurope", "properties": {
					"publicIpAddresses": [{"id": "` + S + `publicIPAddresses/pip2"}], "publicIpPrefixes": [{"id": "` + S + `publicIPPrefixes/pp"}]}}`,
				`{"id": "` + S + `publicIPAddresses/pip2", "type": "Microsoft.Network/publicIPAddresses", "location": "westeurope", "sku": {"name": "Standard"}, "properties": {
					"ipAddress": "51.105.10.30", "publicIPAddressVersion": "IPv4", "natGateway": {"id": "` + S + `natGateways/ng2"}}}`,
				`{"id": "` + S + `publicIPPrefixes/pp", "type": "Microsoft.Network/publicIPPrefixes", "location": "westeurope", "properties": {
					"ipPrefix": "51.105.11.0/30", "prefixLength": 30, "publicIPAddressVersion": "IPv4", "natGateway": {"id": "` + S + `natGateways/ng2"}}}`},
			check: func(t *testing.T, s *topology.Snapshot) {
				n, _ := s.NATGateway(S + "natGateways/ng2")
				equal(t, "NAT gateway", [2]any{n.PublicIPs, n.PublicIPPrefixes}, [2]any{[]string{S + "publicIPAddresses/pip2"}, []string{S + "publicIPPrefixes/pp"}})
				pp, _ := s.PublicIPPrefix(S + "publicIPPrefixes/pp")
				equal(t, "public IP prefix", [3]any{pp.Prefix, pp.Version, pp.Location}, [3]any{cidr.MustParsePrefix("51.105.11.0/30"), "IPv4", "westeurope"})
				p, _ := s.PublicIP(S + "publicIPAddresses/pip2")
				equal(t, "public IP", [3]any{p.Address, p.Version, p.SKU}, [3]any{netip.MustParseAddr("51.105.10.30"), "IPv4", "Standard"})
			},
		},
		{
			name: "private endpoint with both kinds of connection",
			extra: []string{`{"id": "` + S + `privateEndpoints/pe", "type": "Microsoft.Network/privateEndpoints", "location": "westeurope", "properties": {
				"subnet": {"id": "` + S + `virtualNetworks/hub/subnets/pe"}, "networkInterfaces": [{"id": "` + S + `networkInterfaces/pe.nic"}],
				"privateLinkServiceConnections": [{"name": "auto", "properties": {"privateLinkServiceId": "` + rg + `Microsoft.MachineLearningServices/workspaces/w", "groupIds": ["amlworkspace"],
					"privateLinkServiceConnectionState": {"status": "Approved"}}}],
				"manualPrivateLinkServiceConnections": [{"name": "manual", "properties": {"privateLinkServiceId": "` + rg + `Microsoft.Storage/storageAccounts/st", "groupIds": ["blob"],
					"privateLinkServiceConnectionState": {"status": "pending"}}}],
				"customDnsConfigs": [{"fqdn": "st.blob.core.windows.net", "ipAddresses": ["10.0.5.6"]}],
				"ipConfigurations": [{"name": "static", "properties": {"groupId": "blob", "memberName": "blob", "privateIPAddress": "10.0.5.6"}}]}}`},
			// The NIC and the workspace are not in the snapshot; the storage
			// account is of a type vnetpath does not model.
			missing: []string{rg + "Microsoft.MachineLearningServices/workspaces/w", S + "networkInterfaces/pe.nic"},
			check: func(t *testing.T, s *topology.Snapshot) {
				p, ok := s.PrivateEndpoint(S + "privateEndpoints/pe")
				if !ok {
					t.Fatal("private endpoint missing")
				}
				equal(t, "Connections", p.Connections, []topology.PEConnection{
					{Name: "auto", Target: rg + "Microsoft.MachineLearningServices/workspaces/w", GroupIDs: []string{"amlworkspace"}, Status: "Approved"},
					{Name: "manual", Target: rg + "Microsoft.Storage/storageAccounts/st", GroupIDs: []string{"blob"}, Status: "Pending", Manual: true},
				})
				equal(t, "CustomDNSConfigs", p.CustomDNSConfigs, []topology.DNSConfig{{FQDN: "st.blob.core.windows.net", IPs: addrs("10.0.5.6")}})
				equal(t, "StaticIPs", p.StaticIPs, []topology.PEIPConfig{{Name: "static", GroupID: "blob", MemberName: "blob", PrivateIP: netip.MustParseAddr("10.0.5.6")}})
				equal(t, "NICs", p.NICs, []string{S + "networkInterfaces/pe.nic"})
				// No NIC in the snapshot: the static address still has an owner.
				if o := s.OwnersOf(netip.MustParseAddr("10.0.5.6")); len(o) != 1 || o[0].Kind != topology.OwnerPrivateEndpoint {
					t.Errorf("OwnersOf(10.0.5.6) = %+v", o)
				}
			},
		},
		{
			name: "private DNS zone, records and link",
			extra: []string{
				`{"id": "` + S + `privateDnsZones/privatelink.api.azureml.ms/A/@", "name": "@", "type": "Microsoft.Network/privateDnsZones/A", "properties": {"ttl": 10, "aRecords": [{"ipv4Address": "10.0.5.4"}]}}`,
				`{"id": "` + S + `privateDnsZones/privatelink.api.azureml.ms/AAAA/*.w.inference.westeurope", "name": "*.w.inference.westeurope", "type": "Microsoft.Network/privateDnsZones/AAAA", "properties": {"ttl": 10, "aaaaRecords": [{"ipv6Address": "fd00::5"}]}}`,
				`{"id": "` + S + `privateDnsZones/privatelink.api.azureml.ms/CNAME/alias", "name": "alias", "type": "Microsoft.Network/privateDnsZones/CNAME", "properties": {"ttl": 3600, "cnameRecord": {"cname": "Target.Example.COM."}}}`,
				`{"id": "` + S + `privateDnsZones/PrivateLink.API.AzureML.ms", "name": "PrivateLink.API.AzureML.ms.", "type": "Microsoft.Network/privateDnsZones", "location": "global",
					"properties": {"numberOfRecordSets": 4, "numberOfVirtualNetworkLinks": 1, "maxNumberOfRecordSets": 25000}}`,
				`{"id": "` + S + `privateDnsZones/privatelink.api.azureml.ms/virtualNetworkLinks/hub", "type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "properties": {
					"virtualNetwork": {"id": "` + S + `virtualNetworks/hub"}, "registrationEnabled": true, "resolutionPolicy": "NxDomainRedirect", "virtualNetworkLinkState": "InProgress"}}`,
				`{"id": "` + S + `privateDnsZones/privatelink.api.azureml.ms/SOA/@", "name": "@", "type": "Microsoft.Network/privateDnsZones/SOA", "properties": {"ttl": 3600}}`},
			check: func(t *testing.T, s *topology.Snapshot) {
				ids := s.ZonesNamed("privatelink.api.azureml.ms")
				if len(ids) != 1 {
					t.Fatalf("ZonesNamed = %q", ids)
				}
				z, _ := s.PrivateZone(ids[0])
				equal(t, "zone name", z.Name, "privatelink.api.azureml.ms")
				if len(z.Records) != 3 {
					t.Fatalf("records = %+v", z.Records)
				}
				equal(t, "records", [][3]any{
					{z.Records[0].Name, z.Records[0].Type, z.Records[0].Addrs},
					{z.Records[1].Name, z.Records[1].Type, z.Records[1].Addrs},
					{z.Records[2].Name, z.Records[2].Type, z.Records[2].CNAME},
				}, [][3]any{ // in ID order
					{"@", "A", addrs("10.0.5.4")},
					{"*.w.inference.westeurope", "AAAA", addrs("fd00::5")},
					{"alias", "CNAME", "target.example.com"},
				})
				equal(t, "link", [4]any{z.Links[0].VNet, z.Links[0].RegistrationEnabled, z.Links[0].ResolutionPolicy, z.Links[0].State},
					[4]any{S + "virtualNetworks/hub", true, "NxDomainRedirect", "InProgress"})
				equal(t, "skipped SOA", s.Skipped(), map[string]int{"Microsoft.Network/privateDnsZones/SOA": 1})
				// Three modelled record sets and the SOA make the four declared.
				equal(t, "declared counts", [4]any{z.NumberOfRecordSets, z.NumberOfVirtualNetworkLinks, z.RecordSetsHeld, z.RecordsComplete() && z.LinksComplete()}, [4]any{int64(4), int64(1), 4, true})
			},
		},
		{
			name: "DNS Private Resolver, endpoints, ruleset, rules and links",
			extra: []string{
				`{"id": "` + S + `dnsResolvers/r/inboundEndpoints/in", "type": "Microsoft.Network/dnsResolvers/inboundEndpoints", "properties": {
					"ipConfigurations": [{"privateIpAddress": "10.0.4.4", "privateIpAllocationMethod": "Static", "subnet": {"id": "` + S + `virtualNetworks/hub/subnets/dns-in"}}]}}`,
				`{"id": "` + S + `dnsResolvers/r", "type": "Microsoft.Network/dnsResolvers", "location": "westeurope", "properties": {"virtualNetwork": {"id": "` + S + `virtualNetworks/hub"}}}`,
				`{"id": "` + S + `dnsResolvers/r/outboundEndpoints/out", "type": "Microsoft.Network/dnsResolvers/outboundEndpoints", "properties": {"subnet": {"id": "` + S + `virtualNetworks/hub/subnets/dns-out"}}}`,
				`{"id": "` + S + `dnsForwardingRulesets/rs", "type": "Microsoft.Network/dnsForwardingRulesets", "location": "westeurope", "properties": {"dnsResolverOutboundEndpoints": [{"id": "` + S + `dnsResolvers/r/outboundEndpoints/out"}]}}`,
				`{"id": "` + S + `dnsForwardingRulesets/rs/forwardingRules/corp", "type": "Microsoft.Network/dnsForwardingRulesets/forwardingRules", "properties": {
					"domainName": "Corp.Contoso.com.", "targetDnsServers": [{"ipAddress": "192.168.0.53", "port": 53}, {"ipAddress": "192.168.1.53"}], "forwardingRuleState": "Disabled"}}`,
				`{"id": "` + S + `dnsForwardingRulesets/rs/virtualNetworkLinks/spoke", "type": "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks", "properties": {"virtualNetwork": {"id": "` + S + `virtualNetworks/spoke"}}}`},
			check: func(t *testing.T, s *topology.Snapshot) {
				r, ok := s.DNSResolver(S + "dnsResolvers/r")
				if !ok {
					t.Fatal("resolver missing")
				}
				equal(t, "resolver VNet", r.VNet, S+"virtualNetworks/hub")
				if len(r.Inbound) != 1 || len(r.Outbound) != 1 {
					t.Fatalf("endpoints = %+v / %+v", r.Inbound, r.Outbound)
				}
				equal(t, "inbound", [2]any{r.Inbound[0].Subnet, r.Inbound[0].IPs}, [2]any{S + "virtualNetworks/hub/subnets/dns-in", addrs("10.0.4.4")})
				equal(t, "outbound", r.Outbound[0].Subnet, S+"virtualNetworks/hub/subnets/dns-out")
				rs, _ := s.Ruleset(S + "dnsForwardingRulesets/rs")
				equal(t, "ruleset endpoints", rs.OutboundEndpoints, []string{S + "dnsResolvers/r/outboundEndpoints/out"})
				equal(t, "rule", [3]any{rs.Rules[0].Domain, rs.Rules[0].Enabled, rs.Rules[0].Targets}, [3]any{"corp.contoso.com.", false, []topology.DNSTarget{{IP: netip.MustParseAddr("192.168.0.53"), Port: 53}, {IP: netip.MustParseAddr("192.168.1.53"), Port: 53}}})
				equal(t, "RulesetsLinkedTo", s.RulesetsLinkedTo(S+"virtualNetworks/spoke"), []string{S + "dnsForwardingRulesets/rs"})
				if o := s.OwnersOf(netip.MustParseAddr("10.0.4.4")); len(o) != 1 || o[0].Kind != topology.OwnerResolverInbound {
					t.Errorf("OwnersOf(10.0.4.4) = %+v", o)
				}
			},
		},
		{
			// §10 item 36: reverse zones hold PTR record sets (ptrRecords[].ptrdname).
			name: "reverse zone with a PTR record set",
			extra: []string{
				`{"id": "` + S + `privateDnsZones/2.1.10.in-addr.arpa", "name": "2.1.10.in-addr.arpa", "type": "Microsoft.Network/privateDnsZones", "location": "global", "properties": {"numberOfRecordSets": 2}}`,
				`{"id": "` + S + `privateDnsZones/2.1.10.in-addr.arpa/PTR/5", "name": "5", "type": "Microsoft.Network/privateDnsZones/PTR", "properties": {"ttl": 3600,
					"ptrRecords": [{"ptrdname": "W.Workspace.westeurope.api.azureml.ms."}, {"ptrdname": "w.workspace.westeurope.cert.api.azureml.ms"}]}}`},
			check: func(t *testing.T, s *topology.Snapshot) {
				z, ok := s.PrivateZone(S + "privateDnsZones/2.1.10.in-addr.arpa")
				if !ok || len(z.Records) != 1 {
					t.Fatalf("zone %+v", z)
				}
				r := z.Records[0]
				equal(t, "PTR record", [3]any{r.Name, r.Type, r.PTRs}, [3]any{"5", "PTR", []string{"w.workspace.westeurope.api.azureml.ms", "w.workspace.westeurope.cert.api.azureml.ms"}})
				// The PTR record set and the SOA Azure creates make the two declared.
				equal(t, "records complete", z.RecordsComplete(), true)
			},
		},
		{
			name: "network interface with its internal domain name suffix",
			extra: []string{`{"id": "` + S + `networkInterfaces/vm1-nic", "type": "Microsoft.Network/networkInterfaces", "properties": {
				"dnsSettings": {"dnsServers": [], "internalDomainNameSuffix": "AbCd.ax.internal.cloudapp.net."},
				"ipConfigurations": [{"name": "c", "properties": {"privateIPAddress": "10.0.2.10", "subnet": {"id": "` + S + `virtualNetworks/hub/subnets/shared"}}}]}}`},
			missing: []string{S + "virtualNetworks/hub/subnets/shared"},
			check: func(t *testing.T, s *topology.Snapshot) {
				n, _ := s.NIC(S + "networkInterfaces/vm1-nic")
				equal(t, "suffix", n.InternalDomainNameSuffix, "abcd.ax.internal.cloudapp.net")
			},
		},
		{
			// §10 item 37: a managed-network workspace with its outbound rules of every type.
			name: "Azure Machine Learning workspace with a managed network",
			extra: []string{`{"id": "` + rg + `Microsoft.MachineLearningServices/workspaces/m", "type": "Microsoft.MachineLearningServices/workspaces", "location": "westeurope",
				"properties": {"workspaceId": "8b0f6c1e-5a4d-4e2b-9c3f-2d1e0a9b8c7e", "storageAccount": "` + rg + `Microsoft.Storage/storageAccounts/stm",
				"keyVault": "` + rg + `Microsoft.KeyVault/vaults/kvm", "containerRegistry": "` + rg + `Microsoft.ContainerRegistry/registries/crm",
				"managedNetwork": {"isolationMode": "AllowOnlyApprovedOutbound", "status": {"status": "Active"}, "outboundRules": {
					"pypi": {"type": "FQDN", "category": "UserDefined", "status": "Active", "destination": "PyPI.org"},
					"aad": {"type": "ServiceTag", "category": "Required", "status": "Active", "destination": {"serviceTag": "AzureActiveDirectory", "protocol": "TCP", "portRanges": "80, 443", "action": "Allow"}},
					"blob": {"type": "PrivateEndpoint", "category": "Required", "status": "Inactive", "destination": {"serviceResourceId": "` + rg + `Microsoft.Storage/storageAccounts/stm", "subresourceTarget": "blob", "sparkEnabled": false}}}}}}`},
			check: func(t *testing.T, s *topology.Snapshot) {
				w, _ := s.Workspace(rg + "Microsoft.MachineLearningServices/workspaces/m")
				equal(t, "associated resources", [3]string{w.StorageAccount, w.KeyVault, w.ContainerRegistry},
					[3]string{rg + "Microsoft.Storage/storageAccounts/stm", rg + "Microsoft.KeyVault/vaults/kvm", rg + "Microsoft.ContainerRegistry/registries/crm"})
				equal(t, "managed network", [3]any{w.ManagedNetwork, w.ManagedNetworkStatus, w.OutboundRulesRead}, [3]any{"AllowOnlyApprovedOutbound", "Active", true})
				equal(t, "rules", w.OutboundRules, []topology.OutboundRule{
					{Name: "aad", Type: "ServiceTag", Category: "Required", Status: "Active", ServiceTag: "AzureActiveDirectory", Protocol: "TCP", PortRanges: "80, 443", Action: "Allow"},
					{Name: "blob", Type: "PrivateEndpoint", Category: "Required", Status: "Inactive", ServiceResourceID: rg + "Microsoft.Storage/storageAccounts/stm", SubresourceTarget: "blob"},
					{Name: "pypi", Type: "FQDN", Category: "UserDefined", Status: "Active", FQDN: "pypi.org"},
				})
			},
		},
		{
			name: "load balancer with an HA-ports rule and an outbound rule (reference §10 items 32, 43)",
			extra: []string{`{"id": "` + S + `networkInterfaces/nva", "type": "Microsoft.Network/networkInterfaces", "properties": {"enableIPForwarding": true,
				"ipConfigurations": [{"name": "c", "properties": {"privateIPAddress": "10.0.1.5", "subnet": {"id": "` + S + `virtualNetworks/hub/subnets/a"},
				"loadBalancerBackendAddressPools": [{"id": "` + S + `loadBalancers/ilb/backendAddressPools/nva"}]}}]}}`,
				`{"id": "` + S + `loadBalancers/ilb", "type": "Microsoft.Network/loadBalancers", "location": "westeurope", "sku": {"name": "standard"}, "properties": {
				"frontendIPConfigurations": [{"name": "in", "properties": {"privateIPAddress": "10.0.1.10", "subnet": {"id": "` + S + `virtualNetworks/hub/subnets/a"}}},
					{"name": "out", "properties": {"publicIPAddress": {"id": "` + S + `publicIPAddresses/pip"}}}],
				"backendAddressPools": [{"name": "nva", "properties": {"loadBalancerBackendAddresses": [{"name": "x", "properties": {"ipAddress": "10.1.0.4", "virtualNetwork": {"id": "` + S + `virtualNetworks/spoke"}}}]}}],
				"loadBalancingRules": [{"name": "ha", "properties": {"protocol": "All", "frontendPort": 0, "backendPort": 0,
					"frontendIPConfiguration": {"id": "` + S + `loadBalancers/ilb/frontendIPConfigurations/in"}, "backendAddressPool": {"id": "` + S + `loadBalancers/ilb/backendAddressPools/nva"}}},
					{"name": "web", "properties": {"protocol": "Tcp", "frontendPort": 443, "backendPort": 8443, "disableOutboundSnat": true,
					"frontendIPConfiguration": {"id": "` + S + `loadBalancers/ilb/frontendIPConfigurations/in"}, "backendAddressPools": [{"id": "` + S + `loadBalancers/ilb/backendAddressPools/nva"}]}}],
				"outboundRules": [{"name": "o", "properties": {"protocol": "All", "frontendIPConfigurations": [{"id": "` + S + `loadBalancers/ilb/frontendIPConfigurations/out"}],
					"backendAddressPool": {"id": "` + S + `loadBalancers/ilb/backendAddressPools/nva"}}}]}}`},
			check: func(t *testing.T, s *topology.Snapshot) {
				lb, ok := s.LoadBalancer(S + "loadBalancers/ilb")
				if !ok {
					t.Fatal("load balancer missing")
				}
				equal(t, "SKU", lb.SKU, "Standard")
				equal(t, "frontends", lb.Frontends, []topology.LBFrontend{
					{ID: S + "loadBalancers/ilb/frontendIPConfigurations/in", Name: "in", PrivateIP: netip.MustParseAddr("10.0.1.10"), Subnet: S + "virtualNetworks/hub/subnets/a"},
					{ID: S + "loadBalancers/ilb/frontendIPConfigurations/out", Name: "out", PublicIP: S + "publicIPAddresses/pip"}})
				pool := S + "loadBalancers/ilb/backendAddressPools/nva"
				equal(t, "pool addresses", lb.Pools[0].Addresses, []topology.LBBackendAddress{{Name: "x", IP: netip.MustParseAddr("10.1.0.4"), VNet: S + "virtualNetworks/spoke"}})
				equal(t, "rules", [4]any{lb.Rules[0].IsHAPorts(), lb.Rules[1].IsHAPorts(), lb.Rules[1].Pools, lb.Rules[1].DisableOutboundSNAT},
					[4]any{true, false, []string{pool}, true})
				equal(t, "outbound", [3]any{lb.OutboundRules[0].Pool, lb.OutboundRules[0].Frontends, lb.OutboundRules[0].Protocol},
					[3]any{pool, []string{S + "loadBalancers/ilb/frontendIPConfigurations/out"}, "All"})
				// The NIC names the pool; the pool does not list it.
				equal(t, "PoolMembers", s.PoolMembers(pool), []string{S + "networkInterfaces/nva/ipConfigurations/c"})
				equal(t, "PoolsOf", s.PoolsOf(S+"networkInterfaces/nva/ipConfigurations/c"), []string{pool})
				if fs := s.LoadBalancerFrontendsAt(netip.MustParseAddr("10.0.1.10")); len(fs) != 1 || fs[0].Frontend().Name != "in" {
					t.Errorf("LoadBalancerFrontendsAt(10.0.1.10) = %+v", fs)
				}
				if o := s.OwnersOf(netip.MustParseAddr("10.0.1.10")); len(o) != 0 {
					t.Errorf("OwnersOf(10.0.1.10) = %+v, want none: a frontend is not an owner", o)
				}
			},
		},
		{
			name: "network manager, security admin configuration and Virtual WAN hub, recognised (reference §10 item 44)",
			extra: []string{`{"id": "` + S + `networkManagers/avnm", "type": "Microsoft.Network/networkManagers", "location": "westeurope", "properties": {
				"networkManagerScopes": {"subscriptions": ["/subscriptions/s"], "managementGroups": ["/providers/Microsoft.Management/managementGroups/mg"]},
				"networkManagerScopeAccesses": ["SecurityAdmin", "Connectivity"]}}`,
				`{"id": "` + S + `networkManagers/avnm/securityAdminConfigurations/sac", "type": "Microsoft.Network/networkManagers/securityAdminConfigurations", "properties": {}}`,
				`{"id": "` + S + `networkManagers/avnm/securityAdminConfigurations/sac/ruleCollections/rc", "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections",
				"properties": {"appliesToGroups": [{"networkGroupId": "` + S + `networkManagers/avnm/networkGroups/g"}]}}`,
				`{"id": "` + S + `virtualWans/wan", "type": "Microsoft.Network/virtualWans", "location": "westeurope", "properties": {"type": "Standard"}}`,
				`{"id": "` + S + `virtualHubs/hub-we", "type": "Microsoft.Network/virtualHubs", "location": "westeurope", "properties": {"addressPrefix": "10.200.0.0/23",
				"virtualWan": {"id": "` + S + `virtualWans/wan"}}}`},
			check: func(t *testing.T, s *topology.Snapshot) {
				m, ok := s.NetworkManager(S + "networkManagers/avnm")
				if !ok {
					t.Fatal("network manager missing")
				}
				equal(t, "scope", [3]any{m.ScopeSubscriptions, m.ScopeManagementGroups, m.ScopeAccesses},
					[3]any{[]string{"/subscriptions/s"}, []string{"/providers/Microsoft.Management/managementGroups/mg"}, []string{"SecurityAdmin", "Connectivity"}})
				var cfgs, cols []string
				for c := range s.SecurityAdminConfigurations() {
					cfgs = append(cfgs, c.Manager)
				}
				for c := range s.AdminRuleCollections() {
					cols = append(cols, c.Configuration, c.NetworkGroups[0])
				}
				equal(t, "configurations", cfgs, []string{S + "networkManagers/avnm"})
				equal(t, "collections", cols, []string{S + "networkManagers/avnm/securityAdminConfigurations/sac", S + "networkManagers/avnm/networkGroups/g"})
				var hubs []string
				for h := range s.VirtualHubs() {
					hubs = append(hubs, h.AddressPrefix.String(), h.VirtualWAN)
				}
				equal(t, "hubs", hubs, []string{"10.200.0.0/23", S + "virtualWans/wan"})
				w, _ := s.VirtualWAN(S + "virtualWans/wan")
				equal(t, "WAN type", w.Type, "Standard")
				counts := s.Counts()
				for _, typ := range []string{topology.TypeNetworkManager, topology.TypeSecurityAdminConfig, topology.TypeAdminRuleCollection, topology.TypeVirtualHub, topology.TypeVirtualWAN} {
					if counts[typ] != 1 {
						t.Errorf("%s counted %d times, want 1", typ, counts[typ])
					}
				}
			},
		},
		{
			name: "Azure Machine Learning workspace",
			extra: []string{`{"id": "` + rg + `Microsoft.MachineLearningServices/workspaces/w", "type": "Microsoft.MachineLearningServices/workspaces", "location": "westeurope", "kind": "Hub",
				"properties": {"workspaceId": "8b0f6c1e-5a4d-4e2b-9c3f-2d1e0a9b8c7d", "friendlyName": "W", "publicNetworkAccess": "disabled", "managedNetwork": {"isolationMode": "AllowOnlyApprovedOutbound"}}}`},
			check: func(t *testing.T, s *topology.Snapshot) {
				w, ok := s.Workspace(rg + "Microsoft.MachineLearningServices/workspaces/w")
				if !ok {
					t.Fatal("workspace missing")
				}
				equal(t, "workspace", [6]any{w.Location, w.WorkspaceID, w.FriendlyName, w.PublicNetworkAccess, w.Kind, w.ManagedNetwork},
					[6]any{"westeurope", "8b0f6c1e-5a4d-4e2b-9c3f-2d1e0a9b8c7d", "W", "Disabled", "Hub", "AllowOnlyApprovedOutbound"})
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustLoad(t, snapshotJSON(tt.extra...))
			for _, w := range res.Warnings {
				if len(tt.missing) == 0 || w.File != "" {
					t.Errorf("unexpected warning: %v", w)
				}
			}
			if got := missingIDs(res.Snapshot); !slices.Equal(got, tt.missing) {
				t.Errorf("Missing() = %q, want %q", got, tt.missing)
			}
			tt.check(t, res.Snapshot)
		})
	}
}

// TestRulesRepeatingATokenKeepTheirOwnLists: rules that repeat one address
// or port token share its parsed list; a rule that adds the plural field
// to it gets its own, longer list without changing the others', and every
// rule that repeats a token that does not parse gets its own error.
func TestRulesRepeatingATokenKeepTheirOwnLists(t *testing.T) {
	rule := func(name string, prio int, extra string) string {
		return `{"id": "` + S + `networkSecurityGroups/nsg/securityRules/` + name + `", "type": "Microsoft.Network/networkSecurityGroups/securityRules", "properties": {
			"priority": ` + strconv.Itoa(prio) + `, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
			"sourceAddressPrefix": "10.0.0.0/8", "sourcePortRange": "*", "destinationAddressPrefix": "VirtualNetwork", "destinationPortRange": "443"` + extra + `}}`
	}
	res := mustLoad(t, snapshotJSON(
		rule("a", 100, ""),
		rule("b", 110, `, "sourceAddressPrefixes": ["192.168.0.0/16"], "destinationPortRanges": ["8443"]`),
		rule("c", 120, ""),
	))
	nsg, ok := res.Snapshot.NSG(S + "networkSecurityGroups/nsg")
	if !ok {
		t.Fatal("NSG nsg not loaded")
	}
	want := map[string]struct{ sources, ports int }{"a": {1, 1}, "b": {2, 2}, "c": {1, 1}}
	for _, r := range nsg.Rules {
		w := want[r.Name]
		if len(r.Sources) != w.sources || len(r.DestinationPorts) != w.ports {
			t.Errorf("rule %s: %d sources, %d destination port ranges; want %d, %d", r.Name, len(r.Sources), len(r.DestinationPorts), w.sources, w.ports)
		}
		if r.Sources[0].Raw != "10.0.0.0/8" || r.DestinationPorts[0] != (cidr.PortRange{Lo: 443, Hi: 443}) {
			t.Errorf("rule %s: first source %q, first destination ports %v", r.Name, r.Sources[0].Raw, r.DestinationPorts[0])
		}
	}

	bad := func(name string) string {
		return `{"id": "` + S + `networkSecurityGroups/nsg/securityRules/` + name + `", "type": "Microsoft.Network/networkSecurityGroups/securityRules", "properties": {
			"priority": 200, "direction": "Outbound", "access": "Deny", "protocol": "*",
			"sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "10.0.0.0/33", "destinationPortRange": "*"}}`
	}
	_, err := azure.LoadBytes("snap.json", []byte(snapshotJSON(bad("x"), bad("y"))), azure.Options{})
	for _, name := range []string{"securityRules/x", "securityRules/y"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("error %v does not name %s", err, name)
		}
	}
}
