package armtemplate

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/azure/deploy"
)

// The real templates of ../shared/testdata/templates (see SOURCES.md §3),
// each with its parameters file. Every test evaluates one in the default
// scope (resource group "vnetpath" in westeurope), checks what it must
// yield, and loads the result with the snapshot loader.

const sharedTemplates = "../../../shared/testdata/templates"

// evalShared evaluates a shared template with its parameters file.
func evalShared(t *testing.T, dir string, overrides ...string) *deploy.Result {
	t.Helper()
	path := filepath.Join(sharedTemplates, dir, "azuredeploy.json")
	tmpl, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s is absent: the shared test data (../shared) is not checked out beside the repository", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	params, err := os.ReadFile(filepath.Join(sharedTemplates, dir, "azuredeploy.parameters.json"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	res, err := Evaluate(tmpl, Options{Name: dir + "/azuredeploy.json", Parameters: params, ParametersName: dir + "/azuredeploy.parameters.json", Overrides: overrides})
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	return res
}

// load loads the evaluated resources with the snapshot loader, strictly,
// and returns its warnings.
func load(t *testing.T, res *deploy.Result) (*azure.Result, []string) {
	t.Helper()
	lr, err := azure.LoadBytes("template.json", res.JSON(), azure.Options{})
	if err != nil {
		t.Fatalf("the evaluated template does not load: %v", err)
	}
	var warnings []string
	for _, w := range lr.Warnings {
		warnings = append(warnings, w.Error())
	}
	return lr, warnings
}

// wantMissing checks the IDs declared missing and that each reason says
// what it must.
func wantMissing(t *testing.T, res *deploy.Result, want map[string]string) {
	t.Helper()
	for id, reason := range want {
		if r := missingReason(t, res, id); !strings.Contains(r, reason) {
			t.Errorf("%s missing because %q, want %q", id, r, reason)
		}
	}
	if len(res.Missing) != len(want) {
		t.Errorf("%d missing, want %d: %v", len(res.Missing), len(want), res.Missing)
	}
}

// wantMissingRefs checks what the loaded snapshot lists as missing: the
// public IPs given, which Azure gives an address only when it creates them,
// and nothing the evaluated result did not itself declare missing.
func wantMissingRefs(t *testing.T, lr *azure.Result, res *deploy.Result, missingPIPs ...string) {
	t.Helper()
	declared := map[string]bool{}
	for _, m := range res.Missing {
		declared[strings.ToLower(m.ID)] = true
	}
	listed := map[string]bool{}
	for _, m := range lr.Snapshot.Missing() {
		listed[strings.ToLower(m.ID)] = true
		if !declared[strings.ToLower(m.ID)] {
			t.Errorf("the snapshot lists %s as missing (%s), but the evaluation did not declare it missing", m.ID, m.Reason)
		}
	}
	for _, pip := range missingPIPs {
		if !listed[strings.ToLower(pip)] {
			t.Errorf("the snapshot does not list public IP %s as missing", pip)
		}
	}
}

func wantSkipped(t *testing.T, res *deploy.Result, want map[string]int) {
	t.Helper()
	if len(res.Skipped) != len(want) {
		t.Errorf("skipped %v, want %v", res.Skipped, want)
	}
	for k, n := range want {
		if res.Skipped[k] != n {
			t.Errorf("skipped %s = %d, want %d (all: %v)", k, res.Skipped[k], n, res.Skipped)
		}
	}
}

func predicted(t *testing.T, res *deploy.Result, id, addr string) {
	t.Helper()
	if !slices.ContainsFunc(res.Assumptions, func(a deploy.Assumption) bool {
		return a.ID == id && strings.Contains(a.Text, addr+" ") && strings.Contains(a.Text, "is predicted")
	}) {
		t.Errorf("no assumption predicting %s for %s", addr, id)
	}
}

func TestTemplatePrivateDNSZone(t *testing.T) {
	res := evalShared(t, "private-dns-zone")
	vnet := resourceJSON(t, res, netID("Microsoft.Network/virtualNetworks", "VNet"))
	if at(vnet, "properties.addressSpace.addressPrefixes[0]") != "10.0.0.0/16" || at(vnet, "properties.subnets[0].name") != "App" || at(vnet, "properties.subnets[0].properties.addressPrefix") != "10.0.0.0/24" {
		t.Errorf("VNet = %v", vnet)
	}
	zoneID := netID("Microsoft.Network/privateDnsZones", "contoso.com")
	link := resourceJSON(t, res, zoneID+"/virtualNetworkLinks/VNet-link")
	if at(link, "properties.registrationEnabled") != true || at(link, "properties.virtualNetwork.id") != netID("Microsoft.Network/virtualNetworks", "VNet") {
		t.Errorf("link = %v", link)
	}
	// Auto-registration fills the zone with records vnetpath does not
	// predict: it says so, and gives the zone no record count.
	if n := at(resourceJSON(t, res, zoneID), "properties.numberOfRecordSets"); n != nil {
		t.Errorf("registration zone numberOfRecordSets = %v", n)
	}
	if len(res.Assumptions) != 1 || !strings.Contains(res.Assumptions[0].Text, "registers automatically in zone contoso.com") {
		t.Errorf("assumptions %v", res.Assumptions)
	}
	wantMissing(t, res, nil)
	wantSkipped(t, res, nil)
	lr, _ := load(t, res)
	wantMissingRefs(t, lr, res)
	if lr.Snapshot.Resources() != 4 { // VNet, subnet, zone, link
		t.Errorf("loaded %d resources", lr.Snapshot.Resources())
	}
}

func TestTemplateBastionHubSpoke(t *testing.T) {
	res := evalShared(t, "bastion-hub-spoke-vnet")
	hub := resourceJSON(t, res, netID("Microsoft.Network/virtualNetworks", "vnet-hub"))
	if at(hub, "properties.addressSpace.addressPrefixes[0]") != "10.0.0.0/16" || at(hub, "properties.subnets[0].name") != "AzureBastionSubnet" || at(hub, "properties.subnets[0].properties.addressPrefix") != "10.0.0.0/26" {
		t.Errorf("hub = %v", hub)
	}
	for _, p := range []struct{ owner, name, remote, remoteSpace string }{
		{"vnet-hub", "peering-to-vnet-spoke", "vnet-spoke", "10.1.0.0/16"},
		{"vnet-spoke", "peering-to-vnet-hub", "vnet-hub", "10.0.0.0/16"},
	} {
		pr := resourceJSON(t, res, netID("Microsoft.Network/virtualNetworks/virtualNetworkPeerings", p.owner, p.name))
		if at(pr, "properties.peeringState") != "Connected" || at(pr, "properties.allowForwardedTraffic") != false ||
			at(pr, "properties.remoteVirtualNetwork.id") != netID("Microsoft.Network/virtualNetworks", p.remote) ||
			at(pr, "properties.remoteAddressSpace.addressPrefixes[0]") != p.remoteSpace {
			t.Errorf("peering %s = %v", p.name, pr)
		}
	}
	nicID := netID("Microsoft.Network/networkInterfaces", "vm1-nic-01")
	nic := resourceJSON(t, res, nicID)
	if at(nic, "properties.ipConfigurations[0].properties.privateIPAddress") != "10.1.0.4" ||
		at(nic, "properties.ipConfigurations[0].properties.subnet.id") != netID("Microsoft.Network/virtualNetworks/subnets", "vnet-spoke", "Subnet-1") {
		t.Errorf("NIC = %v", nic)
	}
	predicted(t, res, nicID, "10.1.0.4")
	pip := netID("Microsoft.Network/publicIPAddresses", "bastion1-pip")
	wantMissing(t, res, map[string]string{pip: "Azure allocates the address"})
	wantSkipped(t, res, map[string]int{"Microsoft.Network/bastionHosts": 1, "Microsoft.Compute/virtualMachines": 1})
	lr, _ := load(t, res)
	wantMissingRefs(t, lr, res)
}

func TestTemplateUDRNVAAppliance(t *testing.T) {
	res := evalShared(t, "udr-nva-appliance")
	rtID := netID("Microsoft.Network/routeTables", "BasicNVA")
	rt := resourceJSON(t, res, rtID)
	if at(rt, "properties.routes[0].name") != "VirtualApplianceRouteToSubnet3" || at(rt, "properties.routes[0].properties.addressPrefix") != "10.1.2.0/24" ||
		at(rt, "properties.routes[0].properties.nextHopType") != "VirtualAppliance" || at(rt, "properties.routes[0].properties.nextHopIpAddress") != "10.1.1.4" {
		t.Errorf("route table = %v", rt)
	}
	nsgID := netID("Microsoft.Network/networkSecurityGroups", "DefaultNSG")
	nsg := resourceJSON(t, res, nsgID)
	if at(nsg, "properties.securityRules[0].name") != "rdp_rule" || at(nsg, "properties.securityRules[0].properties.priority") != 100.0 ||
		at(nsg, "properties.securityRules[0].properties.destinationPortRange") != "3389" || at(nsg, "properties.securityRules[0].properties.sourceAddressPrefix") != "Internet" {
		t.Errorf("NSG = %v", nsg)
	}
	vnet := resourceJSON(t, res, netID("Microsoft.Network/virtualNetworks", "Contoso_Network"))
	for i, s := range []struct{ name, prefix, rt string }{
		{"FrontendSubnet", "10.1.0.0/24", rtID}, {"NVASubnet", "10.1.1.0/24", ""}, {"BackendSubnet", "10.1.2.0/24", ""},
	} {
		sub := at(vnet, "properties.subnets")
		if at(sub, "["+strconv.Itoa(i)+"].name") != s.name || at(sub, "["+strconv.Itoa(i)+"].properties.addressPrefix") != s.prefix ||
			at(sub, "["+strconv.Itoa(i)+"].properties.networkSecurityGroup.id") != nsgID {
			t.Errorf("subnet %d = %v", i, at(sub, "["+strconv.Itoa(i)+"]"))
		}
		if got, _ := at(sub, "["+strconv.Itoa(i)+"].properties.routeTable.id").(string); got != s.rt {
			t.Errorf("subnet %s route table %q, want %q", s.name, got, s.rt)
		}
	}
	nva := resourceJSON(t, res, netID("Microsoft.Network/networkInterfaces", "Nic1"))
	if at(nva, "properties.enableIPForwarding") != true || at(nva, "properties.ipConfigurations[0].properties.privateIPAddress") != "10.1.1.4" {
		t.Errorf("appliance NIC = %v", nva)
	}
	for nic, addr := range map[string]string{"Nic0": "10.1.0.4", "Nic2": "10.1.2.4"} {
		id := netID("Microsoft.Network/networkInterfaces", nic)
		if got := at(resourceJSON(t, res, id), "properties.ipConfigurations[0].properties.privateIPAddress"); got != addr {
			t.Errorf("%s address %v, want %s", nic, got, addr)
		}
		predicted(t, res, id, addr)
	}
	var pips []string
	missing := map[string]string{}
	for _, n := range []string{"GEN-UNIQUE0", "GEN-UNIQUE1", "GEN-UNIQUE2"} {
		id := netID("Microsoft.Network/publicIPAddresses", n)
		pips = append(pips, id)
		missing[id] = "Azure allocates the address"
	}
	wantMissing(t, res, missing)
	wantSkipped(t, res, map[string]int{"Microsoft.Compute/virtualMachines": 3})
	lr, _ := load(t, res)
	wantMissingRefs(t, lr, res, pips...)
}

func TestTemplateFirewallPolicyIPGroups(t *testing.T) {
	res := evalShared(t, "azfw-policy-ipgroups")
	suffix := UniqueString(rgID) // the template names its IP groups after uniqueString(resourceGroup().id)
	workload := netID("Microsoft.Network/ipGroups", "westeurope-workload-ipgroup-"+suffix)
	infra := netID("Microsoft.Network/ipGroups", "westeurope-infra-ipgroup-"+suffix)
	if got := at(resourceJSON(t, res, workload), "properties.ipAddresses"); toJSONText(got) != `["10.20.0.0/24","10.30.0.0/24"]` {
		t.Errorf("workload IP group %v", got)
	}
	resourceJSON(t, res, infra)
	policy := netID("Microsoft.Network/firewallPolicies", "GEN-FIREWALL-TEST-01-firewallPolicy")
	if at(resourceJSON(t, res, policy), "properties.threatIntelMode") != "Alert" {
		t.Error("policy threat intel mode")
	}
	net := resourceJSON(t, res, policy+"/ruleCollectionGroups/DefaultNetworkRuleCollectionGroup")
	rule := "properties.ruleCollections[0].rules[0]"
	if at(net, "properties.priority") != 200.0 || at(net, "properties.ruleCollections[0].priority") != 1250.0 ||
		at(net, rule+".name") != "time-windows" || at(net, rule+".ipProtocols[0]") != "UDP" || at(net, rule+".destinationAddresses[0]") != "13.86.101.172" ||
		at(net, rule+".destinationPorts[0]") != "123" || at(net, rule+".sourceIpGroups[0]") != workload || at(net, rule+".sourceIpGroups[1]") != infra {
		t.Errorf("network rule collection group = %v", net)
	}
	app := resourceJSON(t, res, policy+"/ruleCollectionGroups/DefaultApplicationRuleCollectionGroup")
	if at(app, "properties.priority") != 300.0 || at(app, "properties.ruleCollections[0].rules[0].fqdnTags[0]") != "WindowsUpdate" ||
		at(app, "properties.ruleCollections[1].rules[0].targetFqdns[0]") != "www.microsoft.com" || at(app, "properties.ruleCollections[1].rules[0].protocols[0].port") != 443.0 {
		t.Errorf("application rule collection group = %v", app)
	}
	fwID := netID("Microsoft.Network/azureFirewalls", "GEN-FIREWALL-TEST-01")
	fw := resourceJSON(t, res, fwID)
	if at(fw, "properties.firewallPolicy.id") != policy || at(fw, "properties.ipConfigurations[0].name") != "IpConf0" ||
		at(fw, "properties.ipConfigurations[0].properties.privateIPAddress") != "10.10.0.4" ||
		at(fw, "properties.ipConfigurations[0].properties.subnet.id") != netID("Microsoft.Network/virtualNetworks/subnets", "GEN-VNET-TEST-01", "AzureFirewallSubnet") ||
		at(fw, "properties.ipConfigurations[1].properties.subnet") != nil || at(fw, "properties.ipConfigurations[1].properties.privateIPAddress") != nil {
		t.Errorf("firewall = %v", fw)
	}
	predicted(t, res, fwID, "10.10.0.4")
	pip1, pip2 := netID("Microsoft.Network/publicIPAddresses", "publicIP1"), netID("Microsoft.Network/publicIPAddresses", "publicIP2")
	wantMissing(t, res, map[string]string{pip1: "ipAddress", pip2: "ipAddress"})
	wantSkipped(t, res, nil)
	lr, _ := load(t, res)
	wantMissingRefs(t, lr, res, pip1, pip2)
}

func TestTemplateFirewallForcedTunnelling(t *testing.T) {
	res := evalShared(t, "azfw-forced-tunneling")
	for rt, hop := range map[string]string{"AzfwRouteTable": "10.0.1.4", "TunnelToRouteTable": "172.16.1.4"} {
		r := resourceJSON(t, res, netID("Microsoft.Network/routeTables", rt))
		if at(r, "properties.routes[0].properties.addressPrefix") != "0.0.0.0/0" || at(r, "properties.routes[0].properties.nextHopIpAddress") != hop {
			t.Errorf("route table %s = %v", rt, r)
		}
	}
	from := resourceJSON(t, res, netID("Microsoft.Network/virtualNetworks", "from-vnet"))
	if at(from, "properties.subnets[2].name") != "AzureFirewallSubnet" || at(from, "properties.subnets[2].properties.routeTable.id") != netID("Microsoft.Network/routeTables", "TunnelToRouteTable") ||
		at(from, "properties.subnets[3].name") != "ServersSubnet" || at(from, "properties.subnets[3].properties.routeTable.id") != netID("Microsoft.Network/routeTables", "AzfwRouteTable") {
		t.Errorf("from-vnet = %v", from)
	}
	to := netID("Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "from-vnet", "TunnelToPeering")
	if p := resourceJSON(t, res, to); at(p, "properties.peeringState") != "Connected" || at(p, "properties.allowForwardedTraffic") != true {
		t.Errorf("TunnelToPeering = %v", p)
	}
	// The route tables hard-code the firewalls' addresses; the predicted
	// addresses agree.
	fwID := netID("Microsoft.Network/azureFirewalls", "firewall1")
	fw := resourceJSON(t, res, fwID)
	if at(fw, "properties.ipConfigurations[0].properties.privateIPAddress") != "10.0.1.4" || at(fw, "properties.managementIpConfiguration.properties.privateIPAddress") != "10.0.3.4" {
		t.Errorf("firewall1 = %v", fw)
	}
	// Application rule ports written as strings ("80") are numbers, as
	// Azure returns them.
	if at(fw, "properties.applicationRuleCollections[0].properties.rules[0].protocols[0].port") != 80.0 ||
		at(fw, "properties.networkRuleCollections[0].properties.rules[0].sourceAddresses[0]") != "10.0.2.0/24" {
		t.Errorf("firewall1 rules = %v", at(fw, "properties"))
	}
	tunnelID := netID("Microsoft.Network/azureFirewalls", "tunnelToFirewall")
	if got := at(resourceJSON(t, res, tunnelID), "properties.ipConfigurations[0].properties.privateIPAddress"); got != "172.16.1.4" {
		t.Errorf("tunnelToFirewall address %v", got)
	}
	predicted(t, res, fwID, "10.0.1.4")
	predicted(t, res, fwID, "10.0.3.4")
	predicted(t, res, tunnelID, "172.16.1.4")
	jump := resourceJSON(t, res, netID("Microsoft.Network/networkInterfaces", "JumpHostNic"))
	if at(jump, "properties.ipConfigurations[0].properties.privateIPAddress") != "10.0.0.4" || at(jump, "properties.networkSecurityGroup.id") != netID("Microsoft.Network/networkSecurityGroups", "JumpHostNSG") {
		t.Errorf("JumpHostNic = %v", jump)
	}
	missing := map[string]string{}
	var pips []string
	for _, n := range []string{"AzFwDataPublicIP1", "AzFwManagementPublicIP", "tunnelToPIP", "JumpHostPublicIP"} {
		id := netID("Microsoft.Network/publicIPAddresses", n)
		missing[id] = "ipAddress"
		if n != "AzFwManagementPublicIP" {
			pips = append(pips, id)
		}
	}
	wantMissing(t, res, missing)
	wantSkipped(t, res, map[string]int{"Microsoft.Storage/storageAccounts": 1, "Microsoft.Compute/virtualMachines": 2})
	lr, _ := load(t, res)
	wantMissingRefs(t, lr, res, pips...)
}

func TestTemplateHubAndSpokeSandbox(t *testing.T) {
	res := evalShared(t, "hub-and-spoke-sandbox") // its parameters file deploys the VPN gateway
	hub := netID("Microsoft.Network/virtualNetworks", "hubVnet")
	if at(resourceJSON(t, res, hub), "properties.addressSpace.addressPrefixes[0]") != "192.168.0.0/20" {
		t.Error("hub address space")
	}
	for sub, prefix := range map[string]string{"ManagementSubnet": "192.168.1.0/24", "SharedSubnet": "192.168.4.0/22", "DMZSubnet": "192.168.0.0/25", "GatewaySubnet": "192.168.15.224/27"} {
		if got := at(resourceJSON(t, res, hub+"/subnets/"+sub), "properties.addressPrefix"); got != prefix {
			t.Errorf("%s = %v, want %s", sub, got, prefix)
		}
	}
	for _, p := range []struct {
		owner, name        string
		transit, useRemote bool
	}{
		{"hubVnet", "gwPeering_hubVnet_spokeDevVnet", true, false},
		{"hubVnet", "gwPeering_hubVnet_spokeProdVnet", true, false},
		{"spokeDevVnet", "gwPeering_spokeDevVnet_hubVnet", false, true},
		{"spokeProdVnet", "gwPeering_spokeProdVnet_hubVnet", false, true},
	} {
		pr := resourceJSON(t, res, netID("Microsoft.Network/virtualNetworks/virtualNetworkPeerings", p.owner, p.name))
		if at(pr, "properties.allowGatewayTransit") != p.transit || at(pr, "properties.useRemoteGateways") != p.useRemote || at(pr, "properties.peeringState") != "Connected" {
			t.Errorf("peering %s = %v", p.name, pr)
		}
	}
	gw := resourceJSON(t, res, netID("Microsoft.Network/virtualNetworkGateways", "hubVpnGateway"))
	if at(gw, "properties.gatewayType") != "Vpn" || at(gw, "properties.vpnType") != "RouteBased" || at(gw, "properties.sku.name") != "Basic" ||
		at(gw, "properties.ipConfigurations[0].properties.subnet.id") != hub+"/subnets/GatewaySubnet" {
		t.Errorf("gateway = %v", gw)
	}
	nsg := resourceJSON(t, res, netID("Microsoft.Network/networkSecurityGroups", "winJmpHostNsg"))
	if at(nsg, "properties.securityRules[0].name") != "NSG_RULE_INBOUND_RDP" || at(nsg, "properties.securityRules[0].properties.priority") != 1000.0 {
		t.Errorf("NSG = %v", nsg)
	}
	nicID := netID("Microsoft.Network/networkInterfaces", "winJmphostVmNIC")
	if got := at(resourceJSON(t, res, nicID), "properties.ipConfigurations[0].properties.privateIPAddress"); got != "192.168.1.4" {
		t.Errorf("jump host NIC address %v", got)
	}
	jumpPIP, gwPIP := netID("Microsoft.Network/publicIPAddresses", "winJmphostVmPublicIp"), netID("Microsoft.Network/publicIPAddresses", "hubVpnGatewayPublicIp")
	wantMissing(t, res, map[string]string{jumpPIP: "ipAddress", gwPIP: "ipAddress"})
	wantSkipped(t, res, map[string]int{"Microsoft.Compute/virtualMachines": 1, "Microsoft.Storage/storageAccounts": 1})
	lr, _ := load(t, res)
	wantMissingRefs(t, lr, res, jumpPIP)

	// Without the gateway, the other peerings are deployed and the gateway
	// and its subnet are not.
	res = evalShared(t, "hub-and-spoke-sandbox", "deployVpnGateway=No")
	resourceJSON(t, res, netID("Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "spokeDevVnet", "peering_spokeDevVnet_hubVnet"))
	for _, id := range []string{netID("Microsoft.Network/virtualNetworkGateways", "hubVpnGateway"), hub + "/subnets/GatewaySubnet", netID("Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "hubVnet", "gwPeering_hubVnet_spokeDevVnet")} {
		if _, ok := res.Resource(id); ok {
			t.Errorf("%s is deployed although its condition is false", id)
		}
	}
}

func TestTemplateMSPNPHubSpoke(t *testing.T) {
	res := evalShared(t, "mspnp-azure-hub-spoke") // no parameters file: every parameter has a default or is secure
	hubID := netID("Microsoft.Network/virtualNetworks", "vnet-westeurope-hub")
	hub := resourceJSON(t, res, hubID)
	for i, s := range []struct{ name, prefix string }{{"AzureBastionSubnet", "10.0.1.0/26"}, {"GatewaySubnet", "10.0.2.0/27"}, {"AzureFirewallSubnet", "10.0.3.0/26"}} {
		p := "properties.subnets[" + strconv.Itoa(i) + "]"
		if at(hub, p+".name") != s.name || at(hub, p+".properties.addressPrefix") != s.prefix || at(hub, p+".properties.defaultOutboundAccess") != false {
			t.Errorf("hub subnet %d = %v", i, at(hub, p))
		}
	}
	fwID := netID("Microsoft.Network/azureFirewalls", "fw-westeurope")
	fw := resourceJSON(t, res, fwID)
	if at(fw, "properties.ipConfigurations[0].properties.privateIPAddress") != "10.0.3.4" || at(fw, "properties.ipConfigurations[2].name") != "pip-fw-westeurope-02" ||
		at(fw, "properties.firewallPolicy.id") != netID("Microsoft.Network/firewallPolicies", "fw-policies-westeurope") {
		t.Errorf("firewall = %v", fw)
	}
	predicted(t, res, fwID, "10.0.3.4")
	// The spoke route reads the firewall's address through reference(): it
	// is the predicted address.
	rtID := netID("Microsoft.Network/routeTables", "route-to-westeurope-hub-fw")
	rt := resourceJSON(t, res, rtID)
	if at(rt, "properties.routes[0].properties.addressPrefix") != "0.0.0.0/0" || at(rt, "properties.routes[0].properties.nextHopType") != "VirtualAppliance" || at(rt, "properties.routes[0].properties.nextHopIpAddress") != "10.0.3.4" {
		t.Errorf("route table = %v", rt)
	}
	policy := resourceJSON(t, res, netID("Microsoft.Network/firewallPolicies", "fw-policies-westeurope"))
	if at(policy, "properties.dnsSettings.enableProxy") != true || at(policy, "properties.threatIntelMode") != "Deny" {
		t.Errorf("policy = %v", policy)
	}
	netRCG := resourceJSON(t, res, netID("Microsoft.Network/firewallPolicies/ruleCollectionGroups", "fw-policies-westeurope", "DefaultNetworkRuleCollectionGroup"))
	if at(netRCG, "properties.ruleCollections[0].rules[0].name") != "DNS" || at(netRCG, "properties.ruleCollections[0].rules[0].destinationPorts[0]") != "53" {
		t.Errorf("network rules = %v", netRCG)
	}
	// Without virtual machines, the application rule collection is empty.
	appRCG := resourceJSON(t, res, netID("Microsoft.Network/firewallPolicies/ruleCollectionGroups", "fw-policies-westeurope", "DefaultApplicationRuleCollectionGroup"))
	if rules := at(appRCG, "properties.ruleCollections[0].rules"); rules == nil || len(rules.([]any)) != 0 {
		t.Errorf("application rules = %v", rules)
	}
	// The spoke NSG reads the bastion subnet's prefix through reference()
	// of a subnet declared inside the hub VNet.
	nsg := resourceJSON(t, res, netID("Microsoft.Network/networkSecurityGroups", "nsg-spoke-resources"))
	if at(nsg, "properties.securityRules[0].properties.sourceAddressPrefix") != "10.0.1.0/26" || at(nsg, "properties.securityRules[2].properties.access") != "Deny" {
		t.Errorf("spoke NSG = %v", nsg)
	}
	for _, spoke := range []struct{ name, space string }{{"vnet-westeurope-spoke-one", "10.100.0.0/22"}, {"vnet-westeurope-spoke-two", "10.200.0.0/22"}} {
		v := resourceJSON(t, res, netID("Microsoft.Network/virtualNetworks", spoke.name))
		if at(v, "properties.addressSpace.addressPrefixes[0]") != spoke.space || at(v, "properties.subnets[0].properties.routeTable.id") != rtID {
			t.Errorf("%s = %v", spoke.name, v)
		}
		out := resourceJSON(t, res, netID("Microsoft.Network/virtualNetworks/virtualNetworkPeerings", spoke.name, "to_vnet-westeurope-hub"))
		back := resourceJSON(t, res, netID("Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "vnet-westeurope-hub", "to_"+spoke.name))
		if at(out, "properties.peeringState") != "Connected" || at(back, "properties.peeringState") != "Connected" || at(back, "properties.remoteAddressSpace.addressPrefixes[0]") != spoke.space {
			t.Errorf("peerings of %s: %v / %v", spoke.name, out, back)
		}
	}
	missing := map[string]string{}
	var pips []string
	for _, n := range []string{"pip-fw-westeurope-00", "pip-fw-westeurope-01", "pip-fw-westeurope-02", "pip-ab-westeurope"} {
		id := netID("Microsoft.Network/publicIPAddresses", n)
		missing[id] = "ipAddress"
		if n != "pip-ab-westeurope" {
			pips = append(pips, id)
		}
	}
	wantMissing(t, res, missing)
	wantSkipped(t, res, map[string]int{"Microsoft.Insights/diagnosticSettings": 13, "Microsoft.Network/bastionHosts": 1, "Microsoft.Network/ddosProtectionPlans": 1, "Microsoft.OperationalInsights/workspaces": 1})
	lr, _ := load(t, res)
	wantMissingRefs(t, lr, res, pips...)
}

func TestTemplateFirewallDNSProxyHubSpoke(t *testing.T) {
	res := evalShared(t, "azfw-dns-proxy-hub-spoke")
	fwID := netID("Microsoft.Network/azureFirewalls", "HubFirewall")
	predicted(t, res, fwID, "192.168.0.4")
	for _, spoke := range []string{"DevelopmentVNet", "ProductionVNet"} {
		v := resourceJSON(t, res, netID("Microsoft.Network/virtualNetworks", spoke))
		// The spokes use the firewall, with DNS proxy, as DNS server.
		if at(v, "properties.dhcpOptions.dnsServers[0]") != "192.168.0.4" {
			t.Errorf("%s DNS servers %v", spoke, at(v, "properties.dhcpOptions"))
		}
		rt := resourceJSON(t, res, netID("Microsoft.Network/routeTables", spoke+"DefaultSubnetRouteTable"))
		if at(rt, "properties.routes[0].properties.nextHopIpAddress") != "192.168.0.4" || at(rt, "properties.disableBgpRoutePropagation") != true {
			t.Errorf("%s route table = %v", spoke, rt)
		}
	}
	policy := netID("Microsoft.Network/firewallPolicies", "HubFirewallPolicy")
	if at(resourceJSON(t, res, policy), "properties.dnsSettings.enableProxy") != true {
		t.Error("policy DNS proxy")
	}
	rcg := resourceJSON(t, res, policy+"/ruleCollectionGroups/DefaultNetworkRuleCollectionGroup")
	if at(rcg, "properties.priority") != 200.0 || at(rcg, "properties.ruleCollections[1].name") != "VnetToInternet" || at(rcg, "properties.ruleCollections[1].priority") != 200.0 ||
		at(rcg, "properties.ruleCollections[0].rules[0].sourceAddresses[0]") != "10.1.0.0/16" || at(rcg, "properties.ruleCollections[1].rules[0].destinationPorts[1]") != "443" {
		t.Errorf("network rule collection group = %v", rcg)
	}
	adls, blob := "adls"+UniqueString(rgID), "blob"+UniqueString(rgID)
	for _, pe := range []struct{ name, addr, zone, record string }{
		{"AdlsStorageAccountAdlsPrivateEndpoint", "192.168.1.4", "privatelink.dfs.core.windows.net", adls},
		{"AdlsStorageAccountBlobPrivateEndpoint", "192.168.1.5", "privatelink.blob.core.windows.net", adls},
		{"BlobStorageAccountBlobPrivateEndpoint", "192.168.1.6", "privatelink.blob.core.windows.net", blob},
	} {
		id := netID("Microsoft.Network/privateEndpoints", pe.name)
		p := resourceJSON(t, res, id)
		if at(p, "properties.ipConfigurations[0].properties.privateIPAddress") != pe.addr || at(p, "properties.customDnsConfigs[0].ipAddresses[0]") != pe.addr {
			t.Errorf("%s = %v", pe.name, p)
		}
		predicted(t, res, id, pe.addr)
		rec := resourceJSON(t, res, netID("Microsoft.Network/privateDnsZones", pe.zone)+"/A/"+pe.record)
		if at(rec, "properties.aRecords[0].ipv4Address") != pe.addr {
			t.Errorf("record %s/%s = %v", pe.zone, pe.record, rec)
		}
	}
	if n := at(resourceJSON(t, res, netID("Microsoft.Network/privateDnsZones", "privatelink.blob.core.windows.net")), "properties.numberOfRecordSets"); n != 3.0 {
		t.Errorf("blob zone numberOfRecordSets = %v", n)
	}
	for _, l := range []string{"LinkToProductionVNet", "LinkToHubVnet", "LinkToDevelopmentVNet"} {
		link := resourceJSON(t, res, netID("Microsoft.Network/privateDnsZones/virtualNetworkLinks", "contoso.corp", l))
		if at(link, "properties.registrationEnabled") != true {
			t.Errorf("%s = %v", l, link)
		}
	}
	dnat := netID("Microsoft.Network/firewallPolicies/ruleCollectionGroups", "HubFirewallPolicy", "DefaultDnatRuleCollectionGroup")
	firewallPIP := netID("Microsoft.Network/publicIPAddresses", "HubFirewallPublicIP")
	wantMissing(t, res, map[string]string{
		// The DNAT rules' destination is the firewall's public address.
		dnat:        `properties.ruleCollections[0].rules[0].destinationAddresses[0] = [reference(resourceId('Microsoft.Network/publicIPAddresses'`,
		firewallPIP: "ipAddress",
		netID("Microsoft.Network/publicIPAddresses", "bastion"+UniqueString(rgID)+"PublicIp"): "ipAddress",
	})
	if got := at(resourceJSON(t, res, netID("Microsoft.Network/networkInterfaces", "DevVmNic")), "properties.ipConfigurations[0].properties.privateIPAddress"); got != "10.0.0.4" {
		t.Errorf("DevVmNic address %v", got)
	}
	wantSkipped(t, res, map[string]int{
		"Microsoft.Authorization/roleAssignments": 4, "Microsoft.Compute/virtualMachines": 2, "Microsoft.Compute/virtualMachines/extensions": 8,
		"Microsoft.Insights/diagnosticSettings": 4, "Microsoft.Network/bastionHosts": 1, "Microsoft.OperationalInsights/workspaces": 1,
		"Microsoft.OperationalInsights/workspaces/dataSources": 11, "Microsoft.OperationsManagement/solutions": 2, "Microsoft.Storage/storageAccounts": 2,
	})
	lr, _ := load(t, res)
	wantMissingRefs(t, lr, res, firewallPIP)
}

func TestTemplateAMLWorkspaceVNet(t *testing.T) {
	res := evalShared(t, "aml-workspace-vnet")
	suffix := UniqueString(rgID, "GEN-UNIQUE-10")
	vnetID := netID("Microsoft.Network/virtualNetworks", "vn"+suffix)
	subnet := resourceJSON(t, res, vnetID+"/subnets/sn"+suffix)
	if at(subnet, "properties.addressPrefix") != "10.0.0.0/24" || at(subnet, "properties.serviceEndpoints[2].service") != "Microsoft.ContainerRegistry" {
		t.Errorf("subnet = %v", subnet)
	}
	peID := netID("Microsoft.Network/privateEndpoints", "GEN-UNIQUE-10-PrivateEndpoint")
	pe := resourceJSON(t, res, peID)
	wsID := "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/vnetpath/providers/Microsoft.MachineLearningServices/workspaces/GEN-UNIQUE-10"
	// A workspace endpoint takes three addresses (reference §6.1).
	if at(pe, "location") != "westcentralus" || at(pe, "properties.privateLinkServiceConnections[0].properties.privateLinkServiceId") != wsID ||
		at(pe, "properties.ipConfigurations[2].properties.privateIPAddress") != "10.0.0.6" || at(pe, "properties.customDnsConfigs") != nil {
		t.Errorf("private endpoint = %v", pe)
	}
	predicted(t, res, peID, "10.0.0.4, 10.0.0.5, 10.0.0.6")
	linkName := UniqueString(vnetID)
	for _, zone := range []string{"privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"} {
		zoneID := netID("Microsoft.Network/privateDnsZones", zone)
		if n := at(resourceJSON(t, res, zoneID), "properties.numberOfRecordSets"); n != nil {
			t.Errorf("%s has a record count %v although its records cannot be named", zone, n)
		}
		if got := at(resourceJSON(t, res, zoneID+"/virtualNetworkLinks/"+linkName), "properties.virtualNetwork.id"); got != vnetID {
			t.Errorf("%s link to %v", zone, got)
		}
	}
	wantMissing(t, res, map[string]string{
		wsID:                                   "workspaceId is not known before deployment",
		peID + "/privateDnsZoneGroups/default": "made of its workspaceId",
	})
	wantSkipped(t, res, map[string]int{"Microsoft.Storage/storageAccounts": 1, "Microsoft.KeyVault/vaults": 1, "Microsoft.ContainerRegistry/registries": 1, "Microsoft.Insights/components": 1})
	lr, _ := load(t, res)
	wantMissingRefs(t, lr, res)
	if _, ok := lr.Snapshot.PrivateEndpoint(peID); !ok {
		t.Error("the loaded snapshot has no private endpoint")
	}
}

func TestTemplateAMLEndToEndSecure(t *testing.T) {
	res := evalShared(t, "aml-end-to-end-secure")
	suffix := UniqueString(rgID)[:4]
	name := "gen-unique-6-" + suffix
	vnetID := netID("Microsoft.Network/virtualNetworks", "vnet-"+name)
	nsgID := netID("Microsoft.Network/networkSecurityGroups", "nsg-"+name)
	vnet := resourceJSON(t, res, vnetID)
	if at(vnet, "properties.subnets[0].name") != "snet-training" || at(vnet, "properties.subnets[0].properties.networkSecurityGroup.id") != nsgID ||
		at(vnet, "properties.subnets[1].properties.addressPrefix") != "192.168.1.0/24" {
		t.Errorf("VNet = %v", vnet)
	}
	nsg := resourceJSON(t, res, nsgID)
	if at(nsg, "properties.securityRules[5].properties.destinationAddressPrefix") != "Storage.westeurope" || len(at(nsg, "properties.securityRules").([]any)) != 9 {
		t.Errorf("NSG = %v", nsg)
	}
	if got := at(resourceJSON(t, res, vnetID+"/subnets/AzureBastionSubnet"), "properties.addressPrefix"); got != "192.168.250.0/27" {
		t.Errorf("bastion subnet %v", got)
	}
	// The endpoints in snet-training, in deployment order: key vault,
	// storage blob and file, registry (two addresses), workspace (three).
	zone := func(z string) string { return netID("Microsoft.Network/privateDnsZones", z) }
	for _, pe := range []struct{ name, addrs, record string }{
		{"ple-" + name + "-kv", "192.168.0.4", zone("privatelink.vault.azure.net") + "/A/kv-" + name},
		{"ple-" + name + "-st-blob", "192.168.0.5", zone("privatelink.blob.core.windows.net") + "/A/stgenunique6" + suffix},
		{"ple-" + name + "-st-file", "192.168.0.6", zone("privatelink.file.core.windows.net") + "/A/stgenunique6" + suffix},
		{"ple-" + name + "-cr", "192.168.0.7, 192.168.0.8", zone("privatelink.azurecr.io") + "/A/crgenunique6" + suffix + ".westeurope.data"},
		{"ple-" + name + "-mlw", "192.168.0.9, 192.168.0.10, 192.168.0.11", ""},
	} {
		id := netID("Microsoft.Network/privateEndpoints", pe.name)
		resourceJSON(t, res, id)
		predicted(t, res, id, pe.addrs)
		if pe.record != "" {
			last := pe.addrs[strings.LastIndex(pe.addrs, " ")+1:]
			if got := at(resourceJSON(t, res, pe.record), "properties.aRecords[0].ipv4Address"); got != last {
				t.Errorf("%s = %v, want %s", pe.record, got, last)
			}
		}
	}
	wantMissing(t, res, map[string]string{
		"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/vnetpath/providers/Microsoft.MachineLearningServices/workspaces/mlw-" + name: "workspaceId",
		// The compute cluster takes addresses in snet-training before the jump box.
		netID("Microsoft.Network/networkInterfaces", "vm-"+name+"-nic"):                                                          `Microsoft.MachineLearningServices/workspaces/computes "mlw-` + name + `/cluster001" also takes addresses in subnet vnet-` + name + "/snet-training",
		netID("Microsoft.Network/publicIPAddresses", "pip-bastion"):                                                              "ipAddress",
		netID("Microsoft.Network/privateEndpoints/privateDnsZoneGroups", "ple-"+name+"-mlw", "amlworkspace-PrivateDnsZoneGroup"): "workspaceId",
	})
	wantSkipped(t, res, map[string]int{
		"Microsoft.Compute/virtualMachines": 1, "Microsoft.Compute/virtualMachines/extensions": 1, "Microsoft.ContainerRegistry/registries": 1,
		"Microsoft.ContainerService/managedClusters": 1, "Microsoft.Insights/components": 1, "Microsoft.KeyVault/vaults": 1,
		"Microsoft.MachineLearningServices/workspaces/computes": 3, "Microsoft.Network/bastionHosts": 1, "Microsoft.OperationalInsights/workspaces": 1,
		"Microsoft.Storage/storageAccounts": 1,
	})
	lr, _ := load(t, res)
	wantMissingRefs(t, lr, res)
	if got := len(slices.Collect(lr.Snapshot.PrivateEndpoints())); got != 5 {
		t.Errorf("loaded %d private endpoints", got)
	}
}
