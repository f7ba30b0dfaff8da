package estategen

import (
	"net/netip"
	"strconv"

	"go4.org/netipx"
)

// privateZones are the privatelink zones of the estate (reference §5.3,
// §6.1), all linked to vnet-hub-0.
var privateZones = []string{
	"privatelink.api.azureml.ms",
	"privatelink.azurecr.io",
	"privatelink.blob.core.windows.net",
	"privatelink.file.core.windows.net",
	"privatelink.notebooks.azure.net",
	"privatelink.vaultcore.azure.net",
}

// Hub-0 layout, as offsets from 172.16.0.0.
const (
	hubFirewallSubnet = "AzureFirewallSubnet"
	hubGatewaySubnet  = "GatewaySubnet"
	onPremDNS1        = "192.168.10.4"
	onPremDNS2        = "192.168.10.5"
	onPremDomain      = "corp.contoso.example."
)

// hubSpokes returns the first and last+1 spoke of hub k.
func (e *Estate) hubSpokes(k int) (lo, hi int) {
	n := len(e.spokes)
	lo = (k*n + e.hubs - 1) / e.hubs
	hi = ((k+1)*n + e.hubs - 1) / e.hubs
	return lo, hi
}

// spokeAggregates returns the fewest prefixes covering the spokes of hub k.
func (e *Estate) spokeAggregates(k int) []string {
	lo, hi := e.hubSpokes(k)
	if lo >= hi {
		return nil
	}
	var b netipx.IPSetBuilder
	b.AddRange(netipx.IPRangeFrom(addrFrom(spokeBase(lo)), addrFrom(spokeBase(hi)-1)))
	return prefixStrings(&b)
}

// spokeSources returns the addresses of IP group ipg-spokes: every spoke's
// range but those of spokes with FaultFirewallRuleMissing.
func (e *Estate) spokeSources() []string {
	if len(e.spokes) == 0 {
		return []string{"10.0.0.0/8"}
	}
	var b netipx.IPSetBuilder
	b.AddRange(netipx.IPRangeFrom(addrFrom(spokeBase(0)), addrFrom(spokeBase(len(e.spokes))-1)))
	for _, f := range e.faults {
		if f.Kind == FaultFirewallRuleMissing {
			b.RemovePrefix(netip.MustParsePrefix(spokePrefix(f.Spoke)))
		}
	}
	return prefixStrings(&b)
}

func prefixStrings(b *netipx.IPSetBuilder) []string {
	set, _ := b.IPSet() // a builder of plain ranges has no errors
	var out []string
	for _, p := range set.Prefixes() {
		out = append(out, p.String())
	}
	return out
}

// hubRoutes returns the routes of hub k's transit route table (k ≥ 1), or
// of hub 0's firewall subnet: traffic for hubs further down the chain and
// their spokes goes to the next hub's appliance, and (for k ≥ 1) the rest
// to the previous hub's appliance or the firewall.
func (e *Estate) hubRoutes(k int) []routeSpec {
	var routes []routeSpec
	if k == 0 {
		routes = append(routes, routeSpec{name: "default-to-internet", prefix: "0.0.0.0/0", hopType: "Internet"})
	} else {
		hop := fwIP
		if k > 1 {
			hop = nvaIP(k-1, 0)
		}
		routes = append(routes, routeSpec{name: "default-to-" + hubName(k-1), prefix: "0.0.0.0/0", hopType: "VirtualAppliance", hopIP: hop})
	}
	if k+1 < e.hubs {
		next := nvaIP(k+1, 0)
		for j := k + 1; j < e.hubs; j++ {
			if j > k+1 {
				routes = append(routes, routeSpec{name: "to-" + hubName(j), prefix: hubPrefix(j), hopType: "VirtualAppliance", hopIP: next})
			}
			for n, p := range e.spokeAggregates(j) {
				routes = append(routes, routeSpec{name: "spokes-of-" + hubName(j) + "-" + strconv.Itoa(n+1), prefix: p, hopType: "VirtualAppliance", hopIP: next})
			}
		}
	}
	return routes
}

// connectivity renders the connectivity subscription: hubs, firewall,
// gateway, resolver, private DNS.
func (e *Estate) connectivity() *unit {
	u := newUnit(subscriptionDir(0))
	e.hubVNets(u)
	e.hubNSGsAndRoutes(u)
	e.hubNICs(u)
	e.firewall(u)
	e.gateway(u)
	e.resolver(u)
	e.privateDNS(u)
	return u
}

func (e *Estate) hubVNets(u *unit) {
	vnets := u.list("virtualNetworks.json")
	for k := range e.hubs {
		id := hubVNetID(k)
		base := hubBase(k)
		var subnets []subnetSpec
		if k == 0 {
			subnets = []subnetSpec{
				{name: hubFirewallSubnet, prefix: pfx(base, 26), rt: routeTableHubID(0, "firewall")},
				{name: hubGatewaySubnet, prefix: pfx(base+64, 27)},
				{name: "snet-dns-in", prefix: pfx(base+96, 28), delegation: "Microsoft.Network/dnsResolvers"},
				{name: "snet-dns-out", prefix: pfx(base+112, 28), delegation: "Microsoft.Network/dnsResolvers"},
				{name: "AzureBastionSubnet", prefix: pfx(base+128, 26)},
				{name: "snet-shared", prefix: pfx(base+256, 24), nsg: nsgHubID(0, "shared"), rt: routeTableHubID(0, "shared")},
			}
			if e.hubs > 1 {
				subnets[2].rt = routeTableHubID(0, "dns")
			}
		} else {
			subnets = []subnetSpec{
				{name: "snet-transit", prefix: pfx(base, 27), nsg: nsgHubID(k, "transit"), rt: routeTableHubID(k, "transit")},
			}
		}
		var peerings []peeringSpec
		for _, j := range []int{k - 1, k + 1} {
			if j >= 0 && j < e.hubs {
				peerings = append(peerings, peeringSpec{name: "peer-to-" + hubName(j), remote: hubVNetID(j), remotePrefixes: []string{hubPrefix(j)}, state: "Connected"})
			}
		}
		lo, hi := e.hubSpokes(k)
		for i := lo; i < hi; i++ {
			switch e.spokes[i].fault {
			case FaultPeeringDisconnected, FaultPeeringInitiated:
				continue // the hub's half is missing
			}
			peerings = append(peerings, peeringSpec{name: "peer-to-" + spokeName(i), remote: spokeVNetID(i), remotePrefixes: []string{spokePrefix(i)}, state: "Connected", gatewayTransit: k == 0})
		}
		var dns []string
		if k > 0 {
			dns = []string{resolverIP}
		}
		u.vnet(vnets, id, []string{hubPrefix(k)}, dns, subnets, peerings)
	}
}

func routeTableHubID(k int, what string) string {
	return connRG + "routeTables/rt-" + hubName(k) + "-" + what
}

func nsgHubID(k int, what string) string {
	return connRG + "networkSecurityGroups/nsg-" + hubName(k) + "-" + what
}

func (e *Estate) hubNSGsAndRoutes(u *unit) {
	rts := u.list("routeTables.json")
	nsgs := u.list("networkSecurityGroups.json")
	hub0 := hubVNetID(0) + "/subnets/"
	u.routeTable(rts, routeTableHubID(0, "firewall"), false, e.hubRoutes(0), []string{hub0 + hubFirewallSubnet})
	u.routeTable(rts, routeTableHubID(0, "shared"), true, []routeSpec{{name: "default-to-fw", prefix: "0.0.0.0/0", hopType: "VirtualAppliance", hopIP: fwIP}}, []string{hub0 + "snet-shared"})
	if e.hubs > 1 {
		// replies of the resolver to spokes of other hubs
		u.routeTable(rts, routeTableHubID(0, "dns"), true, e.hubRoutes(0)[1:], []string{hub0 + "snet-dns-in"})
	}
	one := func(s string) []string { return []string{s} }
	u.nsg(nsgs, nsgHubID(0, "shared"), []nsgRule{
		{name: "AllowBastionInbound", prio: 100, dir: "Inbound", access: "Allow", proto: "Tcp", src: one(pfx(hubBase(0)+128, 26)), dst: one("VirtualNetwork"), ports: []string{"22", "3389"}},
		{name: "AllowOnPremAdminInbound", prio: 110, dir: "Inbound", access: "Allow", proto: "Tcp", src: e.onPrem, dst: one("VirtualNetwork"), ports: []string{"22", "3389"}},
		{name: "DenyInternetInbound", prio: 4000, dir: "Inbound", access: "Deny", proto: "*", src: one("Internet"), dst: one("*"), ports: one("*")},
	}, []string{hub0 + "snet-shared"})
	for k := 1; k < e.hubs; k++ {
		sub := hubVNetID(k) + "/subnets/snet-transit"
		u.routeTable(rts, routeTableHubID(k, "transit"), true, e.hubRoutes(k), []string{sub})
		u.nsg(nsgs, nsgHubID(k, "transit"), []nsgRule{
			{name: "AllowPrivateInbound", desc: "traffic the appliances forward", prio: 100, dir: "Inbound", access: "Allow", proto: "*", src: []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"}, dst: one("*"), ports: one("*")},
			{name: "DenyInternetInbound", prio: 4000, dir: "Inbound", access: "Deny", proto: "*", src: one("Internet"), dst: one("*"), ports: one("*")},
		}, []string{sub})
	}
}

func (e *Estate) hubNICs(u *unit) {
	nics := u.list("networkInterfaces.json")
	vm := subscriptionID(0) + "/resourceGroups/" + rgConn + "/providers/Microsoft.Compute/virtualMachines/"
	u.nic(nics, nicSpec{id: connRG + "networkInterfaces/nic-vm-jump-0", vm: vm + "vm-jump-0", ipconfigs: []ipConfigSpec{
		{name: "ipconfig1", ip: jumpIP, subnet: hubVNetID(0) + "/subnets/snet-shared", primary: true},
	}})
	for k := 1; k < e.hubs; k++ {
		for j := range 2 {
			name := "nva-" + hubName(k) + "-" + string(rune('a'+j))
			u.nic(nics, nicSpec{id: connRG + "networkInterfaces/nic-" + name, vm: vm + name, forwarding: true, accel: true, ipconfigs: []ipConfigSpec{
				{name: "ipconfig1", ip: nvaIP(k, j), subnet: hubVNetID(k) + "/subnets/snet-transit", primary: true},
			}})
		}
	}
}

// publicIP writes a public IP as `az network public-ip list` prints it.
func (u *unit) publicIP(e *enc, id, addr, ipConfig string) {
	u.counts[typePublicIP]++
	e.obj("")
	e.etag(id)
	e.s("id", id)
	e.n("idleTimeoutInMinutes", 4)
	e.s("ipAddress", addr)
	e.ref("ipConfiguration", ipConfig)
	e.strs("ipTags")
	e.s("location", location)
	e.s("name", nameOf(id))
	e.s("provisioningState", "Succeeded")
	e.s("publicIPAddressVersion", "IPv4")
	e.s("publicIPAllocationMethod", "Static")
	e.s("resourceGroup", resourceGroupOf(id))
	e.guid("resourceGuid", 'g', id)
	e.obj("sku")
	e.s("name", "Standard")
	e.s("tier", "Regional")
	e.end()
	e.s("type", typePublicIP)
	e.strs("zones", "1", "2", "3")
	e.end()
}

func (e *Estate) firewall(u *unit) {
	pips := u.list("publicIPAddresses.json")
	pip := connRG + "publicIPAddresses/pip-fw-hub-0"
	ipc := firewallID + "/azureFirewallIpConfigurations/ipconfig-fw"
	u.publicIP(pips, pip, "51.105.0.10", ipc)

	u.counts[typeFirewall]++
	f := u.list("azureFirewalls.json")
	f.obj("")
	f.obj("additionalProperties")
	f.end()
	f.strs("applicationRuleCollections")
	f.etag(firewallID)
	f.ref("firewallPolicy", firewallPolicyID)
	f.s("id", firewallID)
	f.arr("ipConfigurations")
	f.obj("")
	f.etag(ipc)
	f.s("id", ipc)
	f.s("name", "ipconfig-fw")
	f.s("privateIPAddress", fwIP)
	f.s("provisioningState", "Succeeded")
	f.ref("publicIPAddress", pip)
	f.s("resourceGroup", rgConn)
	f.ref("subnet", hubVNetID(0)+"/subnets/"+hubFirewallSubnet)
	f.s("type", "Microsoft.Network/azureFirewalls/azureFirewallIpConfigurations")
	f.end()
	f.end()
	f.s("location", location)
	f.s("name", nameOf(firewallID))
	f.strs("natRuleCollections")
	f.strs("networkRuleCollections")
	f.s("provisioningState", "Succeeded")
	f.s("resourceGroup", rgConn)
	f.obj("sku")
	f.s("name", "AZFW_VNet")
	f.s("tier", "Standard")
	f.end()
	f.s("threatIntelMode", "Alert")
	f.s("type", typeFirewall)
	f.strs("zones", "1", "2", "3")
	f.end()

	groups := []string{"rcg-deny", "rcg-platform", "rcg-spokes", "rcg-apps"}
	u.counts[typeFirewallPolicy]++
	p := u.list("firewallPolicies.json")
	p.obj("")
	p.strs("childPolicies")
	p.obj("dnsSettings")
	p.b("enableProxy", true)
	p.strs("servers")
	p.end()
	p.etag(firewallPolicyID)
	p.refs("firewalls", firewallID)
	p.s("id", firewallPolicyID)
	p.s("location", location)
	p.s("name", nameOf(firewallPolicyID))
	p.s("provisioningState", "Succeeded")
	p.s("resourceGroup", rgConn)
	p.arr("ruleCollectionGroups")
	for _, g := range groups {
		p.ref("", firewallPolicyID+"/ruleCollectionGroups/"+g)
	}
	p.end()
	p.obj("sku")
	p.s("tier", "Standard")
	p.end()
	p.s("threatIntelMode", "Alert")
	p.s("type", typeFirewallPolicy)
	p.end()

	// IP groups
	ipg := u.list("ipGroups.json")
	var hubs []string
	for k := range e.hubs {
		hubs = append(hubs, hubPrefix(k))
	}
	for _, g := range []struct {
		id    string
		addrs []string
	}{{ipGroupHubsID, hubs}, {ipGroupOnPremID, e.onPrem}, {ipGroupSpokesID, e.spokeSources()}} {
		u.counts[typeIPGroup]++
		ipg.obj("")
		ipg.etag(g.id)
		ipg.refs("firewallPolicies", firewallPolicyID)
		ipg.strs("firewalls")
		ipg.s("id", g.id)
		ipg.strs("ipAddresses", g.addrs...)
		ipg.s("location", location)
		ipg.s("name", nameOf(g.id))
		ipg.s("provisioningState", "Succeeded")
		ipg.s("resourceGroup", rgConn)
		ipg.s("type", typeIPGroup)
		ipg.end()
	}

	// rule collection groups (reference §7.1, §7.2, §6.3)
	internal := []string{ipGroupSpokesID, ipGroupHubsID}
	rcg := u.list("firewallPolicies-ruleCollectionGroups.json")
	tag := func(name string, proto []string, dst string, ports ...string) fwRule {
		return fwRule{name: name, protos: proto, srcGroups: internal, dst: []string{dst}, ports: ports}
	}
	tcp, udp, anyProto := []string{"TCP"}, []string{"UDP"}, []string{"Any"}
	https := []appProto{{"Https", 443}}
	u.ruleCollectionGroup(rcg, "rcg-deny", 100, []fwCollection{
		{name: "deny-known-bad", prio: 100, action: "Deny", rules: []fwRule{
			{name: "deny-documentation-nets", protos: anyProto, srcGroups: internal, dst: []string{"198.51.100.0/24", "203.0.113.0/24"}, ports: []string{"*"}},
			{name: "deny-smb-out", protos: tcp, src: []string{"*"}, dst: []string{"*"}, ports: []string{"445", "139"}},
		}},
	})
	u.ruleCollectionGroup(rcg, "rcg-platform", 200, []fwCollection{
		{name: "allow-azure-ml", prio: 200, action: "Allow", rules: []fwRule{
			tag("allow-entra", tcp, "AzureActiveDirectory", "80", "443"),
			tag("allow-arm", tcp, "AzureResourceManager", "443"),
			tag("allow-azureml", tcp, "AzureMachineLearning", "443"),
			tag("allow-azureml-ci", tcp, "AzureMachineLearning", "8787", "18881"),
			tag("allow-azureml-ci-udp", udp, "AzureMachineLearning", "5831"),
			tag("allow-batch", anyProto, "BatchNodeManagement."+tagRegion, "443"),
			tag("allow-storage", tcp, "Storage."+tagRegion, "443"),
			tag("allow-mcr", tcp, "MicrosoftContainerRegistry", "443"),
			tag("allow-frontdoor-firstparty", tcp, "AzureFrontDoor.FirstParty", "443"),
			tag("allow-frontdoor-frontend", tcp, "AzureFrontDoor.Frontend", "443"),
			tag("allow-monitor", tcp, "AzureMonitor", "443"),
		}},
		{name: "allow-infrastructure", prio: 300, action: "Allow", rules: []fwRule{
			{name: "allow-ntp", protos: udp, srcGroups: internal, fqdns: []string{"time.windows.com"}, ports: []string{"123"}},
			{name: "allow-kms", protos: tcp, srcGroups: internal, fqdns: []string{"azkms.core.windows.net", "kms.core.windows.net"}, ports: []string{"1688"}},
			{name: "allow-onprem-dns", protos: anyProto, src: []string{hubPrefix(0)}, dst: []string{onPremDNS1, onPremDNS2}, ports: []string{"53"}},
		}},
	})
	u.ruleCollectionGroup(rcg, "rcg-spokes", 300, []fwCollection{
		{name: "allow-spoke-to-spoke", prio: 100, action: "Allow", rules: []fwRule{
			{name: "spokes", protos: anyProto, srcGroups: []string{ipGroupSpokesID}, dstGroups: []string{ipGroupSpokesID}, ports: []string{"*"}},
			{name: "hubs-to-spokes", protos: anyProto, srcGroups: []string{ipGroupHubsID}, dstGroups: []string{ipGroupSpokesID}, ports: []string{"*"}},
		}},
		{name: "allow-onprem", prio: 200, action: "Allow", rules: []fwRule{
			{name: "spokes-to-onprem", protos: tcp, srcGroups: []string{ipGroupSpokesID}, dstGroups: []string{ipGroupOnPremID}, ports: []string{"443", "1433", "22", "3389"}},
			{name: "onprem-to-spokes", protos: tcp, srcGroups: []string{ipGroupOnPremID}, dstGroups: []string{ipGroupSpokesID}, ports: []string{"443", "8443", "8080-8090"}},
		}},
	})
	u.ruleCollectionGroup(rcg, "rcg-apps", 400, []fwCollection{
		{name: "allow-ml-fqdns", prio: 100, action: "Allow", rules: []fwRule{
			{name: "entra-and-arm", app: true, srcGroups: internal, appProtos: []appProto{{"Http", 80}, {"Https", 443}}, fqdns: []string{"login.microsoftonline.com", "login.windows.net", "management.azure.com", "graph.microsoft.com"}},
			{name: "azureml", app: true, srcGroups: internal, appProtos: https, fqdns: []string{"*.api.azureml.ms", "*.notebooks.azure.net", "*.instances.azureml.ms", "*.aznbcontent.net", "*.inference.ml.azure.com", "ml.azure.com"}},
			{name: "mcr", app: true, srcGroups: internal, appProtos: https, fqdns: []string{"mcr.microsoft.com", "*.data.mcr.microsoft.com"}},
		}},
		{name: "allow-packages", prio: 200, action: "Allow", rules: []fwRule{
			{name: "python", app: true, srcGroups: []string{ipGroupSpokesID}, appProtos: https, fqdns: []string{"pypi.org", "files.pythonhosted.org", "*.anaconda.com", "*.anaconda.org", "conda.anaconda.org"}},
		}},
	})
}

type fwRule struct {
	name                 string
	app                  bool
	protos               []string
	appProtos            []appProto
	src, dst             []string
	srcGroups, dstGroups []string
	fqdns                []string
	ports                []string
}

type appProto struct {
	typ  string
	port int
}

type fwCollection struct {
	name   string
	prio   int
	action string
	rules  []fwRule
}

// ruleCollectionGroup writes a group as `az network firewall policy
// rule-collection-group list` prints it.
func (u *unit) ruleCollectionGroup(e *enc, name string, prio int, cols []fwCollection) {
	u.counts[typeRCG]++
	id := firewallPolicyID + "/ruleCollectionGroups/" + name
	e.obj("")
	e.etag(id)
	e.s("id", id)
	e.s("name", name)
	e.n("priority", prio)
	e.s("provisioningState", "Succeeded")
	e.s("resourceGroup", rgConn)
	e.arr("ruleCollections")
	for _, c := range cols {
		e.obj("")
		e.obj("action")
		e.s("type", c.action)
		e.end()
		e.s("name", c.name)
		e.n("priority", c.prio)
		e.s("ruleCollectionType", "FirewallPolicyFilterRuleCollection")
		e.arr("rules")
		for _, r := range c.rules {
			e.obj("")
			e.null("description")
			e.strs("destinationAddresses", r.dst...)
			if r.app {
				e.strs("fqdnTags")
				e.strs("httpHeadersToInsert")
				e.s("name", r.name)
				e.arr("protocols")
				for _, p := range r.appProtos {
					e.obj("")
					e.n("port", p.port)
					e.s("protocolType", p.typ)
					e.end()
				}
				e.end()
				e.s("ruleType", "ApplicationRule")
				e.strs("sourceAddresses", r.src...)
				e.strs("sourceIpGroups", r.srcGroups...)
				e.strs("targetFqdns", r.fqdns...)
				e.strs("targetUrls")
				e.b("terminateTLS", false)
				e.strs("webCategories")
			} else {
				e.strs("destinationFqdns", r.fqdns...)
				e.strs("destinationIpGroups", r.dstGroups...)
				e.strs("destinationPorts", r.ports...)
				e.strs("ipProtocols", r.protos...)
				e.s("name", r.name)
				e.s("ruleType", "NetworkRule")
				e.strs("sourceAddresses", r.src...)
				e.strs("sourceIpGroups", r.srcGroups...)
			}
			e.end()
		}
		e.end()
		e.end()
	}
	e.end()
	e.s("type", "Microsoft.Network/FirewallPolicies/RuleCollectionGroups")
	e.end()
}

func (e *Estate) gateway(u *unit) {
	pips := u.list("publicIPAddresses.json")
	pip := connRG + "publicIPAddresses/pip-vgw-hub-0"
	ipc := gatewayID + "/ipConfigurations/vnetGatewayConfig"
	u.publicIP(pips, pip, "51.105.0.20", ipc)
	bgpIP := ip(hubBase(0) + 94)

	u.counts[typeGateway]++
	g := u.list("virtualNetworkGateways.json")
	g.obj("")
	g.b("activeActive", false)
	g.b("allowRemoteVnetTraffic", false)
	g.b("allowVirtualWanTraffic", false)
	g.obj("bgpSettings")
	g.n("asn", 65515)
	g.s("bgpPeeringAddress", bgpIP)
	g.arr("bgpPeeringAddresses")
	g.obj("")
	g.strs("customBgpIpAddresses")
	g.strs("defaultBgpIpAddresses", bgpIP)
	g.s("ipconfigurationId", ipc)
	g.strs("tunnelIpAddresses", "51.105.0.20")
	g.end()
	g.end()
	g.n("peerWeight", 0)
	g.end()
	g.b("disableIPSecReplayProtection", false)
	g.b("enableBgp", false)
	g.b("enableBgpRouteTranslationForNat", false)
	g.b("enablePrivateIpAddress", false)
	g.etag(gatewayID)
	g.s("gatewayType", "Vpn")
	g.s("id", gatewayID)
	g.arr("ipConfigurations")
	g.obj("")
	g.etag(ipc)
	g.s("id", ipc)
	g.s("name", "vnetGatewayConfig")
	g.s("privateIPAllocationMethod", "Dynamic")
	g.s("provisioningState", "Succeeded")
	g.ref("publicIPAddress", pip)
	g.s("resourceGroup", rgConn)
	g.ref("subnet", hubVNetID(0)+"/subnets/"+hubGatewaySubnet)
	g.end()
	g.end()
	g.s("location", location)
	g.s("name", nameOf(gatewayID))
	g.strs("natRules")
	g.s("provisioningState", "Succeeded")
	g.s("resourceGroup", rgConn)
	g.guid("resourceGuid", 'g', gatewayID)
	g.obj("sku")
	g.n("capacity", 2)
	g.s("name", "VpnGw2AZ")
	g.s("tier", "VpnGw2AZ")
	g.end()
	g.s("type", typeGateway)
	g.s("vpnGatewayGeneration", "Generation2")
	g.s("vpnType", "RouteBased")
	g.end()

	u.counts[typeLocalGateway]++
	l := u.list("localNetworkGateways.json")
	l.obj("")
	l.etag(localGatewayID)
	l.s("gatewayIpAddress", "203.0.113.10")
	l.s("id", localGatewayID)
	l.obj("localNetworkAddressSpace")
	l.strs("addressPrefixes", e.onPrem...)
	l.end()
	l.s("location", location)
	l.s("name", nameOf(localGatewayID))
	l.s("provisioningState", "Succeeded")
	l.s("resourceGroup", rgConn)
	l.guid("resourceGuid", 'g', localGatewayID)
	l.s("type", typeLocalGateway)
	l.end()

	u.counts[typeConnection]++
	c := u.list("connections.json")
	c.obj("")
	c.s("connectionMode", "Default")
	c.s("connectionProtocol", "IKEv2")
	c.s("connectionStatus", "Connected")
	c.s("connectionType", "IPsec")
	c.n("dpdTimeoutSeconds", 45)
	c.n("egressBytesTransferred", 48213377)
	c.b("enableBgp", false)
	c.etag(connectionID)
	c.b("expressRouteGatewayBypass", false)
	c.s("id", connectionID)
	c.n("ingressBytesTransferred", 51120944)
	c.strs("ipsecPolicies")
	c.ref("localNetworkGateway2", localGatewayID)
	c.s("location", location)
	c.s("name", nameOf(connectionID))
	c.s("provisioningState", "Succeeded")
	c.s("resourceGroup", rgConn)
	c.guid("resourceGuid", 'g', connectionID)
	c.n("routingWeight", 0)
	c.null("sharedKey")
	c.strs("trafficSelectorPolicies")
	c.s("type", typeConnection)
	c.b("useLocalAzureIpAddress", false)
	c.b("usePolicyBasedTrafficSelectors", false)
	c.ref("virtualNetworkGateway1", gatewayID)
	c.end()
}

// resolver writes the DNS Private Resolver of hub 0 and its forwarding
// ruleset, linked to vnet-hub-0 only (see the package documentation).
func (e *Estate) resolver(u *unit) {
	in, out := resolverID+"/inboundEndpoints/in-hub-0", resolverID+"/outboundEndpoints/out-hub-0"
	hub0 := hubVNetID(0)
	tail := func(x *enc, id string) {
		x.s("provisioningState", "Succeeded")
		x.s("resourceGroup", rgConn)
		x.guid("resourceGuid", 'g', id)
	}

	u.counts[typeResolver]++
	x := u.list("dnsResolvers.json")
	x.obj("")
	x.s("dnsResolverState", "Connected")
	head(x, resolverID, location)
	tail(x, resolverID)
	x.s("type", typeResolver)
	x.ref("virtualNetwork", hub0)
	x.end()

	u.counts[typeInbound]++
	x = u.list("dnsResolvers-inboundEndpoints.json")
	x.obj("")
	x.etag(in)
	x.s("id", in)
	x.arr("ipConfigurations")
	x.obj("")
	x.s("privateIpAddress", resolverIP)
	x.s("privateIpAllocationMethod", "Static")
	x.ref("subnet", hub0+"/subnets/snet-dns-in")
	x.end()
	x.end()
	x.s("location", location)
	x.s("name", nameOf(in))
	tail(x, in)
	x.s("type", typeInbound)
	x.end()

	u.counts[typeOutbound]++
	x = u.list("dnsResolvers-outboundEndpoints.json")
	x.obj("")
	head(x, out, location)
	tail(x, out)
	x.ref("subnet", hub0+"/subnets/snet-dns-out")
	x.s("type", typeOutbound)
	x.end()

	u.counts[typeRuleset]++
	x = u.list("dnsForwardingRulesets.json")
	x.obj("")
	x.refs("dnsResolverOutboundEndpoints", out)
	head(x, rulesetID, location)
	tail(x, rulesetID)
	x.s("type", typeRuleset)
	x.end()

	u.counts[typeFwdRule]++
	rule := rulesetID + "/forwardingRules/corp-contoso"
	x = u.list("dnsForwardingRulesets-forwardingRules.json")
	x.obj("")
	x.s("domainName", onPremDomain)
	x.etag(rule)
	x.s("forwardingRuleState", "Enabled")
	x.s("id", rule)
	x.null("metadata")
	x.s("name", nameOf(rule))
	x.s("provisioningState", "Succeeded")
	x.s("resourceGroup", rgConn)
	x.arr("targetDnsServers")
	for _, a := range []string{onPremDNS1, onPremDNS2} {
		x.obj("")
		x.s("ipAddress", a)
		x.n("port", 53)
		x.end()
	}
	x.end()
	x.s("type", typeFwdRule)
	x.end()

	u.counts[typeRulesetLink]++
	link := rulesetID + "/virtualNetworkLinks/link-" + hubVNetName(0)
	x = u.list("dnsForwardingRulesets-virtualNetworkLinks.json")
	x.obj("")
	x.etag(link)
	x.s("id", link)
	x.null("metadata")
	x.s("name", nameOf(link))
	x.s("provisioningState", "Succeeded")
	x.s("resourceGroup", rgConn)
	x.s("type", typeRulesetLink)
	x.ref("virtualNetwork", hub0)
	x.end()
}

type record struct {
	name string
	ip   string
}

// privateDNS writes the privatelink zones, their records (workspaces and
// the private endpoints of a tenth of the spokes) and their links: to
// vnet-hub-0, and to every spoke on Azure-provided DNS but where a fault
// leaves one out.
func (e *Estate) privateDNS(u *unit) {
	records := map[string][]record{}
	for _, w := range e.workspaces {
		base := spokeBase(w.spoke)
		ip1, ip2, ip3 := ip(base+wsPEOffset), ip(base+wsPEOffset+1), ip(base+wsPEOffset+2)
		api := "privatelink.api.azureml.ms"
		records[api] = append(records[api],
			record{w.guid + ".workspace." + location, ip1},
			record{w.guid + ".workspace." + location + ".cert", ip1},
			record{"*." + w.guid + ".inference." + location, ip3})
		nb := "privatelink.notebooks.azure.net"
		records[nb] = append(records[nb], record{notebooksName(w) + "." + location, ip2})
	}
	for i, s := range e.spokes {
		if s.pe {
			base := spokeBase(i)
			blob, kv := "privatelink.blob.core.windows.net", "privatelink.vaultcore.azure.net"
			records[blob] = append(records[blob], record{storageAccount(i), ip(base + blobPEOffset)})
			records[kv] = append(records[kv], record{keyVault(i), ip(base + kvPEOffset)})
		}
	}
	links := map[string][]string{} // zone -> linked VNets
	for _, z := range privateZones {
		links[z] = append(links[z], hubVNetID(0))
		for i, s := range e.spokes {
			if s.azureDNS && !(s.fault == FaultZoneNotLinked && z == "privatelink.api.azureml.ms") {
				links[z] = append(links[z], spokeVNetID(i))
			}
		}
	}

	zones := u.list("privateDnsZones.json")
	recs := u.list("privateDnsZones-recordSets.json")
	lks := u.list("privateDnsZones-virtualNetworkLinks.json")
	for _, z := range privateZones {
		id := zoneID(z)
		u.counts[typeZone]++
		zones.obj("")
		zones.etag(id)
		zones.s("id", id)
		zones.s("location", "global")
		zones.n("maxNumberOfRecordSets", 25000)
		zones.n("maxNumberOfVirtualNetworkLinks", 1000)
		zones.n("maxNumberOfVirtualNetworkLinksWithRegistration", 100)
		zones.s("name", z)
		zones.n("numberOfRecordSets", len(records[z])+1)
		zones.n("numberOfVirtualNetworkLinks", len(links[z]))
		zones.n("numberOfVirtualNetworkLinksWithRegistration", 0)
		zones.s("provisioningState", "Succeeded")
		zones.s("resourceGroup", rgDNS)
		zones.s("type", typeZone)
		zones.end()
		// The zone's SOA record set, which Azure creates with the zone and
		// numberOfRecordSets counts.
		soa := id + "/SOA/@"
		recs.obj("")
		recs.etag(soa)
		recs.s("fqdn", z+".")
		recs.s("id", soa)
		recs.b("isAutoRegistered", false)
		recs.s("name", "@")
		recs.s("resourceGroup", rgDNS)
		recs.obj("soaRecord")
		recs.s("email", "azureprivatedns-host.microsoft.com")
		recs.n("expireTime", 2419200)
		recs.s("host", "azureprivatedns.net")
		recs.n("minimumTtl", 10)
		recs.n("refreshTime", 3600)
		recs.n("retryTime", 300)
		recs.n("serialNumber", 1)
		recs.end()
		recs.n("ttl", 3600)
		recs.s("type", "Microsoft.Network/privateDnsZones/SOA")
		recs.end()
		for _, r := range records[z] {
			rid := id + "/A/" + r.name
			u.counts[typeRecordA]++
			recs.obj("")
			recs.arr("aRecords")
			recs.obj("")
			recs.s("ipv4Address", r.ip)
			recs.end()
			recs.end()
			recs.etag(rid)
			recs.s("fqdn", r.name+"."+z+".")
			recs.s("id", rid)
			recs.b("isAutoRegistered", false)
			recs.s("name", r.name)
			recs.s("resourceGroup", rgDNS)
			recs.n("ttl", 10)
			recs.s("type", typeRecordA)
			recs.end()
		}
		for _, vnet := range links[z] {
			lid := id + "/virtualNetworkLinks/link-" + nameOf(vnet)
			u.counts[typeZoneLink]++
			lks.obj("")
			lks.etag(lid)
			lks.s("id", lid)
			lks.s("location", "global")
			lks.s("name", nameOf(lid))
			lks.s("provisioningState", "Succeeded")
			lks.b("registrationEnabled", false)
			lks.s("resolutionPolicy", "Default")
			lks.s("resourceGroup", rgDNS)
			lks.s("type", typeZoneLink)
			lks.ref("virtualNetwork", vnet)
			lks.s("virtualNetworkLinkState", "Completed")
			lks.end()
		}
	}
}
