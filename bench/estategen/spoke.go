package estategen

import (
	"math/rand/v2"
	"strconv"
)

// spokeSubnets are the four subnets of a spoke: name, offset in its /23,
// prefix length.
var spokeSubnets = [...]struct {
	name   string
	offset uint32
	bits   int
}{
	{"snet-app", 0, 25},
	{"snet-data", 128, 26},
	{"snet-pe", 192, 26},
	{"snet-compute", 256, 24},
}

// Addresses inside a spoke, as offsets from its base.
const (
	vmAppOffset  = 4   // first VM NIC, snet-app
	vmDataOffset = 132 // second VM NIC, snet-data
	wsPEOffset   = 196 // workspace private endpoint: API and cert, notebooks, inference
	blobPEOffset = 199
	kvPEOffset   = 200
)

// hop returns the next hop of spoke i's default route: the firewall for
// spokes of hub 0, the first appliance of their hub otherwise.
func (e *Estate) hop(i int) (name, ip string) {
	if k := e.spokes[i].hub; k > 0 {
		return "nva", nvaIP(k, 0)
	}
	return "fw", fwIP
}

// landingZone renders the spokes of subscription k.
func (e *Estate) landingZone(k int) *unit {
	u := newUnit(subscriptionDir(k))
	lo := (k - 1) * SpokesPerSubscription
	hi := min(lo+SpokesPerSubscription, len(e.spokes))
	for i := lo; i < hi; i++ {
		e.renderSpoke(u, i)
	}
	return u
}

func (e *Estate) renderSpoke(u *unit, i int) {
	s := e.spokes[i]
	r := rand.New(rand.NewPCG(s.seed, uint64(i)))
	base := spokeBase(i)
	rg := spokeRG(i)
	vnetID := spokeVNetID(i)
	rtID, nsgID := routeTableID(i), nsgID(i)
	asgWeb, asgDB := rg+"applicationSecurityGroups/asg-"+spokeName(i)+"-web", rg+"applicationSecurityGroups/asg-"+spokeName(i)+"-db"

	// private endpoints
	var pes []string
	var peNICs []nicSpec
	var peSpecs []peSpec
	peSubnet := vnetID + "/subnets/snet-pe"
	if s.ws >= 0 {
		w := e.workspaces[s.ws]
		id := rg + "privateEndpoints/pe-" + w.name
		nic := rg + "networkInterfaces/pe-" + w.name + ".nic." + resourceGUID(id)
		api, cert := w.guid+".workspace."+location+".api.azureml.ms", w.guid+".workspace."+location+".cert.api.azureml.ms"
		nb, inf := notebooksName(w)+"."+location+".notebooks.azure.net", "*."+location+".inference.ml.azure.com"
		ip1, ip2, ip3 := ip(base+wsPEOffset), ip(base+wsPEOffset+1), ip(base+wsPEOffset+2)
		pes = append(pes, id)
		peSpecs = append(peSpecs, peSpec{
			id: id, subnet: peSubnet, nic: nic, target: e.workspaceID(s.ws), group: "amlworkspace",
			configs: []dnsConfig{{api, ip1}, {cert, ip1}, {nb, ip2}, {inf, ip3}},
		})
		peNICs = append(peNICs, nicSpec{id: nic, pe: id, ipconfigs: []ipConfigSpec{
			{name: "privateEndpointIpConfig.amlworkspace-0", ip: ip1, subnet: peSubnet, primary: true, group: "amlworkspace", member: "default", fqdns: []string{api, cert}},
			{name: "privateEndpointIpConfig.amlworkspace-1", ip: ip2, subnet: peSubnet, group: "amlworkspace", member: "notebook", fqdns: []string{nb}},
			{name: "privateEndpointIpConfig.amlworkspace-2", ip: ip3, subnet: peSubnet, group: "amlworkspace", member: "inference", fqdns: []string{inf}},
		}})
	}
	if s.pe {
		for _, t := range []struct{ name, group, target, fqdn string }{
			{"pe-" + storageAccount(i) + "-blob", "blob", storageID(i), storageAccount(i) + ".blob.core.windows.net"},
			{"pe-" + keyVault(i), "vault", keyVaultID(i), keyVault(i) + ".vault.azure.net"},
		} {
			id := rg + "privateEndpoints/" + t.name
			nic := rg + "networkInterfaces/" + t.name + ".nic." + resourceGUID(id)
			off := uint32(blobPEOffset)
			if t.group == "vault" {
				off = kvPEOffset
			}
			addr := ip(base + off)
			pes = append(pes, id)
			peSpecs = append(peSpecs, peSpec{id: id, subnet: peSubnet, nic: nic, target: t.target, group: t.group, configs: []dnsConfig{{t.fqdn, addr}}})
			peNICs = append(peNICs, nicSpec{id: nic, pe: id, ipconfigs: []ipConfigSpec{
				{name: "privateEndpointIpConfig." + t.group, ip: addr, subnet: peSubnet, primary: true, group: t.group, member: t.group, fqdns: []string{t.fqdn}},
			}})
		}
	}

	// the VNet
	subnets := make([]subnetSpec, len(spokeSubnets))
	var subnetIDs []string
	for j, sn := range spokeSubnets {
		subnets[j] = subnetSpec{name: sn.name, prefix: pfx(base+sn.offset, sn.bits), nsg: nsgID, rt: rtID, private: s.private}
		subnetIDs = append(subnetIDs, vnetID+"/subnets/"+sn.name)
	}
	subnets[2].pes = pes
	if s.peNSG {
		subnets[2].pePolicies = "NetworkSecurityGroupEnabled"
	}
	subnets[3].svcEndpoint = s.svcEndpoint
	var dns []string
	if !s.azureDNS {
		dns = []string{resolverIP}
	}
	p := peeringSpec{name: "peer-to-" + hubName(s.hub), remote: hubVNetID(s.hub), remotePrefixes: []string{hubPrefix(s.hub)}, state: "Connected", useRemoteGW: s.hub == 0}
	switch s.fault {
	case FaultPeeringDisconnected:
		p.state, p.useRemoteGW = "Disconnected", false
	case FaultPeeringInitiated:
		p.state, p.useRemoteGW = "Initiated", false
	}
	u.vnet(u.list("virtualNetworks.json"), vnetID, []string{spokePrefix(i)}, dns, subnets, []peeringSpec{p})

	u.routeTable(u.list("routeTables.json"), rtID, s.noProp, e.spokeRoutes(i, r), subnetIDs)
	u.nsg(u.list("networkSecurityGroups.json"), nsgID, e.spokeRules(i, r, asgWeb, asgDB), subnetIDs)

	// application security groups and VM NICs
	asgs := u.list("applicationSecurityGroups.json")
	for _, id := range []string{asgWeb, asgDB} {
		u.counts[typeASG]++
		asgs.obj("")
		head(asgs, id, location)
		asgs.s("provisioningState", "Succeeded")
		asgs.s("resourceGroup", resourceGroupOf(id))
		asgs.guid("resourceGuid", 'g', id)
		asgs.s("type", typeASG)
		asgs.end()
	}
	nics := u.list("networkInterfaces.json")
	vm := subscriptionID(spokeSubscription(i)) + "/resourceGroups/rg-" + spokeName(i) + "/providers/Microsoft.Compute/virtualMachines/vm-" + spokeName(i)
	u.nic(nics, nicSpec{id: rg + "networkInterfaces/nic-vm-" + spokeName(i) + "-1", vm: vm + "-1", accel: true, ipconfigs: []ipConfigSpec{
		{name: "ipconfig1", ip: ip(base + vmAppOffset), subnet: subnetIDs[0], primary: true, asgs: []string{asgWeb}},
	}})
	if s.nics > 1 {
		u.nic(nics, nicSpec{id: rg + "networkInterfaces/nic-vm-" + spokeName(i) + "-2", vm: vm + "-2", accel: true, ipconfigs: []ipConfigSpec{
			{name: "ipconfig1", ip: ip(base + vmDataOffset), subnet: subnetIDs[1], primary: true, asgs: []string{asgDB}},
		}})
	}
	for _, n := range peNICs {
		u.nic(nics, n)
	}
	if len(peSpecs) > 0 {
		pe := u.list("privateEndpoints.json")
		for _, p := range peSpecs {
			u.privateEndpoint(pe, p)
		}
	}
	if s.ws >= 0 {
		e.workspace(u, s.ws)
	}
}

// spokeRoutes returns the routes of spoke i's route table (reference §1.4):
// the default route to its hub's firewall or appliance, the on-premises
// prefixes, other hubs, 15 to 35 other spokes' ranges, on some spokes routes
// written with service tags, and the fault's None route.
func (e *Estate) spokeRoutes(i int, r *rand.Rand) []routeSpec {
	s := e.spokes[i]
	hopName, hopIP := e.hop(i)
	va := func(name, prefix string) routeSpec {
		return routeSpec{name: name, prefix: prefix, hopType: "VirtualAppliance", hopIP: hopIP}
	}
	routes := []routeSpec{va("default-to-"+hopName, "0.0.0.0/0")}
	for j, p := range e.onPrem {
		routes = append(routes, va("onprem-"+strconv.Itoa(j+1), p))
	}
	for k := range e.hubs {
		if k != s.hub {
			routes = append(routes, va("to-"+hubName(k), hubPrefix(k)))
		}
	}
	avoid := -1
	if s.fault == FaultNoneRoute {
		avoid = e.workspaces[0].spoke
	}
	n := len(e.spokes)
	want := min(15+r.IntN(21), n-1)
	seen := map[int]bool{i: true, avoid: true}
	for tries := 0; len(seen)-2 < want && tries < 4*want+8; tries++ {
		j := r.IntN(n)
		if seen[j] {
			continue
		}
		seen[j] = true
		routes = append(routes, va("to-"+spokeName(j), spokePrefix(j)))
	}
	if s.tagRoutes {
		routes = append(routes,
			va("tag-entra-to-"+hopName, "AzureActiveDirectory"),
			va("tag-monitor-to-"+hopName, "AzureMonitor"),
			routeSpec{name: "tag-azureml-internet", prefix: "AzureMachineLearning", hopType: "Internet"},
			routeSpec{name: "tag-batch-internet", prefix: "BatchNodeManagement." + tagRegion, hopType: "Internet"},
		)
	}
	if s.fault == FaultNoneRoute {
		w := e.workspaces[0].spoke
		routes = append(routes, routeSpec{name: "to-" + spokeName(w), prefix: spokePrefix(w), hopType: "None"})
	}
	return routes
}

// spokeRules returns the custom rules of spoke i's NSG: the allow rules its
// workloads need (reference §6.3, §6.4), 30 to 60 in all with rules for
// other spokes' ranges, Deny rules, and on locked spokes a final
// DenyAllOutbound.
func (e *Estate) spokeRules(i int, r *rand.Rand, asgWeb, asgDB string) []nsgRule {
	s := e.spokes[i]
	space := spokePrefix(i)
	tcp := func(name string, prio int, dir string, src, dst []string, ports ...string) nsgRule {
		return nsgRule{name: name, prio: prio, dir: dir, access: "Allow", proto: "Tcp", src: src, dst: dst, ports: ports}
	}
	one := func(s string) []string { return []string{s} }
	any := one("*")
	vnet := one("VirtualNetwork")
	var out []nsgRule
	// outbound
	prio := 100
	next := func() int { prio += 10; return prio - 10 }
	if !s.azureDNS {
		out = append(out, nsgRule{name: "AllowDnsToResolverOutbound", desc: "DNS Private Resolver inbound endpoint", prio: next(), dir: "Outbound", access: "Allow", proto: "*", src: any, dst: one(resolverIP), ports: one("53")})
	} else {
		next()
	}
	if s.fault == FaultNSGDenyARM {
		out = append(out, nsgRule{name: "DenyAzureResourceManagerOutbound", desc: "Block management plane from workloads", prio: 115, dir: "Outbound", access: "Deny", proto: "*", src: any, dst: one("AzureResourceManager"), ports: any})
	}
	out = append(out,
		tcp("AllowEntraOutbound", next(), "Outbound", any, one("AzureActiveDirectory"), "80", "443"),
		tcp("AllowArmOutbound", next(), "Outbound", any, one("AzureResourceManager"), "443"),
		tcp("AllowAzureMLOutbound", next(), "Outbound", any, one("AzureMachineLearning"), "443", "8787", "18881"),
		nsgRule{name: "AllowAzureMLUdpOutbound", desc: "compute instance create, update and delete", prio: next(), dir: "Outbound", access: "Allow", proto: "Udp", src: any, dst: one("AzureMachineLearning"), ports: one("5831")},
		nsgRule{name: "AllowBatchOutbound", prio: next(), dir: "Outbound", access: "Allow", proto: "*", src: any, dst: one("BatchNodeManagement." + tagRegion), ports: one("443")},
		tcp("AllowStorageOutbound", next(), "Outbound", any, one("Storage."+tagRegion), "443", "445"),
		tcp("AllowMcrOutbound", next(), "Outbound", any, one("MicrosoftContainerRegistry"), "443"),
		tcp("AllowFrontDoorFirstPartyOutbound", next(), "Outbound", any, one("AzureFrontDoor.FirstParty"), "443"),
		tcp("AllowFrontDoorFrontendOutbound", next(), "Outbound", any, one("AzureFrontDoor.Frontend"), "443"),
		tcp("AllowMonitorOutbound", next(), "Outbound", any, one("AzureMonitor"), "443"),
		tcp("AllowVnetHttpsOutbound", next(), "Outbound", vnet, vnet, "443"),
		tcp("AllowOnPremOutbound", next(), "Outbound", any, e.onPrem, "443", "1433", "3389"),
		tcp("AllowWebToPartnersOutbound", next(), "Outbound", nil, one("10.0.0.0/8"), "443", "8443"),
	)
	out[len(out)-1].srcASG = asgWeb
	out = append(out,
		nsgRule{name: "DenySmtpOutbound", prio: 3000, dir: "Outbound", access: "Deny", proto: "Tcp", src: any, dst: one("Internet"), ports: one("25")},
		nsgRule{name: "DenyLegacyOnPremOutbound", desc: "decommissioned datacentre range", prio: 3010, dir: "Outbound", access: "Deny", proto: "*", src: any, dst: one("192.168.200.0/24"), ports: any},
	)
	if s.locked {
		out = append(out, nsgRule{name: "DenyAllOutbound", prio: 4096, dir: "Outbound", access: "Deny", proto: "*", src: any, dst: any, ports: any})
	}
	// inbound
	prio = 100
	out = append(out,
		tcp("AllowAzureMLInbound", next(), "Inbound", one("AzureMachineLearning"), vnet, "44224"),
		tcp("AllowBatchNodeManagementInbound", next(), "Inbound", one("BatchNodeManagement."+tagRegion), vnet, "29876-29877"),
		nsgRule{name: "AllowAzureLoadBalancerInbound", prio: next(), dir: "Inbound", access: "Allow", proto: "*", src: one("AzureLoadBalancer"), dst: any, ports: any},
		tcp("AllowJumpBoxInbound", next(), "Inbound", one(jumpIP), vnet, "22", "3389"),
		tcp("AllowWebToDbInbound", next(), "Inbound", nil, nil, "1433", "5432"),
		tcp("AllowOnPremHttpsInbound", next(), "Inbound", e.onPrem, one(space), "443", "8443", "8080-8090"),
		tcp("AllowMonitoringInbound", next(), "Inbound", one(hubPrefix(0)), vnet, "9100", "9182", "5985-5986"),
	)
	out[len(out)-3].srcASG, out[len(out)-3].dstASG = asgWeb, asgDB
	out = append(out,
		nsgRule{name: "DenyRemoteAccessInbound", prio: 3900, dir: "Inbound", access: "Deny", proto: "Tcp", src: any, dst: any, ports: []string{"22", "3389"}},
		nsgRule{name: "DenyInternetInbound", prio: 4000, dir: "Inbound", access: "Deny", proto: "*", src: one("Internet"), dst: any, ports: any},
	)
	// rules for other spokes, up to the spoke's rule count
	inPrio, outPrio := 1000, 1000
	n := len(e.spokes)
	seen := map[string]bool{}
	for len(out) < s.rules && len(seen) < n-1 {
		j := r.IntN(n)
		name := spokeName(j)
		if j == i || seen[name] {
			continue
		}
		seen[name] = true
		peer := one(spokePrefix(j))
		switch r.IntN(6) {
		case 0, 1:
			out = append(out, tcp("AllowFrom-"+name, inPrio, "Inbound", peer, one(space), "443"))
			inPrio += 5
		case 2:
			ru := tcp("AllowFrom-"+name+"-api", inPrio, "Inbound", peer, nil, "8000-8099", "443")
			ru.dstASG = asgWeb
			out = append(out, ru)
			inPrio += 5
		case 3:
			if s.ws >= 0 {
				// a workspace's spoke denies no one: its private
				// endpoint serves every spoke
				continue
			}
			out = append(out, nsgRule{name: "DenyFrom-" + name, desc: "quarantined spoke", prio: inPrio, dir: "Inbound", access: "Deny", proto: "*", src: peer, dst: any, ports: any})
			inPrio += 5
		default:
			out = append(out, tcp("AllowTo-"+name, outPrio, "Outbound", one(space), peer, "443", "1433", "5671-5672"))
			outPrio += 5
		}
	}
	return out
}

func (e *Estate) workspaceID(k int) string {
	w := e.workspaces[k]
	return subscriptionID(spokeSubscription(w.spoke)) + "/resourceGroups/rg-" + spokeName(w.spoke) + "/providers/Microsoft.MachineLearningServices/workspaces/" + w.name
}

func storageAccount(i int) string { return "st" + pad(strconv.Itoa(i), 5) + "spoke" }
func keyVault(i int) string       { return "kv-" + spokeName(i) }
func storageID(i int) string {
	return subscriptionID(spokeSubscription(i)) + "/resourceGroups/rg-" + spokeName(i) + "/providers/Microsoft.Storage/storageAccounts/" + storageAccount(i)
}
func keyVaultID(i int) string {
	return subscriptionID(spokeSubscription(i)) + "/resourceGroups/rg-" + spokeName(i) + "/providers/Microsoft.KeyVault/vaults/" + keyVault(i)
}

// notebooksName is the first label of a workspace's notebooks FQDN,
// "ml-<name>-<region>-<workspaceId>" (reference §6.1); workspace names are
// short enough that it needs no truncation.
func notebooksName(w workspace) string { return "ml-" + w.name + "-" + location + "-" + w.guid }

// workspace writes workspace k, as `az rest` lists workspaces.
func (e *Estate) workspace(u *unit, k int) {
	u.counts[typeWorkspace]++
	w := e.workspaces[k]
	id := e.workspaceID(k)
	rg := subscriptionID(spokeSubscription(w.spoke)) + "/resourceGroups/rg-" + spokeName(w.spoke) + "/providers/"
	pe := spokeRG(w.spoke) + "privateEndpoints/pe-" + w.name
	v := u.value("workspaces.json")
	v.obj("")
	v.s("id", id)
	v.obj("identity")
	v.s("principalId", stamp(id, 'p'))
	v.s("tenantId", "72f988bf-0000-4000-8000-00000000e57a")
	v.s("type", "SystemAssigned")
	v.end()
	v.s("kind", "Default")
	v.s("location", location)
	v.s("name", w.name)
	v.obj("properties")
	v.s("applicationInsights", rg+"Microsoft.Insights/components/appi-"+w.name)
	v.s("containerRegistry", rg+"Microsoft.ContainerRegistry/registries/cr"+w.name[4:]+"ml")
	v.s("discoveryUrl", "https://"+location+".api.azureml.ms/discovery")
	v.s("friendlyName", w.name)
	v.b("hbiWorkspace", false)
	v.s("keyVault", keyVaultID(w.spoke))
	v.obj("managedNetwork")
	v.s("isolationMode", "Disabled")
	v.end()
	v.arr("privateEndpointConnections")
	v.obj("")
	v.s("id", id+"/privateEndpointConnections/pe-"+w.name+"."+stamp(pe, 'c'))
	v.obj("properties")
	v.ref("privateEndpoint", pe)
	v.obj("privateLinkServiceConnectionState")
	v.s("actionsRequired", "None")
	v.s("description", "Auto-Approved")
	v.s("status", "Approved")
	v.end()
	v.s("provisioningState", "Succeeded")
	v.end()
	v.end()
	v.end()
	v.s("provisioningState", "Succeeded")
	v.s("publicNetworkAccess", "Disabled")
	v.s("storageAccount", storageID(w.spoke))
	v.b("v1LegacyMode", false)
	v.s("workspaceId", w.guid)
	v.end()
	v.obj("sku")
	v.s("name", "Basic")
	v.s("tier", "Basic")
	v.end()
	v.obj("tags")
	v.s("owner", "data-science")
	v.end()
	v.s("type", typeWorkspace)
	v.end()
}
