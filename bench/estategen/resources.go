package estategen

import (
	"maps"
	"slices"
)

// Resource types, as counted by [Estate.Counts] (the types of
// topology.Snapshot.Counts).
const (
	typeVNet           = "Microsoft.Network/virtualNetworks"
	typeSubnet         = "Microsoft.Network/virtualNetworks/subnets"
	typePeering        = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings"
	typeRouteTable     = "Microsoft.Network/routeTables"
	typeRoute          = "Microsoft.Network/routeTables/routes"
	typeNSG            = "Microsoft.Network/networkSecurityGroups"
	typeSecurityRule   = "Microsoft.Network/networkSecurityGroups/securityRules"
	typeDefaultRule    = "Microsoft.Network/networkSecurityGroups/defaultSecurityRules"
	typeASG            = "Microsoft.Network/applicationSecurityGroups"
	typeNIC            = "Microsoft.Network/networkInterfaces"
	typeIPConfig       = "Microsoft.Network/networkInterfaces/ipConfigurations"
	typeFirewall       = "Microsoft.Network/azureFirewalls"
	typeFirewallPolicy = "Microsoft.Network/firewallPolicies"
	typeRCG            = "Microsoft.Network/firewallPolicies/ruleCollectionGroups"
	typeIPGroup        = "Microsoft.Network/ipGroups"
	typeGateway        = "Microsoft.Network/virtualNetworkGateways"
	typeLocalGateway   = "Microsoft.Network/localNetworkGateways"
	typeConnection     = "Microsoft.Network/connections"
	typePublicIP       = "Microsoft.Network/publicIPAddresses"
	typePE             = "Microsoft.Network/privateEndpoints"
	typeZone           = "Microsoft.Network/privateDnsZones"
	typeZoneLink       = "Microsoft.Network/privateDnsZones/virtualNetworkLinks"
	typeRecordA        = "Microsoft.Network/privateDnsZones/A"
	typeResolver       = "Microsoft.Network/dnsResolvers"
	typeInbound        = "Microsoft.Network/dnsResolvers/inboundEndpoints"
	typeOutbound       = "Microsoft.Network/dnsResolvers/outboundEndpoints"
	typeRuleset        = "Microsoft.Network/dnsForwardingRulesets"
	typeFwdRule        = "Microsoft.Network/dnsForwardingRulesets/forwardingRules"
	typeRulesetLink    = "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks"
	typeWorkspace      = "Microsoft.MachineLearningServices/workspaces"
)

// unit is the output of one subscription: its files, being written, and
// the number of resources of each type in them.
type unit struct {
	dir    string
	files  map[string]*enc
	counts map[string]int
}

func newUnit(dir string) *unit {
	return &unit{dir: dir, files: map[string]*enc{}, counts: map[string]int{}}
}

// list returns the encoder of a file holding a JSON array of resources, as
// `az ... list -o json` writes it.
func (u *unit) list(name string) *enc {
	e := u.files[name]
	if e == nil {
		e = &enc{buf: newChunk()}
		e.arr("")
		u.files[name] = e
	}
	return e
}

// value returns the encoder of a file holding {"value": [...]}, as
// `az rest` writes an ARM list.
func (u *unit) value(name string) *enc {
	e := u.files[name]
	if e == nil {
		e = &enc{buf: newChunk()}
		e.obj("")
		e.arr("value")
		u.files[name] = e
	}
	return e
}

// finish closes every file and returns them by path, in name order.
func (u *unit) finish(yield func(path string, data [][]byte) error) error {
	for _, name := range slices.Sorted(maps.Keys(u.files)) {
		e := u.files[name]
		for len(e.count) > 0 {
			e.end()
		}
		if err := yield(u.dir+"/"+name, e.done()); err != nil {
			return err
		}
	}
	return nil
}

// head writes the members etag, id, location (when loc != "") and name of
// a resource; the caller writes the members that sort before "etag" first
// and those after "name" next.
func head(e *enc, id, loc string) {
	e.etag(id)
	e.s("id", id)
	if loc != "" {
		e.s("location", loc)
	}
	e.s("name", nameOf(id))
}

// --- virtual networks ---

type subnetSpec struct {
	name        string
	prefix      string
	nsg, rt     string
	delegation  string // service name, or ""
	private     bool   // defaultOutboundAccess false
	pePolicies  string // privateEndpointNetworkPolicies
	pes         []string
	svcEndpoint bool
}

type peeringSpec struct {
	name           string
	remote         string
	remotePrefixes []string
	state          string
	gatewayTransit bool
	useRemoteGW    bool
}

func (u *unit) vnet(e *enc, id string, space []string, dns []string, subnets []subnetSpec, peerings []peeringSpec) {
	u.counts[typeVNet]++
	rg := resourceGroupOf(id)
	e.obj("")
	e.obj("addressSpace")
	e.strs("addressPrefixes", space...)
	e.end()
	e.obj("dhcpOptions")
	e.strs("dnsServers", dns...)
	e.end()
	e.b("enableDdosProtection", false)
	head(e, id, location)
	e.s("privateEndpointVNetPolicies", "Disabled")
	e.s("provisioningState", "Succeeded")
	e.s("resourceGroup", rg)
	e.guid("resourceGuid", 'g', id)
	e.arr("subnets")
	for _, s := range subnets {
		u.subnet(e, id+"/subnets/"+s.name, rg, s)
	}
	e.end()
	e.s("type", typeVNet)
	e.arr("virtualNetworkPeerings")
	for _, p := range peerings {
		u.peering(e, id+"/virtualNetworkPeerings/"+p.name, rg, p)
	}
	e.end()
	e.end()
}

func (u *unit) subnet(e *enc, id, rg string, s subnetSpec) {
	u.counts[typeSubnet]++
	e.obj("")
	e.s("addressPrefix", s.prefix)
	if s.private {
		e.b("defaultOutboundAccess", false)
	}
	e.arr("delegations")
	if s.delegation != "" {
		name := "Microsoft.Network.dnsResolvers"
		e.obj("")
		e.strs("actions", "Microsoft.Network/virtualNetworks/subnets/join/action")
		did := id + "/delegations/" + name
		e.etag(did)
		e.s("id", did)
		e.s("name", name)
		e.s("provisioningState", "Succeeded")
		e.s("resourceGroup", rg)
		e.s("serviceName", s.delegation)
		e.s("type", "Microsoft.Network/virtualNetworks/subnets/delegations")
		e.end()
	}
	e.end()
	e.etag(id)
	e.s("id", id)
	e.s("name", s.name)
	if s.nsg != "" {
		e.ref("networkSecurityGroup", s.nsg)
	}
	pol := s.pePolicies
	if pol == "" {
		pol = "Disabled"
	}
	e.s("privateEndpointNetworkPolicies", pol)
	if len(s.pes) > 0 {
		e.refs("privateEndpoints", s.pes...)
	}
	e.s("privateLinkServiceNetworkPolicies", "Enabled")
	e.s("provisioningState", "Succeeded")
	e.s("resourceGroup", rg)
	if s.rt != "" {
		e.ref("routeTable", s.rt)
	}
	if s.svcEndpoint {
		e.arr("serviceEndpoints")
		e.obj("")
		e.strs("locations", location, "northeurope")
		e.s("provisioningState", "Succeeded")
		e.s("service", "Microsoft.Storage")
		e.end()
		e.end()
	}
	e.s("type", typeSubnet)
	e.end()
}

func (u *unit) peering(e *enc, id, rg string, p peeringSpec) {
	u.counts[typePeering]++
	sync := "FullyInSync"
	if p.state != "Connected" {
		sync = "RemoteNotInSync"
	}
	e.obj("")
	e.b("allowForwardedTraffic", true)
	e.b("allowGatewayTransit", p.gatewayTransit)
	e.b("allowVirtualNetworkAccess", true)
	e.b("doNotVerifyRemoteGateways", false)
	e.etag(id)
	e.s("id", id)
	e.s("name", p.name)
	e.b("peerCompleteVnets", true)
	e.s("peeringState", p.state)
	e.s("peeringSyncLevel", sync)
	e.s("provisioningState", "Succeeded")
	e.obj("remoteAddressSpace")
	e.strs("addressPrefixes", p.remotePrefixes...)
	e.end()
	e.ref("remoteVirtualNetwork", p.remote)
	e.obj("remoteVirtualNetworkAddressSpace")
	e.strs("addressPrefixes", p.remotePrefixes...)
	e.end()
	e.s("resourceGroup", rg)
	e.guid("resourceGuid", 'g', id)
	e.s("type", typePeering)
	e.b("useRemoteGateways", p.useRemoteGW)
	e.end()
}

// --- route tables ---

type routeSpec struct {
	name    string
	prefix  string // a CIDR or a service tag
	hopType string
	hopIP   string
}

func (u *unit) routeTable(e *enc, id string, noProp bool, routes []routeSpec, subnets []string) {
	u.counts[typeRouteTable]++
	rg := resourceGroupOf(id)
	e.obj("")
	e.b("disableBgpRoutePropagation", noProp)
	head(e, id, location)
	e.s("provisioningState", "Succeeded")
	e.s("resourceGroup", rg)
	e.guid("resourceGuid", 'g', id)
	e.arr("routes")
	for _, r := range routes {
		u.counts[typeRoute]++
		e.obj("")
		e.s("addressPrefix", r.prefix)
		e.etag(id, "/routes/", r.name)
		e.b("hasBgpOverride", false)
		e.cat("id", id, "/routes/", r.name)
		e.s("name", r.name)
		if r.hopIP != "" {
			e.s("nextHopIpAddress", r.hopIP)
		}
		e.s("nextHopType", r.hopType)
		e.s("provisioningState", "Succeeded")
		e.s("resourceGroup", rg)
		e.s("type", typeRoute)
		e.end()
	}
	e.end()
	e.refs("subnets", subnets...)
	e.s("type", typeRouteTable)
	e.end()
}

// --- network security groups ---

type nsgRule struct {
	name, desc     string
	prio           int
	dir, access    string
	proto          string
	src, dst       []string
	srcASG, dstASG string
	ports          []string
}

// defaultRules are the six rules Azure lists with every NSG (reference
// §3.2); the loader ignores them, az prints them.
var defaultRules = []nsgRule{
	{name: "AllowVnetInBound", desc: "Allow inbound traffic from all VMs in VNET", prio: 65000, dir: "Inbound", access: "Allow", proto: "*", src: []string{"VirtualNetwork"}, dst: []string{"VirtualNetwork"}, ports: []string{"*"}},
	{name: "AllowAzureLoadBalancerInBound", desc: "Allow inbound traffic from azure load balancer", prio: 65001, dir: "Inbound", access: "Allow", proto: "*", src: []string{"AzureLoadBalancer"}, dst: []string{"*"}, ports: []string{"*"}},
	{name: "DenyAllInBound", desc: "Deny all inbound traffic", prio: 65500, dir: "Inbound", access: "Deny", proto: "*", src: []string{"*"}, dst: []string{"*"}, ports: []string{"*"}},
	{name: "AllowVnetOutBound", desc: "Allow outbound traffic from all VMs to all VMs in VNET", prio: 65000, dir: "Outbound", access: "Allow", proto: "*", src: []string{"VirtualNetwork"}, dst: []string{"VirtualNetwork"}, ports: []string{"*"}},
	{name: "AllowInternetOutBound", desc: "Allow outbound traffic from all VMs to Internet", prio: 65001, dir: "Outbound", access: "Allow", proto: "*", src: []string{"*"}, dst: []string{"Internet"}, ports: []string{"*"}},
	{name: "DenyAllOutBound", desc: "Deny all outbound traffic", prio: 65500, dir: "Outbound", access: "Deny", proto: "*", src: []string{"*"}, dst: []string{"*"}, ports: []string{"*"}},
}

func (u *unit) nsg(e *enc, id string, rules []nsgRule, subnets []string) {
	u.counts[typeNSG]++
	rg := resourceGroupOf(id)
	e.obj("")
	e.arr("defaultSecurityRules")
	for _, r := range defaultRules {
		u.counts[typeDefaultRule]++
		u.securityRule(e, id, "/defaultSecurityRules/", rg, typeDefaultRule, r)
	}
	e.end()
	head(e, id, location)
	e.s("provisioningState", "Succeeded")
	e.s("resourceGroup", rg)
	e.guid("resourceGuid", 'g', id)
	e.arr("securityRules")
	for _, r := range rules {
		u.counts[typeSecurityRule]++
		u.securityRule(e, id, "/securityRules/", rg, typeSecurityRule, r)
	}
	e.end()
	e.refs("subnets", subnets...)
	e.s("type", typeNSG)
	e.end()
}

// securityRule writes rule r of the NSG nsg; seg is the segment of its ID
// ("/securityRules/" or "/defaultSecurityRules/").
func (u *unit) securityRule(e *enc, nsg, seg, rg, typ string, r nsgRule) {
	e.obj("")
	e.s("access", r.access)
	if r.desc != "" {
		e.s("description", r.desc)
	}
	addresses(e, "destination", r.dst, r.dstASG)
	if len(r.ports) == 1 {
		e.s("destinationPortRange", r.ports[0])
		e.strs("destinationPortRanges")
	} else {
		e.strs("destinationPortRanges", r.ports...)
	}
	e.s("direction", r.dir)
	e.etag(nsg, seg, r.name)
	e.cat("id", nsg, seg, r.name)
	e.s("name", r.name)
	e.n("priority", r.prio)
	e.s("protocol", r.proto)
	e.s("provisioningState", "Succeeded")
	e.s("resourceGroup", rg)
	addresses(e, "source", r.src, r.srcASG)
	e.s("sourcePortRange", "*")
	e.strs("sourcePortRanges")
	e.s("type", typ)
	e.end()
}

// addresses writes one side of a security rule the way az prints it: a
// single prefix in the singular field, several in the plural one, or an
// application security group.
func addresses(e *enc, side string, prefixes []string, asg string) {
	switch {
	case asg != "":
		e.strs(side + "AddressPrefixes")
		e.rgRefs(side+"ApplicationSecurityGroups", asg)
	case len(prefixes) == 1:
		e.s(side+"AddressPrefix", prefixes[0])
		e.strs(side + "AddressPrefixes")
	default:
		e.strs(side+"AddressPrefixes", prefixes...)
	}
}

// --- network interfaces ---

type ipConfigSpec struct {
	name    string
	ip      string
	subnet  string
	primary bool
	asgs    []string
	group   string   // private link group ID
	member  string   // private link required member name
	fqdns   []string // private link FQDNs
}

type nicSpec struct {
	id         string
	vm         string // virtual machine ID, or ""
	pe         string // private endpoint ID, or ""
	forwarding bool
	accel      bool
	ipconfigs  []ipConfigSpec
}

func (u *unit) nic(e *enc, n nicSpec) {
	u.counts[typeNIC]++
	rg := resourceGroupOf(n.id)
	e.obj("")
	e.s("auxiliaryMode", "None")
	e.s("auxiliarySku", "None")
	e.b("disableTcpStateTracking", false)
	e.obj("dnsSettings")
	e.strs("appliedDnsServers")
	e.strs("dnsServers")
	e.s("internalDomainNameSuffix", "0b5e7a55estate.ax.internal.cloudapp.net")
	e.end()
	e.b("enableAcceleratedNetworking", n.accel)
	e.b("enableIPForwarding", n.forwarding)
	e.etag(n.id)
	e.strs("hostedWorkloads")
	e.s("id", n.id)
	e.arr("ipConfigurations")
	for _, c := range n.ipconfigs {
		cid := n.id + "/ipConfigurations/" + c.name
		e.obj("")
		if len(c.asgs) > 0 {
			e.rgRefs("applicationSecurityGroups", c.asgs...)
		}
		e.etag(cid)
		e.s("id", cid)
		e.s("name", c.name)
		e.b("primary", c.primary)
		e.s("privateIPAddress", c.ip)
		e.s("privateIPAddressVersion", "IPv4")
		if n.pe != "" {
			e.s("privateIPAllocationMethod", "Dynamic")
			e.obj("privateLinkConnectionProperties")
			e.strs("fqdns", c.fqdns...)
			e.s("groupId", c.group)
			e.s("requiredMemberName", c.member)
			e.end()
		} else {
			e.s("privateIPAllocationMethod", "Static")
		}
		e.s("provisioningState", "Succeeded")
		e.s("resourceGroup", rg)
		e.ref("subnet", c.subnet)
		e.s("type", typeIPConfig)
		e.end()
	}
	e.end()
	e.s("location", location)
	if n.vm != "" {
		h := stamp(n.id, 'm')
		e.s("macAddress", "00-22-48-"+upper(h[0:2])+"-"+upper(h[2:4])+"-"+upper(h[4:6]))
	}
	e.s("name", nameOf(n.id))
	e.s("nicType", "Standard")
	if n.vm != "" {
		e.b("primary", true)
	}
	if n.pe != "" {
		e.ref("privateEndpoint", n.pe)
	}
	e.s("provisioningState", "Succeeded")
	e.s("resourceGroup", rg)
	e.guid("resourceGuid", 'g', n.id)
	e.strs("tapConfigurations")
	e.s("type", typeNIC)
	if n.vm != "" {
		e.ref("virtualMachine", n.vm)
	}
	e.b("vnetEncryptionSupported", false)
	e.end()
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'f' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// --- private endpoints ---

type dnsConfig struct {
	fqdn string
	ip   string
}

type peSpec struct {
	id      string
	subnet  string
	nic     string
	target  string
	group   string
	configs []dnsConfig
}

func (u *unit) privateEndpoint(e *enc, p peSpec) {
	u.counts[typePE]++
	rg := resourceGroupOf(p.id)
	e.obj("")
	e.arr("customDnsConfigs")
	for _, c := range p.configs {
		e.obj("")
		e.s("fqdn", c.fqdn)
		e.strs("ipAddresses", c.ip)
		e.end()
	}
	e.end()
	e.s("customNetworkInterfaceName", "")
	e.etag(p.id)
	e.s("id", p.id)
	e.strs("ipConfigurations")
	e.s("location", location)
	e.strs("manualPrivateLinkServiceConnections")
	e.s("name", nameOf(p.id))
	e.refs("networkInterfaces", p.nic)
	e.arr("privateLinkServiceConnections")
	cid := p.id + "/privateLinkServiceConnections/" + nameOf(p.id)
	e.obj("")
	e.etag(cid)
	e.strs("groupIds", p.group)
	e.s("id", cid)
	e.s("name", nameOf(p.id))
	e.obj("privateLinkServiceConnectionState")
	e.s("actionsRequired", "None")
	e.s("description", "Auto-Approved")
	e.s("status", "Approved")
	e.end()
	e.s("privateLinkServiceId", p.target)
	e.s("provisioningState", "Succeeded")
	e.s("resourceGroup", rg)
	e.s("type", "Microsoft.Network/privateEndpoints/privateLinkServiceConnections")
	e.end()
	e.end()
	e.s("provisioningState", "Succeeded")
	e.s("resourceGroup", rg)
	e.ref("subnet", p.subnet)
	e.s("type", typePE)
	e.end()
}
