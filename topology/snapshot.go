package topology

import (
	"cmp"
	"iter"
	"net/netip"
	"slices"
	"strings"
)

// Snapshot is the frozen model of an estate, built by [Builder.Build]. It is
// safe for concurrent use by any number of readers. The values it returns
// are shared: callers must treat them, and the slices inside them, as
// read-only.
//
// Lookups take ARM IDs in any letter case. Iterators run in ID order.
type Snapshot struct {
	st stores

	owners       map[netip.Addr][]Owner
	nicsBySubnet map[string][]string
	pesBySubnet  map[string][]string
	pesByTarget  map[string][]string
	zonesByName  map[string][]string
	linksByVNet  map[string][]*ZoneLink
	rsLinks      map[string][]string // VNet key -> ruleset IDs
	resolverVNet map[string][]string // VNet key -> resolver IDs
	gwByVNet     map[string][]string
	connsByGW    map[string][]string
	fwBySubnet   map[string]string
	asgMembers   map[string][]netip.Addr
	pipByConfig  map[string]string
	lbFrontends  map[netip.Addr][]FrontendRef
	poolMembers  map[string][]string // pool key -> NIC IP configuration IDs
	configPools  map[string][]string // NIC IP configuration key -> pool IDs

	// exact maps IDs as spelled in the snapshot to resources, so that
	// lookups with that spelling (the common case) do not lower-case.
	exact map[string]any

	warnings   []*Finding
	skipped    map[string]int
	counts     map[string]int
	missing    []Missing
	missingIdx map[string]int
}

// lookup finds a resource by ID: by its exact spelling first, then
// case-insensitively.
func lookup[T any](s *Snapshot, st *store[T], id string) (*T, bool) {
	if v, ok := s.exact[id]; ok {
		if t, ok := v.(*T); ok {
			return t, true
		}
	}
	return st.get(Key(id))
}

func newSnapshot() *Snapshot {
	return &Snapshot{skipped: map[string]int{}, counts: map[string]int{}}
}

// OwnerKind says what kind of resource holds a private IP address.
type OwnerKind string

// Owner kinds.
const (
	OwnerNIC             OwnerKind = "networkInterface"
	OwnerFirewall        OwnerKind = "azureFirewall"
	OwnerPrivateEndpoint OwnerKind = "privateEndpoint"
	OwnerResolverInbound OwnerKind = "dnsResolverInboundEndpoint"
	OwnerGateway         OwnerKind = "virtualNetworkGateway"
)

// Owner is a resource that holds a private IP address.
type Owner struct {
	Kind   OwnerKind
	ID     string // the NIC, firewall, private endpoint, inbound endpoint or gateway
	NIC    string // the NIC, when there is one (also for private endpoints)
	Subnet string
	VNet   string
}

func (s *Snapshot) index() {
	s.owners = map[netip.Addr][]Owner{}
	s.nicsBySubnet = map[string][]string{}
	s.pesBySubnet = map[string][]string{}
	s.pesByTarget = map[string][]string{}
	s.zonesByName = map[string][]string{}
	s.linksByVNet = map[string][]*ZoneLink{}
	s.rsLinks = map[string][]string{}
	s.resolverVNet = map[string][]string{}
	s.gwByVNet = map[string][]string{}
	s.connsByGW = map[string][]string{}
	s.fwBySubnet = map[string]string{}
	s.asgMembers = map[string][]netip.Addr{}
	s.pipByConfig = map[string]string{}
	s.indexLoadBalancers()
	s.missingIdx = make(map[string]int, len(s.missing))
	for i, m := range s.missing {
		s.missingIdx[Key(m.ID)] = i
	}

	addOwner := func(a netip.Addr, o Owner) {
		if !a.IsValid() {
			return
		}
		a = a.Unmap()
		for _, x := range s.owners[a] {
			if SameID(x.ID, o.ID) && SameID(x.Subnet, o.Subnet) {
				return
			}
		}
		s.owners[a] = append(s.owners[a], o)
	}
	vnetOf := func(subnet string) string {
		if sn, ok := s.st.subnets.get(Key(subnet)); ok {
			return sn.VNet
		}
		return Parent(subnet)
	}
	peNIC := map[string]bool{}
	for _, pe := range s.st.pes.sorted() {
		s.pesBySubnet[Key(pe.Subnet)] = append(s.pesBySubnet[Key(pe.Subnet)], pe.ID)
		seen := map[string]bool{}
		for _, c := range pe.Connections {
			if t := Key(c.Target); t != "" && !seen[t] {
				seen[t] = true
				s.pesByTarget[t] = append(s.pesByTarget[t], pe.ID)
			}
		}
		nicFound := false
		for _, nid := range pe.NICs {
			n, ok := s.st.nics.get(Key(nid))
			if !ok {
				continue
			}
			nicFound = true
			peNIC[n.Key()] = true
			for _, c := range n.IPConfigs {
				addOwner(c.PrivateIP, Owner{OwnerPrivateEndpoint, pe.ID, n.ID, pe.Subnet, vnetOf(pe.Subnet)})
			}
		}
		if !nicFound {
			for _, c := range pe.StaticIPs {
				addOwner(c.PrivateIP, Owner{OwnerPrivateEndpoint, pe.ID, "", pe.Subnet, vnetOf(pe.Subnet)})
			}
			for _, d := range pe.CustomDNSConfigs {
				for _, a := range d.IPs {
					addOwner(a, Owner{OwnerPrivateEndpoint, pe.ID, "", pe.Subnet, vnetOf(pe.Subnet)})
				}
			}
		}
	}
	for _, n := range s.st.nics.sorted() {
		if n.PrivateEndpoint != "" {
			if _, ok := s.st.pes.get(Key(n.PrivateEndpoint)); ok {
				peNIC[n.Key()] = true
			}
		}
		for _, c := range n.IPConfigs {
			if c.Subnet != "" {
				k := Key(c.Subnet)
				if !slices.ContainsFunc(s.nicsBySubnet[k], func(x string) bool { return SameID(x, n.ID) }) {
					s.nicsBySubnet[k] = append(s.nicsBySubnet[k], n.ID)
				}
			}
			for _, a := range c.ASGs {
				if c.PrivateIP.IsValid() {
					s.asgMembers[Key(a)] = append(s.asgMembers[Key(a)], c.PrivateIP.Unmap())
				}
			}
			if c.PublicIP != "" {
				s.pipByConfig[Key(c.ID)] = c.PublicIP
			}
			if peNIC[n.Key()] {
				if n.PrivateEndpoint != "" {
					pe, ok := s.st.pes.get(Key(n.PrivateEndpoint))
					if ok {
						addOwner(c.PrivateIP, Owner{OwnerPrivateEndpoint, pe.ID, n.ID, pe.Subnet, vnetOf(pe.Subnet)})
					}
				}
				continue
			}
			addOwner(c.PrivateIP, Owner{OwnerNIC, n.ID, n.ID, c.Subnet, vnetOf(c.Subnet)})
		}
	}
	for _, f := range s.st.fws.sorted() {
		for _, c := range f.IPConfigs {
			addOwner(c.PrivateIP, Owner{OwnerFirewall, f.ID, "", c.Subnet, vnetOf(c.Subnet)})
			if c.Subnet != "" {
				s.fwBySubnet[Key(c.Subnet)] = f.ID
			}
		}
	}
	for _, g := range s.st.gws.sorted() {
		if g.VNet != "" {
			s.gwByVNet[Key(g.VNet)] = append(s.gwByVNet[Key(g.VNet)], g.ID)
		}
		for _, c := range g.IPConfigs {
			addOwner(c.PrivateIP, Owner{OwnerGateway, g.ID, "", c.Subnet, vnetOf(c.Subnet)})
		}
	}
	for _, c := range s.st.conns.sorted() {
		for _, g := range []string{c.Gateway1, c.Gateway2} {
			if g != "" {
				s.connsByGW[Key(g)] = append(s.connsByGW[Key(g)], c.ID)
			}
		}
	}
	for _, r := range s.st.resolvers.sorted() {
		if r.VNet != "" {
			s.resolverVNet[Key(r.VNet)] = append(s.resolverVNet[Key(r.VNet)], r.ID)
		}
		for _, e := range r.Inbound {
			for _, a := range e.IPs {
				addOwner(a, Owner{OwnerResolverInbound, e.ID, "", e.Subnet, vnetOf(e.Subnet)})
			}
		}
	}
	for _, z := range s.st.zones.sorted() {
		s.zonesByName[z.Name] = append(s.zonesByName[z.Name], z.ID)
		for i := range z.Links {
			l := &z.Links[i]
			s.linksByVNet[Key(l.VNet)] = append(s.linksByVNet[Key(l.VNet)], l)
		}
	}
	for _, r := range s.st.rulesets.sorted() {
		for _, l := range r.Links {
			s.rsLinks[Key(l.VNet)] = append(s.rsLinks[Key(l.VNet)], r.ID)
		}
	}
	for _, p := range s.st.pips.sorted() {
		if p.IPConfiguration != "" {
			if _, ok := s.pipByConfig[Key(p.IPConfiguration)]; !ok {
				s.pipByConfig[Key(p.IPConfiguration)] = p.ID
			}
		}
	}
	for a := range s.owners {
		slices.SortFunc(s.owners[a], func(x, y Owner) int { return cmp.Compare(Key(x.ID), Key(y.ID)) })
	}
}

func seq[T any](st *store[T]) iter.Seq[*T] {
	return func(yield func(*T) bool) {
		for _, v := range st.sorted() {
			if !yield(v) {
				return
			}
		}
	}
}

// VNet returns the virtual network with the given ID.
func (s *Snapshot) VNet(id string) (*VNet, bool) { return lookup(s, &s.st.vnets, id) }

// VNets returns every virtual network in ID order.
func (s *Snapshot) VNets() iter.Seq[*VNet] { return seq(&s.st.vnets) }

// Subnet returns the subnet with the given ID.
func (s *Snapshot) Subnet(id string) (*Subnet, bool) { return lookup(s, &s.st.subnets, id) }

// Subnets returns every subnet in ID order.
func (s *Snapshot) Subnets() iter.Seq[*Subnet] { return seq(&s.st.subnets) }

// Peering returns the peering with the given ID.
func (s *Snapshot) Peering(id string) (*Peering, bool) { return lookup(s, &s.st.peerings, id) }

// Peerings returns every peering in ID order.
func (s *Snapshot) Peerings() iter.Seq[*Peering] { return seq(&s.st.peerings) }

// RouteTable returns the route table with the given ID.
func (s *Snapshot) RouteTable(id string) (*RouteTable, bool) { return lookup(s, &s.st.rts, id) }

// RouteTables returns every route table in ID order.
func (s *Snapshot) RouteTables() iter.Seq[*RouteTable] { return seq(&s.st.rts) }

// NSG returns the network security group with the given ID.
func (s *Snapshot) NSG(id string) (*NSG, bool) { return lookup(s, &s.st.nsgs, id) }

// NSGs returns every network security group in ID order.
func (s *Snapshot) NSGs() iter.Seq[*NSG] { return seq(&s.st.nsgs) }

// ASG returns the application security group with the given ID.
func (s *Snapshot) ASG(id string) (*ASG, bool) { return lookup(s, &s.st.asgs, id) }

// ASGMembers returns the private IP addresses of the IP configurations that
// are members of the application security group id.
func (s *Snapshot) ASGMembers(id string) []netip.Addr {
	return slices.Clone(s.asgMembers[Key(id)])
}

// NIC returns the network interface with the given ID.
func (s *Snapshot) NIC(id string) (*NIC, bool) { return lookup(s, &s.st.nics, id) }

// NICs returns every network interface in ID order.
func (s *Snapshot) NICs() iter.Seq[*NIC] { return seq(&s.st.nics) }

// NICsInSubnet returns the IDs of the NICs with an IP configuration in the
// subnet.
func (s *Snapshot) NICsInSubnet(subnet string) []string {
	return slices.Clone(s.nicsBySubnet[Key(subnet)])
}

// Firewall returns the Azure Firewall with the given ID.
func (s *Snapshot) Firewall(id string) (*Firewall, bool) { return lookup(s, &s.st.fws, id) }

// Firewalls returns every Azure Firewall in ID order.
func (s *Snapshot) Firewalls() iter.Seq[*Firewall] { return seq(&s.st.fws) }

// FirewallInSubnet returns the ID of the firewall with an IP configuration in
// the subnet, or "".
func (s *Snapshot) FirewallInSubnet(subnet string) string { return s.fwBySubnet[Key(subnet)] }

// FirewallPolicy returns the firewall policy with the given ID.
func (s *Snapshot) FirewallPolicy(id string) (*FirewallPolicy, bool) {
	return lookup(s, &s.st.policies, id)
}

// IPGroup returns the IP group with the given ID.
func (s *Snapshot) IPGroup(id string) (*IPGroup, bool) { return lookup(s, &s.st.ipgroups, id) }

// Gateway returns the virtual network gateway with the given ID.
func (s *Snapshot) Gateway(id string) (*Gateway, bool) { return lookup(s, &s.st.gws, id) }

// Gateways returns every virtual network gateway in ID order.
func (s *Snapshot) Gateways() iter.Seq[*Gateway] { return seq(&s.st.gws) }

// GatewaysInVNet returns the IDs of the gateways in the VNet.
func (s *Snapshot) GatewaysInVNet(vnet string) []string {
	return slices.Clone(s.gwByVNet[Key(vnet)])
}

// LocalGateway returns the local network gateway with the given ID.
func (s *Snapshot) LocalGateway(id string) (*LocalGateway, bool) { return lookup(s, &s.st.lgws, id) }

// Connection returns the gateway connection with the given ID.
func (s *Snapshot) Connection(id string) (*Connection, bool) { return lookup(s, &s.st.conns, id) }

// ConnectionsOf returns the IDs of the connections of a gateway.
func (s *Snapshot) ConnectionsOf(gateway string) []string {
	return slices.Clone(s.connsByGW[Key(gateway)])
}

// NATGateway returns the NAT gateway with the given ID.
func (s *Snapshot) NATGateway(id string) (*NATGateway, bool) { return lookup(s, &s.st.nats, id) }

// PublicIP returns the public IP address resource with the given ID.
func (s *Snapshot) PublicIP(id string) (*PublicIP, bool) { return lookup(s, &s.st.pips, id) }

// PublicIPOfConfig returns the ID of the public IP attached to an IP
// configuration, or "".
func (s *Snapshot) PublicIPOfConfig(ipConfigID string) string { return s.pipByConfig[Key(ipConfigID)] }

// PublicIPPrefix returns the public IP prefix with the given ID.
func (s *Snapshot) PublicIPPrefix(id string) (*PublicIPPrefix, bool) {
	return lookup(s, &s.st.prefixes, id)
}

// PrivateEndpoint returns the private endpoint with the given ID.
func (s *Snapshot) PrivateEndpoint(id string) (*PrivateEndpoint, bool) {
	return lookup(s, &s.st.pes, id)
}

// PrivateEndpoints returns every private endpoint in ID order.
func (s *Snapshot) PrivateEndpoints() iter.Seq[*PrivateEndpoint] { return seq(&s.st.pes) }

// PrivateEndpointsInSubnet returns the IDs of the private endpoints in a
// subnet.
func (s *Snapshot) PrivateEndpointsInSubnet(subnet string) []string {
	return slices.Clone(s.pesBySubnet[Key(subnet)])
}

// PrivateEndpointsFor returns the IDs of the private endpoints connected to
// the target resource (in any connection state).
func (s *Snapshot) PrivateEndpointsFor(target string) []string {
	return slices.Clone(s.pesByTarget[Key(target)])
}

// PrivateZone returns the private DNS zone with the given ID.
func (s *Snapshot) PrivateZone(id string) (*PrivateZone, bool) { return lookup(s, &s.st.zones, id) }

// PrivateZones returns every private DNS zone in ID order.
func (s *Snapshot) PrivateZones() iter.Seq[*PrivateZone] { return seq(&s.st.zones) }

// ZonesNamed returns the IDs of the private zones with the given DNS name
// (any case, with or without a trailing dot).
func (s *Snapshot) ZonesNamed(name string) []string {
	return slices.Clone(s.zonesByName[normName(name)])
}

// ZoneLinksOf returns the private zone links of a VNet.
func (s *Snapshot) ZoneLinksOf(vnet string) []ZoneLink {
	ls := s.linksByVNet[Key(vnet)]
	out := make([]ZoneLink, len(ls))
	for i, l := range ls {
		out[i] = *l
	}
	return out
}

// DNSResolver returns the DNS Private Resolver with the given ID.
func (s *Snapshot) DNSResolver(id string) (*DNSResolver, bool) { return lookup(s, &s.st.resolvers, id) }

// DNSResolvers returns every DNS Private Resolver in ID order.
func (s *Snapshot) DNSResolvers() iter.Seq[*DNSResolver] { return seq(&s.st.resolvers) }

// ResolversInVNet returns the IDs of the DNS resolvers in a VNet.
func (s *Snapshot) ResolversInVNet(vnet string) []string {
	return slices.Clone(s.resolverVNet[Key(vnet)])
}

// Ruleset returns the DNS forwarding ruleset with the given ID.
func (s *Snapshot) Ruleset(id string) (*Ruleset, bool) { return lookup(s, &s.st.rulesets, id) }

// RulesetsLinkedTo returns the IDs of the forwarding rulesets linked to a
// VNet.
func (s *Snapshot) RulesetsLinkedTo(vnet string) []string {
	return slices.Clone(s.rsLinks[Key(vnet)])
}

// Workspace returns the Azure ML workspace with the given ID.
func (s *Snapshot) Workspace(id string) (*Workspace, bool) { return lookup(s, &s.st.workspace, id) }

// Workspaces returns every Azure ML workspace in ID order.
func (s *Snapshot) Workspaces() iter.Seq[*Workspace] { return seq(&s.st.workspace) }

// LoadBalancer returns the load balancer with the given ID.
func (s *Snapshot) LoadBalancer(id string) (*LoadBalancer, bool) { return lookup(s, &s.st.lbs, id) }

// LoadBalancers returns every load balancer in ID order.
func (s *Snapshot) LoadBalancers() iter.Seq[*LoadBalancer] { return seq(&s.st.lbs) }

// FrontendRef is a frontend IP configuration of a load balancer.
type FrontendRef struct {
	LB    *LoadBalancer
	Index int // in LB.Frontends
}

// Frontend returns the frontend the reference names.
func (f FrontendRef) Frontend() *LBFrontend { return &f.LB.Frontends[f.Index] }

// LoadBalancerFrontendsAt returns the internal load-balancer frontends
// that hold the private address a, in load balancer ID order. They are
// not among [Snapshot.OwnersOf]: a frontend forwards to its backend pool
// rather than holding the address itself.
func (s *Snapshot) LoadBalancerFrontendsAt(a netip.Addr) []FrontendRef {
	return slices.Clone(s.lbFrontends[a.Unmap()])
}

// PoolMembers returns the IDs of the NIC IP configurations in a load
// balancer backend pool: those the pool lists (backendIPConfigurations)
// and those that name the pool (loadBalancerBackendAddressPools), in ID
// order.
func (s *Snapshot) PoolMembers(pool string) []string { return slices.Clone(s.poolMembers[Key(pool)]) }

// PoolsOf returns the IDs of the load balancer backend pools a NIC IP
// configuration is in, in ID order.
func (s *Snapshot) PoolsOf(ipConfig string) []string {
	return slices.Clone(s.configPools[Key(ipConfig)])
}

// NetworkManagers returns every network manager in ID order.
func (s *Snapshot) NetworkManagers() iter.Seq[*NetworkManager] { return seq(&s.st.managers) }

// NetworkManager returns the network manager with the given ID.
func (s *Snapshot) NetworkManager(id string) (*NetworkManager, bool) {
	return lookup(s, &s.st.managers, id)
}

// SecurityAdminConfigurations returns every security admin configuration
// in ID order.
func (s *Snapshot) SecurityAdminConfigurations() iter.Seq[*SecurityAdminConfiguration] {
	return seq(&s.st.admincfgs)
}

// AdminRuleCollections returns every admin rule collection in ID order.
func (s *Snapshot) AdminRuleCollections() iter.Seq[*AdminRuleCollection] {
	return seq(&s.st.admincols)
}

// VirtualHubs returns every Virtual WAN hub in ID order.
func (s *Snapshot) VirtualHubs() iter.Seq[*VirtualHub] { return seq(&s.st.hubs) }

// VirtualWAN returns the Virtual WAN with the given ID.
func (s *Snapshot) VirtualWAN(id string) (*VirtualWAN, bool) { return lookup(s, &s.st.wans, id) }

// indexLoadBalancers indexes internal frontends by address and pool
// membership both ways.
func (s *Snapshot) indexLoadBalancers() {
	s.lbFrontends = map[netip.Addr][]FrontendRef{}
	s.poolMembers = map[string][]string{}
	s.configPools = map[string][]string{}
	member := func(pool, cfg string) {
		pk, ck := Key(pool), Key(cfg)
		if !slices.ContainsFunc(s.poolMembers[pk], func(x string) bool { return SameID(x, cfg) }) {
			s.poolMembers[pk] = append(s.poolMembers[pk], cfg)
		}
		if !slices.ContainsFunc(s.configPools[ck], func(x string) bool { return SameID(x, pool) }) {
			s.configPools[ck] = append(s.configPools[ck], pool)
		}
	}
	for _, lb := range s.st.lbs.sorted() {
		for i, f := range lb.Frontends {
			if f.PrivateIP.IsValid() {
				a := f.PrivateIP.Unmap()
				s.lbFrontends[a] = append(s.lbFrontends[a], FrontendRef{lb, i})
			}
		}
		for _, p := range lb.Pools {
			for _, c := range p.IPConfigs {
				if c != "" {
					member(p.ID, c)
				}
			}
		}
	}
	for _, n := range s.st.nics.sorted() {
		for _, c := range n.IPConfigs {
			for _, p := range c.LBPools {
				if p != "" && c.ID != "" {
					member(p, c.ID)
				}
			}
		}
	}
	for _, m := range []map[string][]string{s.poolMembers, s.configPools} {
		for k := range m {
			slices.SortFunc(m[k], func(x, y string) int { return cmp.Compare(Key(x), Key(y)) })
		}
	}
}

// Has reports whether the snapshot holds the resource id names, of any
// modelled type (a child set aside because its parent is absent is not
// held).
func (s *Snapshot) Has(id string) bool {
	k := kindOf(typeOfID(id))
	return k != nil && k.has(&s.st, Key(id))
}

// OwnersOf returns the resources that hold the private address a, in ID
// order. Several owners are possible when unpeered VNets reuse addresses.
func (s *Snapshot) OwnersOf(a netip.Addr) []Owner {
	return slices.Clone(s.owners[a.Unmap()])
}

// OwnersShared returns the list OwnersOf copies: the snapshot's own,
// which the caller must not change. The walk asks it at every appliance
// and delivery.
func (s *Snapshot) OwnersShared(a netip.Addr) []Owner {
	return slices.Clip(s.owners[a.Unmap()])
}

// Warnings returns the problems found while building that did not drop a
// resource.
func (s *Snapshot) Warnings() []*Finding { return slices.Clone(s.warnings) }

// Counts returns the number of resources kept, by type.
func (s *Snapshot) Counts() map[string]int {
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// Skipped returns the number of resources of types vnetpath does not model,
// by type.
func (s *Snapshot) Skipped() map[string]int {
	out := make(map[string]int, len(s.skipped))
	for k, v := range s.skipped {
		out[k] = v
	}
	return out
}

// Resources returns the total number of resources kept.
func (s *Snapshot) Resources() int {
	n := 0
	for _, v := range s.counts {
		n += v
	}
	return n
}

// SubnetAt returns the subnet of VNet vnet whose prefixes contain a.
func (s *Snapshot) SubnetAt(vnet string, a netip.Addr) (*Subnet, bool) {
	v, ok := s.VNet(vnet)
	if !ok {
		return nil, false
	}
	a = a.Unmap()
	var best *Subnet
	bits := -1
	for _, id := range v.Subnets {
		sn, _ := s.Subnet(id)
		for _, p := range sn.Prefixes {
			if p.Contains(a) && p.Bits() > bits {
				best, bits = sn, p.Bits()
			}
		}
	}
	return best, best != nil
}

// VNetsContaining returns the VNets whose address space contains a, in ID
// order.
func (s *Snapshot) VNetsContaining(a netip.Addr) []*VNet {
	var out []*VNet
	a = a.Unmap()
	for _, v := range s.st.vnets.sorted() {
		for _, p := range v.AddressSpace {
			if p.Contains(a) {
				out = append(out, v)
				break
			}
		}
	}
	return out
}

// FindVNets returns the VNets that ref names: an ARM ID, or a name (any
// case). Several VNets may share a name across resource groups.
func (s *Snapshot) FindVNets(ref string) []*VNet {
	if v, ok := s.VNet(ref); ok {
		return []*VNet{v}
	}
	var out []*VNet
	for _, v := range s.st.vnets.sorted() {
		if strings.EqualFold(v.Name, strings.TrimSpace(ref)) {
			out = append(out, v)
		}
	}
	return out
}

// FindSubnets returns the subnets that ref names: an ARM ID, or
// "VNET/SUBNET" or "RESOURCEGROUP/VNET/SUBNET" by name (any case).
func (s *Snapshot) FindSubnets(ref string) []*Subnet {
	if sn, ok := s.Subnet(ref); ok {
		return []*Subnet{sn}
	}
	var rg, vname, sname string
	switch p := strings.Split(strings.TrimSpace(ref), "/"); len(p) {
	case 2:
		vname, sname = p[0], p[1]
	case 3:
		rg, vname, sname = p[0], p[1], p[2]
	default:
		return nil
	}
	var out []*Subnet
	for _, v := range s.FindVNets(vname) {
		if id, _ := ParseResourceID(v.ID); rg != "" && !strings.EqualFold(id.ResourceGroup, rg) {
			continue
		}
		for _, id := range v.Subnets {
			sn, _ := s.Subnet(id)
			if strings.EqualFold(sn.Name, sname) {
				out = append(out, sn)
			}
		}
	}
	return out
}

// SubnetsContaining returns the subnets (in any VNet) whose prefixes contain
// a, in ID order.
func (s *Snapshot) SubnetsContaining(a netip.Addr) []*Subnet {
	var out []*Subnet
	for _, v := range s.VNetsContaining(a) {
		if sn, ok := s.SubnetAt(v.ID, a); ok {
			out = append(out, sn)
		}
	}
	return out
}
