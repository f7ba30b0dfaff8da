package engine_test

import (
	"github.com/vnetpath/vnetpath/answer"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/servicetags"
	"github.com/vnetpath/vnetpath/topology"
)

// rg is the resource group every test resource lives in.
const rg = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-test/providers/"

// netID returns the ID of a Microsoft.Network resource of type typ.
func netID(typ, name string) string { return rg + "Microsoft.Network/" + typ + "/" + name }

// estate builds a small Azure estate in code. Resources are kept as
// pointers until [estate.engine], so a test may change any of them after
// creating it (attach a route table to a subnet, flip a peering's state).
// The defaults are those of a hub-and-spoke estate that works: peerings are
// Connected both ways with virtual network access and forwarded traffic
// allowed, private endpoint connections are Approved, and VNets sit in
// westeurope.
type estate struct {
	t          testing.TB
	vnets      []*topology.VNet
	subnets    []*topology.Subnet
	peerings   []*topology.Peering
	rts        []*topology.RouteTable
	nsgs       []*topology.NSG
	nics       []*topology.NIC
	fws        []*topology.Firewall
	pips       []*topology.PublicIP
	nats       []*topology.NATGateway
	pes        []*topology.PrivateEndpoint
	zones      []*topology.PrivateZone
	resolvers  []*topology.DNSResolver
	rulesets   []*topology.Ruleset
	workspaces []*topology.Workspace
	gws        []*topology.Gateway
	lgws       []*topology.LocalGateway
	conns      []*topology.Connection
	lbs        []*topology.LoadBalancer
	policies   []*topology.FirewallPolicy
	managers   []*topology.NetworkManager
	admin      []*topology.SecurityAdminConfiguration
	hubs       []*topology.VirtualHub
	catalog    *servicetags.Catalog
}

func newEstate(t testing.TB) *estate { return &estate{t: t} }

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func ip(s string) netip.Addr    { return netip.MustParseAddr(s) }

func prefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = pfx(s)
	}
	return out
}

// vnet adds a VNet in westeurope with the given address space.
func (e *estate) vnet(name string, space ...string) *topology.VNet {
	v := &topology.VNet{Meta: topology.Meta{ID: netID("virtualNetworks", name), Name: name}, Location: "westeurope", AddressSpace: prefixes(space...)}
	e.vnets = append(e.vnets, v)
	return v
}

// subnet adds a subnet of v.
func (e *estate) subnet(v *topology.VNet, name, prefix string) *topology.Subnet {
	s := &topology.Subnet{Meta: topology.Meta{ID: v.ID + "/subnets/" + name, Name: name}, VNet: v.ID, Prefixes: prefixes(prefix)}
	e.subnets = append(e.subnets, s)
	return s
}

// peer peers a and b with two Connected halves and returns them (a's, b's).
func (e *estate) peer(a, b *topology.VNet) (ab, ba *topology.Peering) {
	half := func(x, y *topology.VNet) *topology.Peering {
		p := &topology.Peering{
			Meta: topology.Meta{ID: x.ID + "/virtualNetworkPeerings/" + x.Name + "-to-" + y.Name, Name: x.Name + "-to-" + y.Name},
			VNet: x.ID, RemoteVNet: y.ID, AllowVirtualNetworkAccess: true, AllowForwardedTraffic: true,
			State: topology.PeeringConnected, SyncLevel: "FullyInSync", PeerCompleteVNets: true,
			RemoteAddressSpace: slices.Clone(y.AddressSpace), RemoteVNetAddressSpace: slices.Clone(y.AddressSpace),
		}
		e.peerings = append(e.peerings, p)
		return p
	}
	return half(a, b), half(b, a)
}

// udr is a user-defined route: next hop type and, for VirtualAppliance, an
// IP address.
func udr(name, prefix, nextHop string, hopIP ...string) topology.Route {
	r := topology.Route{Meta: topology.Meta{Name: name}, AddressPrefix: prefix, NextHopType: topology.NextHopType(nextHop)}
	if p, err := netip.ParsePrefix(prefix); err == nil {
		r.Prefix = p
	} else {
		r.Tag = prefix
	}
	if len(hopIP) > 0 {
		r.NextHopIP = ip(hopIP[0])
	}
	return r
}

// routeTable adds a route table with routes and attaches it to subnets.
func (e *estate) routeTable(name string, subnets []*topology.Subnet, routes ...topology.Route) *topology.RouteTable {
	id := netID("routeTables", name)
	t := &topology.RouteTable{Meta: topology.Meta{ID: id, Name: name}, Location: "westeurope"}
	for _, r := range routes {
		r.ID, r.Table = id+"/routes/"+r.Name, id
		t.Routes = append(t.Routes, r)
	}
	for _, s := range subnets {
		s.RouteTable = id
	}
	e.rts = append(e.rts, t)
	return t
}

// on is a short way to list subnets.
func on(s ...*topology.Subnet) []*topology.Subnet { return s }

// rule is an NSG rule. Addresses are Azure tokens ("*", a CIDR, a tag);
// ports are "*", "443" or "80-90".
func rule(name string, prio int, dir topology.Direction, access topology.Access, proto, src, dst, ports string) topology.SecurityRule {
	addr := func(s string) []topology.Address {
		a, err := topology.ParseAddress(s)
		if err != nil {
			panic(err)
		}
		return []topology.Address{a}
	}
	pr, err := cidr.ParsePorts(ports)
	if err != nil {
		panic(err)
	}
	return topology.SecurityRule{
		Meta: topology.Meta{Name: name}, Priority: prio, Direction: dir, Access: access, Protocol: proto,
		Sources: addr(src), SourcePorts: []cidr.PortRange{cidr.AllPorts}, Destinations: addr(dst), DestinationPorts: pr,
	}
}

// nsg adds an NSG with rules and associates it with subnets.
func (e *estate) nsg(name string, subnets []*topology.Subnet, rules ...topology.SecurityRule) *topology.NSG {
	id := netID("networkSecurityGroups", name)
	n := &topology.NSG{Meta: topology.Meta{ID: id, Name: name}, Location: "westeurope"}
	for _, r := range rules {
		r.ID, r.NSG = id+"/securityRules/"+r.Name, id
		n.Rules = append(n.Rules, r)
	}
	for _, s := range subnets {
		s.NSG = id
	}
	e.nsgs = append(e.nsgs, n)
	return n
}

// nic adds a VM NIC with one IP configuration in sn.
func (e *estate) nic(name string, sn *topology.Subnet, addr string) *topology.NIC {
	id := netID("networkInterfaces", name)
	n := &topology.NIC{Meta: topology.Meta{ID: id, Name: name}, Location: "westeurope",
		IPConfigs: []topology.IPConfig{{Meta: topology.Meta{ID: id + "/ipConfigurations/ipconfig1", Name: "ipconfig1"}, NIC: id, PrivateIP: ip(addr), Subnet: sn.ID, Primary: true}}}
	e.nics = append(e.nics, n)
	return n
}

// publicIP adds a public IP address resource and returns its ID.
func (e *estate) publicIP(name, addr string) string {
	p := &topology.PublicIP{Meta: topology.Meta{ID: netID("publicIPAddresses", name), Name: name}, Location: "westeurope", Address: ip(addr), SKU: "Standard"}
	e.pips = append(e.pips, p)
	return p.ID
}

// firewall adds an Azure Firewall at addr in sn with a public IP (none when
// pubAddr is "") and classic rule collections.
func (e *estate) firewall(name string, sn *topology.Subnet, addr, pubAddr string, colls ...topology.RuleCollection) *topology.Firewall {
	f := &topology.Firewall{Meta: topology.Meta{ID: netID("azureFirewalls", name), Name: name}, Location: "westeurope", SKU: "AZFW_VNet", Tier: "Standard",
		IPConfigs: []topology.FirewallIPConfig{{Name: "ipconfig1", PrivateIP: ip(addr), Subnet: sn.ID}}, RuleCollections: colls}
	if pubAddr != "" {
		f.IPConfigs[0].PublicIP = e.publicIP(name+"-pip", pubAddr)
	}
	e.fws = append(e.fws, f)
	return f
}

// addrList turns space-separated Azure address tokens into addresses.
func addrList(s string) []topology.Address {
	var out []topology.Address
	for _, f := range strings.Fields(s) {
		a, err := topology.ParseAddress(f)
		if err != nil {
			panic(err)
		}
		out = append(out, a)
	}
	return out
}

// netColl is a classic network rule collection holding one rule.
func netColl(name string, prio int, action, proto, src, dst, ports string) topology.RuleCollection {
	pr, err := cidr.ParsePorts(ports)
	if err != nil {
		panic(err)
	}
	return topology.RuleCollection{Name: name, Kind: topology.RuleNetwork, Priority: prio, Action: action, Rules: []topology.FirewallRule{{
		Name: name + "-rule", Kind: topology.RuleNetwork, Protocols: []string{proto},
		Sources: addrList(src), Destinations: addrList(dst), DestinationPorts: pr,
	}}}
}

// appColl is a classic application rule collection holding one rule for
// Https:443 to the target FQDNs.
func appColl(name string, prio int, action, src string, fqdns ...string) topology.RuleCollection {
	return topology.RuleCollection{Name: name, Kind: topology.RuleApplication, Priority: prio, Action: action, Rules: []topology.FirewallRule{{
		Name: name + "-rule", Kind: topology.RuleApplication, AppProtocols: []topology.AppProtocol{{Type: "Https", Port: 443}},
		Sources: addrList(src), TargetFQDNs: fqdns,
	}}}
}

// natGateway adds a NAT gateway with one public IP serving subnets.
func (e *estate) natGateway(name, pubAddr string, subnets ...*topology.Subnet) *topology.NATGateway {
	n := &topology.NATGateway{Meta: topology.Meta{ID: netID("natGateways", name), Name: name}, Location: "westeurope", PublicIPs: []string{e.publicIP(name+"-pip", pubAddr)}}
	for _, s := range subnets {
		s.NATGateway = n.ID
		n.Subnets = append(n.Subnets, s.ID)
	}
	e.nats = append(e.nats, n)
	return n
}

// privateEndpoint adds a private endpoint in sn for target with a NIC that
// serves each FQDN at the address that follows it: fqdnIPs is
// "fqdn1", "ip1", "fqdn2", "ip2", ...; the connection is Approved.
func (e *estate) privateEndpoint(name string, sn *topology.Subnet, target, group string, fqdnIPs ...string) *topology.PrivateEndpoint {
	peID := netID("privateEndpoints", name)
	nicID := netID("networkInterfaces", name+".nic")
	pe := &topology.PrivateEndpoint{Meta: topology.Meta{ID: peID, Name: name}, Location: "westeurope", Subnet: sn.ID, NICs: []string{nicID},
		Connections: []topology.PEConnection{{Name: name, Target: target, GroupIDs: []string{group}, Status: topology.ConnectionApproved}}}
	n := &topology.NIC{Meta: topology.Meta{ID: nicID, Name: name + ".nic"}, Location: "westeurope", PrivateEndpoint: peID}
	byIP := map[string][]string{}
	var order []string
	for i := 0; i+1 < len(fqdnIPs); i += 2 {
		f, a := fqdnIPs[i], fqdnIPs[i+1]
		if _, ok := byIP[a]; !ok {
			order = append(order, a)
		}
		byIP[a] = append(byIP[a], f)
		pe.CustomDNSConfigs = append(pe.CustomDNSConfigs, topology.DNSConfig{FQDN: f, IPs: []netip.Addr{ip(a)}})
	}
	for i, a := range order {
		cfg := "ipconfig" + string(rune('1'+i))
		n.IPConfigs = append(n.IPConfigs, topology.IPConfig{Meta: topology.Meta{ID: nicID + "/ipConfigurations/" + cfg, Name: cfg}, NIC: nicID,
			PrivateIP: ip(a), Subnet: sn.ID, Primary: i == 0, PrivateLinkGroupID: group, PrivateLinkFQDNs: byIP[a]})
	}
	e.pes = append(e.pes, pe)
	e.nics = append(e.nics, n)
	return pe
}

// zone adds a private DNS zone linked to vnets.
func (e *estate) zone(name string, vnets ...*topology.VNet) *topology.PrivateZone {
	id := rg + "Microsoft.Network/privateDnsZones/" + name
	z := &topology.PrivateZone{Meta: topology.Meta{ID: id, Name: name}}
	for _, v := range vnets {
		e.link(z, v)
	}
	e.zones = append(e.zones, z)
	return z
}

// link links zone z to VNet v and returns the link.
func (e *estate) link(z *topology.PrivateZone, v *topology.VNet) *topology.ZoneLink {
	z.Links = append(z.Links, topology.ZoneLink{Meta: topology.Meta{ID: z.ID + "/virtualNetworkLinks/" + v.Name, Name: v.Name},
		Zone: z.ID, VNet: v.ID, ResolutionPolicy: topology.ResolutionDefault, State: "Completed"})
	return &z.Links[len(z.Links)-1]
}

// a adds an A record (relative name) to z.
func a(z *topology.PrivateZone, name string, addrs ...string) {
	r := topology.DNSRecord{Meta: topology.Meta{ID: z.ID + "/A/" + name, Name: name}, Zone: z.ID, Name: name, Type: "A", TTL: 10}
	for _, s := range addrs {
		r.Addrs = append(r.Addrs, ip(s))
	}
	z.Records = append(z.Records, r)
}

// cname adds a CNAME record (relative name) to z.
func cname(z *topology.PrivateZone, name, target string) {
	z.Records = append(z.Records, topology.DNSRecord{Meta: topology.Meta{ID: z.ID + "/CNAME/" + name, Name: name}, Zone: z.ID, Name: name, Type: "CNAME", TTL: 10, CNAME: target})
}

// resolver adds a DNS Private Resolver in v with an inbound endpoint at
// addr in sn.
func (e *estate) resolver(name string, v *topology.VNet, sn *topology.Subnet, addr string) *topology.DNSResolver {
	sn.Delegations = append(sn.Delegations, topology.DelegationDNSResolvers)
	id := netID("dnsResolvers", name)
	r := &topology.DNSResolver{Meta: topology.Meta{ID: id, Name: name}, Location: "westeurope", VNet: v.ID,
		Inbound: []topology.ResolverEndpoint{{Meta: topology.Meta{ID: id + "/inboundEndpoints/in", Name: "in"}, Resolver: id, Subnet: sn.ID, IPs: []netip.Addr{ip(addr)}}}}
	e.resolvers = append(e.resolvers, r)
	return r
}

// outbound adds an outbound endpoint in sn to resolver r.
func (e *estate) outbound(r *topology.DNSResolver, sn *topology.Subnet) *topology.ResolverEndpoint {
	sn.Delegations = append(sn.Delegations, topology.DelegationDNSResolvers)
	r.Outbound = append(r.Outbound, topology.ResolverEndpoint{Meta: topology.Meta{ID: r.ID + "/outboundEndpoints/out", Name: "out"}, Resolver: r.ID, Subnet: sn.ID})
	return &r.Outbound[len(r.Outbound)-1]
}

// ruleset adds a forwarding ruleset linked to vnets, forwarding from the
// first outbound endpoint of the estate's resolvers; rules are added with
// [forward].
func (e *estate) ruleset(name string, vnets ...*topology.VNet) *topology.Ruleset {
	id := netID("dnsForwardingRulesets", name)
	r := &topology.Ruleset{Meta: topology.Meta{ID: id, Name: name}, Location: "westeurope"}
	for _, x := range e.resolvers {
		if len(x.Outbound) > 0 {
			r.OutboundEndpoints = []string{x.Outbound[0].ID}
			break
		}
	}
	for _, v := range vnets {
		r.Links = append(r.Links, topology.RulesetLink{Meta: topology.Meta{ID: id + "/virtualNetworkLinks/" + v.Name, Name: v.Name}, Ruleset: id, VNet: v.ID})
	}
	e.rulesets = append(e.rulesets, r)
	return r
}

// forward adds an enabled forwarding rule for domain to target addresses.
func forward(rs *topology.Ruleset, name, domain string, targets ...string) {
	r := topology.ForwardingRule{Meta: topology.Meta{ID: rs.ID + "/forwardingRules/" + name, Name: name}, Ruleset: rs.ID, Domain: domain, Enabled: true}
	for _, t := range targets {
		r.Targets = append(r.Targets, topology.DNSTarget{IP: ip(t), Port: 53})
	}
	rs.Rules = append(rs.Rules, r)
}

// workspace adds an Azure ML workspace.
func (e *estate) workspace(name, guid, location, publicAccess string) *topology.Workspace {
	w := &topology.Workspace{Meta: topology.Meta{ID: rg + "Microsoft.MachineLearningServices/workspaces/" + name, Name: name},
		Location: location, WorkspaceID: guid, FriendlyName: name, PublicNetworkAccess: publicAccess, Kind: "Default"}
	e.workspaces = append(e.workspaces, w)
	return w
}

// gateway adds a VPN gateway in v's GatewaySubnet sn at addr.
func (e *estate) gateway(name string, v *topology.VNet, sn *topology.Subnet, addr string) *topology.Gateway {
	g := &topology.Gateway{Meta: topology.Meta{ID: netID("virtualNetworkGateways", name), Name: name}, Location: "westeurope", GatewayType: "Vpn", VPNType: "RouteBased",
		SKU: "VpnGw1", VNet: v.ID, IPConfigs: []topology.FirewallIPConfig{{Name: "default", PrivateIP: ip(addr), Subnet: sn.ID}}}
	e.gws = append(e.gws, g)
	return g
}

// siteToSite connects gateway g to an on-premises site holding space.
func (e *estate) siteToSite(name string, g *topology.Gateway, space ...string) {
	lg := &topology.LocalGateway{Meta: topology.Meta{ID: netID("localNetworkGateways", name), Name: name}, Location: "westeurope",
		GatewayIP: ip("203.0.113.1"), AddressPrefixes: prefixes(space...)}
	e.lgws = append(e.lgws, lg)
	e.conns = append(e.conns, &topology.Connection{Meta: topology.Meta{ID: netID("connections", name+"-conn"), Name: name + "-conn"}, Location: "westeurope",
		ConnectionType: "IPsec", Gateway1: g.ID, LocalGateway2: lg.ID, Status: "Connected"})
}

// catalogJSON is a small service-tag catalog in the download format with
// made-up prefixes; tests that need real prefixes for a tag use it.
const catalogJSON = `{"changeNumber": 7, "cloud": "Public", "values": [
 {"name": "AzureActiveDirectory", "id": "AzureActiveDirectory", "properties": {"changeNumber": 1, "region": "", "regionId": 0, "platform": "Azure", "systemService": "AzureAD",
  "addressPrefixes": ["20.190.128.0/18", "40.126.0.0/18"], "networkFeatures": ["API", "NSG", "UDR", "FW"]}},
 {"name": "AzureResourceManager", "id": "AzureResourceManager", "properties": {"changeNumber": 1, "region": "", "regionId": 0, "platform": "Azure", "systemService": "AzureResourceManager",
  "addressPrefixes": ["4.150.0.0/18", "13.66.141.176/28"], "networkFeatures": ["API", "NSG", "UDR", "FW"]}},
 {"name": "Storage", "id": "Storage", "properties": {"changeNumber": 1, "region": "", "regionId": 0, "platform": "Azure", "systemService": "AzureStorage",
  "addressPrefixes": ["20.60.0.0/16", "52.239.0.0/17"], "networkFeatures": ["API", "NSG", "UDR", "FW"]}},
 {"name": "Storage.WestEurope", "id": "Storage.WestEurope", "properties": {"changeNumber": 1, "region": "westeurope", "regionId": 18, "platform": "Azure", "systemService": "AzureStorage",
  "addressPrefixes": ["20.60.0.0/17"], "networkFeatures": ["API", "NSG", "UDR", "FW"]}}
]}`

// withCatalog makes the estate's engine use the catalog of [catalogJSON].
func (e *estate) withCatalog() *estate {
	c, err := servicetags.Parse(strings.NewReader(catalogJSON), servicetags.Options{})
	if err != nil {
		e.t.Fatalf("servicetags.Parse: %v", err)
	}
	e.catalog = c
	return e
}

// snapshot builds the estate; a build error fails the test.
func (e *estate) snapshot() *topology.Snapshot {
	e.t.Helper()
	var b topology.Builder
	for _, v := range e.vnets {
		b.AddVNet(*v)
	}
	for _, s := range e.subnets {
		b.AddSubnet(*s)
	}
	for _, p := range e.peerings {
		b.AddPeering(*p)
	}
	for _, t := range e.rts {
		b.AddRouteTable(*t)
	}
	for _, n := range e.nsgs {
		b.AddNSG(*n)
	}
	for _, n := range e.nics {
		b.AddNIC(*n)
	}
	for _, p := range e.pips {
		b.AddPublicIP(*p)
	}
	for _, f := range e.fws {
		b.AddFirewall(*f)
	}
	for _, n := range e.nats {
		b.AddNATGateway(*n)
	}
	for _, p := range e.pes {
		b.AddPrivateEndpoint(*p)
	}
	for _, z := range e.zones {
		b.AddPrivateZone(*z)
	}
	for _, r := range e.resolvers {
		b.AddDNSResolver(*r)
	}
	for _, r := range e.rulesets {
		b.AddRuleset(*r)
	}
	for _, w := range e.workspaces {
		b.AddWorkspace(*w)
	}
	for _, g := range e.gws {
		b.AddGateway(*g)
	}
	for _, g := range e.lgws {
		b.AddLocalGateway(*g)
	}
	for _, c := range e.conns {
		b.AddConnection(*c)
	}
	for _, l := range e.lbs {
		b.AddLoadBalancer(*l)
	}
	for _, p := range e.policies {
		b.AddFirewallPolicy(*p)
	}
	for _, m := range e.managers {
		b.AddNetworkManager(*m)
	}
	for _, c := range e.admin {
		b.AddSecurityAdminConfiguration(*c)
	}
	for _, h := range e.hubs {
		b.AddVirtualHub(*h)
	}
	snap, err := b.Build()
	if err != nil {
		e.t.Fatalf("Build: %v", err)
	}
	return snap
}

// engine builds the estate and returns an engine over it.
func (e *estate) engine() *engine.Engine {
	e.t.Helper()
	return engine.New(e.snapshot(), e.catalog)
}

// check answers q, fails the test on an error, and checks the answer
// invariants (see [checkInvariants]).
func check(t testing.TB, eng *engine.Engine, q engine.Query) engine.Result {
	t.Helper()
	r, err := eng.Check(q)
	if err != nil {
		t.Fatalf("Check(%+v): %v", q, err)
	}
	checkInvariants(t, eng, r)
	return r
}

// tcp443 asks whether from reaches to on TCP 443.
func tcp443(t testing.TB, eng *engine.Engine, from, to string) engine.Result {
	t.Helper()
	return check(t, eng, engine.Query{From: from, To: to, Protocol: engine.TCP, Port: 443})
}

// wantVerdict fails the test unless r has verdict v, and shows the answer.
func wantVerdict(t testing.TB, r engine.Result, v answer.Verdict) {
	t.Helper()
	if r.Verdict != v {
		t.Fatalf("verdict %s, want %s\n%s", r.Verdict, v, describe(r))
	}
}

// wantIn fails the test unless each fragment occurs in s.
func wantIn(t testing.TB, what, s string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if !strings.Contains(s, f) {
			t.Errorf("%s %q does not mention %q", what, s, f)
		}
	}
}

// describe renders a result for failure messages.
func describe(r engine.Result) string {
	var b strings.Builder
	b.WriteString("reason: " + r.Reason + "\n")
	for _, h := range r.Hops {
		b.WriteString("  hop " + string(h.Kind) + " " + h.Name + " " + string(h.Action))
		if h.Route != nil {
			b.WriteString(" route " + h.Route.AddressPrefix + "→" + string(h.Route.NextHopType) + " " + h.Route.NextHopIPAddress + " (" + h.Route.Source + ")")
		}
		if len(h.Rules) > 0 {
			b.WriteString(" rules " + strings.Join(h.Rules, ","))
		}
		b.WriteString("\n")
	}
	for _, f := range r.Fixes {
		b.WriteString("  fix: " + f.Text + "\n")
	}
	if r.ReturnPath != nil {
		b.WriteString("  return: " + r.ReturnPath.Reason + "\n")
	}
	for _, w := range r.Warnings {
		b.WriteString("  warning: " + w + "\n")
	}
	for _, a := range r.Assumptions {
		b.WriteString("  assumes: " + a + "\n")
	}
	for _, p := range r.Parts {
		b.WriteString("  part " + p.Destinations + ": " + string(p.Verdict) + ": " + p.Reason + "\n")
	}
	return b.String()
}

// firstRoute returns the route of the first hop, or fails.
func firstRoute(t testing.TB, r engine.Result) *answer.RouteRef {
	t.Helper()
	if len(r.Hops) == 0 || r.Hops[0].Route == nil {
		t.Fatalf("first hop has no route\n%s", describe(r))
	}
	return r.Hops[0].Route
}

// hasHop reports whether a hop of kind has a node whose short name is name.
func hasHop(r engine.Result, kind, name string) bool {
	for _, h := range append(slices.Clone(r.Hops), r.Then...) {
		if string(h.Kind) == kind && (name == "" || h.Name == name || topology.NameOf(h.Node) == name) {
			return true
		}
	}
	return false
}

// allRules returns every rule named on the path.
func allRules(r engine.Result) []string {
	var out []string
	for _, h := range append(slices.Clone(r.Hops), r.Then...) {
		out = append(out, h.Rules...)
	}
	return out
}

// cidrPorts parses a port list.
func cidrPorts(s string) ([]cidr.PortRange, error) { return cidr.ParsePorts(s) }

// fixTexts joins the sentences of fixes with "|", for wantIn.
func fixTexts(fs []answer.Fix) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Text)
	}
	return strings.Join(out, "|")
}
