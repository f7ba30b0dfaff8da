package diff

import (
	"net/netip"
	"strings"
	"sync"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/topology"
)

// Locations are the keys of the incremental diff. An answer touches the
// places its path, rules and DNS chain went through; a changed resource
// affects the places where it can change forwarding or resolution. An
// answer is checked again when one of the places it touched (before the
// change) is affected. A location is the topology.Key of a resource (a
// subnet, a VNet, a NIC, a firewall, a route table, ...), "ip:" and an
// address (whatever owns or will own that address), dnsAll (every name
// resolution) or everything.
const (
	dnsAll     = "dns:*"
	everything = "*"
)

func ipLoc(a netip.Addr) string { return "ip:" + a.Unmap().String() }

// locator answers where resources are in one snapshot. Its reverse
// indexes are built on first use.
type locator struct {
	snap *topology.Snapshot
	once sync.Once
	ix   *reverse
}

// reverse holds, by the key of a resource, the IDs of what uses it.
type reverse struct {
	subnetsByRT, subnetsByNSG, subnetsByNAT map[string][]string
	nicsByNSG, nicsByASG, nsgsByASG         map[string][]string
	natsByPIP, pipOwners                    map[string][]string
	fwsByPolicy                             map[string][]string // policy -> firewalls using it or a policy based on it
	peers                                   map[string][]string // VNet -> VNets peered with it, either half
	subnetPeering                           map[string]bool     // VNet -> a peering of it names subnets
	gwsByLocal, gwsByConn                   map[string][]string
	rulesetVNets                            map[string][]string // ruleset -> linked VNets
	rulesetsByOutbound                      map[string][]string // outbound endpoint -> rulesets sending through it
}

func newLocator(snap *topology.Snapshot) *locator { return &locator{snap: snap} }

func (l *locator) rev() *reverse {
	l.once.Do(func() { l.ix = buildReverse(l.snap) })
	return l.ix
}

func buildReverse(s *topology.Snapshot) *reverse {
	r := &reverse{
		subnetsByRT: map[string][]string{}, subnetsByNSG: map[string][]string{}, subnetsByNAT: map[string][]string{},
		nicsByNSG: map[string][]string{}, nicsByASG: map[string][]string{}, nsgsByASG: map[string][]string{},
		natsByPIP: map[string][]string{}, pipOwners: map[string][]string{}, fwsByPolicy: map[string][]string{},
		peers: map[string][]string{}, subnetPeering: map[string]bool{}, gwsByLocal: map[string][]string{},
		gwsByConn: map[string][]string{}, rulesetVNets: map[string][]string{}, rulesetsByOutbound: map[string][]string{},
	}
	add := func(m map[string][]string, key, id string) {
		if key != "" && id != "" {
			k := topology.Key(key)
			m[k] = append(m[k], id)
		}
	}
	for it := range s.All() {
		switch v := it.Value.(type) {
		case *topology.Subnet:
			add(r.subnetsByRT, v.RouteTable, v.ID)
			add(r.subnetsByNSG, v.NSG, v.ID)
			add(r.subnetsByNAT, v.NATGateway, v.ID)
		case *topology.NIC:
			add(r.nicsByNSG, v.NSG, v.ID)
			for _, c := range v.IPConfigs {
				add(r.pipOwners, c.PublicIP, v.ID)
				for _, a := range c.ASGs {
					add(r.nicsByASG, a, v.ID)
				}
			}
		case *topology.SecurityRule:
			for _, a := range v.SourceASGs {
				add(r.nsgsByASG, a, topology.Parent(v.ID))
			}
			for _, a := range v.DestinationASGs {
				add(r.nsgsByASG, a, topology.Parent(v.ID))
			}
		case *topology.NATGateway:
			for _, p := range v.PublicIPs {
				add(r.natsByPIP, p, v.ID)
			}
			for _, p := range v.PublicIPPrefixes {
				add(r.natsByPIP, p, v.ID)
			}
			for _, sn := range v.Subnets {
				add(r.subnetsByNAT, v.ID, sn)
			}
		case *topology.Firewall:
			for _, c := range v.IPConfigs {
				add(r.pipOwners, c.PublicIP, v.ID)
			}
			if v.ManagementIPConfig != nil {
				add(r.pipOwners, v.ManagementIPConfig.PublicIP, v.ID)
			}
			seen := map[string]bool{}
			for p := v.Policy; p != "" && !seen[topology.Key(p)]; {
				seen[topology.Key(p)] = true
				add(r.fwsByPolicy, p, v.ID)
				pol, ok := s.FirewallPolicy(p)
				if !ok {
					break
				}
				p = pol.BasePolicy
			}
		case *topology.Peering:
			owner := v.VNet
			if owner == "" {
				owner = topology.Parent(v.ID)
			}
			add(r.peers, owner, v.RemoteVNet)
			add(r.peers, v.RemoteVNet, owner)
			if !v.PeerCompleteVNets {
				r.subnetPeering[topology.Key(owner)] = true
				r.subnetPeering[topology.Key(v.RemoteVNet)] = true
			}
		case *topology.Gateway:
			for _, c := range v.IPConfigs {
				add(r.pipOwners, c.PublicIP, v.ID)
			}
		case *topology.Connection:
			for _, g := range []string{v.Gateway1, v.Gateway2} {
				add(r.gwsByConn, it.ID, g)
				add(r.gwsByLocal, v.LocalGateway2, g)
			}
		case *topology.Ruleset:
			for _, oe := range v.OutboundEndpoints {
				add(r.rulesetsByOutbound, oe, v.ID)
			}
		case *topology.RulesetLink:
			rs := v.Ruleset
			if rs == "" {
				rs = topology.Parent(v.ID)
			}
			add(r.rulesetVNets, rs, v.VNet)
		}
	}
	return r
}

// locSet collects location keys once each.
type locSet struct {
	keys []string
	seen map[string]bool
}

func newLocSet() *locSet { return &locSet{seen: map[string]bool{}} }

func (s *locSet) add(keys ...string) {
	for _, k := range keys {
		if k != "" && !s.seen[k] {
			s.seen[k] = true
			s.keys = append(s.keys, k)
		}
	}
}

func (s *locSet) id(ids ...string) {
	for _, id := range ids {
		if strings.HasPrefix(id, "/") {
			s.add(topology.Key(id))
		}
	}
}

// place adds a resource and where it sits: the subnets and VNets of a
// subnet, NIC, private endpoint, firewall, gateway or resolver endpoint,
// both VNets of a peering.
func (l *locator) place(s *locSet, id string) {
	if !strings.HasPrefix(id, "/") {
		return
	}
	s.id(id)
	snap := l.snap
	subnet := func(sid string) {
		s.id(sid)
		if sn, ok := snap.Subnet(sid); ok {
			s.id(sn.VNet)
		} else {
			s.id(topology.Parent(sid))
		}
	}
	it, ok := snap.Resource(id)
	if !ok {
		return
	}
	switch v := it.Value.(type) {
	case *topology.Subnet:
		s.id(v.VNet, topology.Parent(v.ID))
	case *topology.NIC:
		for _, c := range v.IPConfigs {
			subnet(c.Subnet)
		}
	case *topology.PrivateEndpoint:
		subnet(v.Subnet)
	case *topology.Firewall:
		for _, c := range v.IPConfigs {
			subnet(c.Subnet)
		}
	case *topology.Gateway:
		s.id(v.VNet)
		for _, c := range v.IPConfigs {
			subnet(c.Subnet)
		}
	case *topology.ResolverEndpoint:
		subnet(v.Subnet)
	case *topology.Peering:
		s.id(v.VNet, topology.Parent(v.ID), v.RemoteVNet)
	}
}

// touched returns the locations an answer of estate e touched: the places
// of the resources it depends on ([engine.Engine.DependsOn]), the addresses
// its routes lead to, and for a name its DNS servers, the places it is
// resolved in and the way there.
func (l *locator) touched(e *engine.Engine, q engine.Query, r *answer.Result) []string {
	s := newLocSet()
	for _, id := range e.DependsOn(r) {
		l.place(s, id)
	}
	var hops [][]answer.Hop
	hops = append(hops, r.Hops, r.Then)
	if r.ReturnPath != nil {
		hops = append(hops, r.ReturnPath.Hops)
	}
	for _, p := range r.Parts {
		hops = append(hops, p.Hops)
	}
	for _, hs := range hops {
		for i := range hs {
			l.nextHop(s, hs[i].Route)
			for j := range hs[i].Steps {
				l.nextHop(s, hs[i].Steps[j].Route)
			}
		}
	}
	for i := range r.Blockers {
		l.nextHop(s, r.Blockers[i].Route)
	}
	if a, err := netip.ParseAddr(strings.TrimSpace(q.To)); err == nil {
		l.addr(s, a)
	}
	if a, err := netip.ParseAddr(r.Source); err == nil {
		l.addr(s, a)
	}
	if r.DNS != nil || isName(q.To) {
		l.dns(s, r)
	}
	return s.keys
}

// isName reports whether a destination is a name to resolve (not an
// address, a prefix or a tag).
func isName(to string) bool {
	to = strings.TrimSpace(to)
	if strings.HasPrefix(to, "tag:") {
		return false
	}
	if _, err := netip.ParseAddr(to); err == nil {
		return false
	}
	if _, err := netip.ParsePrefix(to); err == nil {
		return false
	}
	return true
}

func (l *locator) nextHop(s *locSet, r *answer.RouteRef) {
	if r == nil {
		return
	}
	if a, err := netip.ParseAddr(r.NextHopIPAddress); err == nil {
		l.addr(s, a)
	}
}

// addr adds an address and the places of its owners.
func (l *locator) addr(s *locSet, a netip.Addr) {
	s.add(ipLoc(a))
	for _, o := range l.snap.OwnersOf(a) {
		l.place(s, o.ID)
	}
}

// dns adds what a resolution from the answer's source depends on beyond
// the answer's DNS chain: every resolution (dnsAll), the first DNS server
// and where it resolves, the way to it (the owners of the source subnet's
// user-route next hops), and the rulesets linked to the VNets it resolves
// in with the targets they forward to.
func (l *locator) dns(s *locSet, r *answer.Result) {
	s.add(dnsAll)
	snap := l.snap
	var sn *topology.Subnet
	var nic *topology.NIC
	if a, err := netip.ParseAddr(r.Source); err == nil {
		for _, o := range snap.OwnersOf(a) {
			if o.Kind == topology.OwnerNIC {
				nic, _ = snap.NIC(o.ID)
			}
		}
		if sns := snap.SubnetsContaining(a); len(sns) > 0 {
			sn = sns[0]
		}
	} else if x, ok := snap.Subnet(r.Source); ok {
		sn = x
	}
	if sn == nil {
		return
	}
	vnets := []string{sn.VNet}
	if a, ok := firstServer(snap, sn, nic); ok {
		s.add(ipLoc(a))
		for _, o := range snap.OwnersOf(a) {
			l.place(s, o.ID)
			vnets = append(vnets, o.VNet)
		}
		if rt, ok := snap.RouteTable(sn.RouteTable); ok {
			for _, rr := range rt.Routes {
				if rr.NextHopIP.IsValid() {
					l.addr(s, rr.NextHopIP)
				}
			}
		}
	}
	for _, v := range vnets {
		for _, rsID := range snap.RulesetsLinkedTo(v) {
			s.id(rsID)
			rs, ok := snap.Ruleset(rsID)
			if !ok {
				continue
			}
			for _, fr := range rs.Rules {
				for _, t := range fr.Targets {
					if t.IP.IsValid() {
						l.addr(s, t.IP)
					}
				}
			}
		}
	}
}

// firstServer returns the custom DNS server a client in sn (or on nic)
// uses first; ok is false for Azure-provided DNS.
func firstServer(snap *topology.Snapshot, sn *topology.Subnet, nic *topology.NIC) (netip.Addr, bool) {
	if nic != nil && len(nic.DNSServers) > 0 {
		a, err := netip.ParseAddr(strings.TrimSpace(nic.DNSServers[0]))
		return a.Unmap(), err == nil
	}
	if v, ok := snap.VNet(sn.VNet); ok && len(v.DNSServers) > 0 {
		return v.DNSServers[0].Unmap(), true
	}
	return netip.Addr{}, false
}

// affected returns the locations a change to resource id affects, in the
// estate before (b) and after (a) the change: the resource and its
// parents, and by type what it decides for (see the package
// documentation).
func affected(b, a *locator, id string) []string {
	s := newLocSet()
	for p := id; p != ""; p = topology.Parent(p) {
		s.id(p)
	}
	known := false
	for _, l := range []*locator{b, a} {
		if it, ok := l.snap.Resource(id); ok {
			known = true
			l.affects(s, it)
		}
	}
	if !known {
		// Neither estate holds it (declared missing): what references it
		// is affected through its parents and the places it would be.
		if p := topology.Parent(id); p != "" {
			for _, l := range []*locator{b, a} {
				if it, ok := l.snap.Resource(p); ok {
					l.affects(s, it)
				}
			}
		}
		if _, ok := topology.LookupType(typeOf(id)); !ok {
			s.add(everything)
		}
	}
	return s.keys
}

func typeOf(id string) string {
	r, ok := topology.ParseResourceID(id)
	if !ok {
		return ""
	}
	return r.Type()
}

// affects adds the places a change to it affects in this estate.
func (l *locator) affects(s *locSet, it topology.Item) {
	snap := l.snap
	ix := l.rev()
	key := topology.Key(it.ID)
	// What a route table, NSG or NAT gateway decides is the forwarding of
	// its subnets (as a source, a hop or a destination) and of its NICs.
	subnetsOf := func(ids []string) { s.id(ids...) }
	nicsOf := func(ids []string) {
		for _, id := range ids {
			s.id(id)
			if n, ok := snap.NIC(id); ok {
				for _, c := range n.IPConfigs {
					s.id(c.Subnet)
				}
			}
		}
	}
	switch v := it.Value.(type) {
	case *topology.VNet:
		s.id(v.Subnets...)
		s.id(ix.peers[key]...)
	case *topology.Subnet:
		s.id(v.VNet)
		if ix.subnetPeering[topology.Key(v.VNet)] {
			s.id(ix.peers[topology.Key(v.VNet)]...)
		}
	case *topology.Peering:
		s.id(v.VNet, v.RemoteVNet)
	case *topology.RouteTable:
		subnetsOf(ix.subnetsByRT[key])
	case *topology.Route:
		if rt, ok := snap.RouteTable(topology.Parent(v.ID)); ok {
			l.affects(s, topology.Item{ID: rt.ID, Type: topology.TypeRouteTable, Value: rt})
		}
	case *topology.NSG:
		subnetsOf(ix.subnetsByNSG[key])
		nicsOf(ix.nicsByNSG[key])
	case *topology.SecurityRule:
		if n, ok := snap.NSG(topology.Parent(v.ID)); ok {
			l.affects(s, topology.Item{ID: n.ID, Type: topology.TypeNSG, Value: n})
		}
	case *topology.ASG:
		for _, nsg := range ix.nsgsByASG[key] {
			if n, ok := snap.NSG(nsg); ok {
				l.affects(s, topology.Item{ID: n.ID, Type: topology.TypeNSG, Value: n})
			}
		}
		nicsOf(ix.nicsByASG[key])
	case *topology.NIC:
		l.place(s, v.ID)
		for _, c := range v.IPConfigs {
			if c.PrivateIP.IsValid() {
				s.add(ipLoc(c.PrivateIP))
			}
		}
		if pe, ok := snap.PrivateEndpoint(v.PrivateEndpoint); ok {
			l.affects(s, topology.Item{ID: pe.ID, Type: topology.TypePrivateEndpoint, Value: pe})
		}
	case *topology.Firewall:
		l.place(s, v.ID)
		for _, c := range v.IPConfigs {
			if c.PrivateIP.IsValid() {
				s.add(ipLoc(c.PrivateIP))
			}
		}
	case *topology.FirewallPolicy:
		s.id(ix.fwsByPolicy[key]...)
	case *topology.RuleCollectionGroup:
		s.id(ix.fwsByPolicy[topology.Key(topology.Parent(v.ID))]...)
	case *topology.IPGroup:
		for fw := range snap.Firewalls() {
			s.id(fw.ID)
		}
	case *topology.Gateway:
		l.place(s, v.ID)
		s.id(ix.peers[topology.Key(v.VNet)]...)
		for _, c := range v.IPConfigs {
			if c.PrivateIP.IsValid() {
				s.add(ipLoc(c.PrivateIP))
			}
		}
	case *topology.LocalGateway:
		l.gateways(s, ix.gwsByLocal[key])
	case *topology.Connection:
		l.gateways(s, ix.gwsByConn[key])
	case *topology.NATGateway:
		subnetsOf(ix.subnetsByNAT[key])
	case *topology.PublicIP:
		for _, ng := range ix.natsByPIP[key] {
			s.id(ng)
			subnetsOf(ix.subnetsByNAT[topology.Key(ng)])
		}
		s.id(ix.pipOwners[key]...)
		if v.IPConfiguration != "" {
			if owner, _, ok := ownerOf(v.IPConfiguration); ok {
				s.id(owner)
			}
		}
	case *topology.PublicIPPrefix:
		for _, ng := range ix.natsByPIP[key] {
			s.id(ng)
			subnetsOf(ix.subnetsByNAT[topology.Key(ng)])
		}
	case *topology.PrivateEndpoint:
		s.add(dnsAll)
		l.place(s, v.ID)
		if sn, ok := snap.Subnet(v.Subnet); ok {
			s.id(ix.peers[topology.Key(sn.VNet)]...)
		}
		for _, n := range v.NICs {
			if nic, ok := snap.NIC(n); ok {
				for _, c := range nic.IPConfigs {
					if c.PrivateIP.IsValid() {
						s.add(ipLoc(c.PrivateIP))
					}
				}
			}
		}
		for _, c := range v.StaticIPs {
			if c.PrivateIP.IsValid() {
				s.add(ipLoc(c.PrivateIP))
			}
		}
		for _, d := range v.CustomDNSConfigs {
			for _, a := range d.IPs {
				s.add(ipLoc(a))
			}
		}
		for _, c := range v.Connections {
			s.id(c.Target)
		}
	case *topology.PrivateZone, *topology.DNSRecord:
		s.add(dnsAll)
	case *topology.ZoneLink:
		s.id(v.VNet)
	case *topology.DNSResolver:
		s.id(v.VNet)
		for _, e := range v.Inbound {
			l.affects(s, topology.Item{ID: e.ID, Type: topology.TypeInboundEndpoint, Value: &e})
		}
	case *topology.ResolverEndpoint:
		l.place(s, v.ID)
		for _, a := range v.IPs {
			s.add(ipLoc(a))
		}
		// Rulesets that send through an outbound endpoint resolve
		// differently.
		for _, rs := range ix.rulesetsByOutbound[key] {
			s.id(ix.rulesetVNets[topology.Key(rs)]...)
		}
	case *topology.Ruleset:
		s.id(ix.rulesetVNets[key]...)
	case *topology.ForwardingRule:
		s.id(ix.rulesetVNets[topology.Key(topology.Parent(v.ID))]...)
	case *topology.RulesetLink:
		s.id(v.VNet)
		s.id(ix.rulesetVNets[topology.Key(topology.Parent(v.ID))]...)
	case *topology.Workspace:
		s.add(dnsAll)
	default:
		s.add(everything)
	}
}

// gateways adds what a change to the given gateways affects.
func (l *locator) gateways(s *locSet, ids []string) {
	for _, id := range ids {
		if g, ok := l.snap.Gateway(id); ok {
			l.affects(s, topology.Item{ID: g.ID, Type: topology.TypeGateway, Value: g})
		}
	}
}

// ownerOf returns the resource an IP configuration ID belongs to: the NIC
// of ".../networkInterfaces/n/ipConfigurations/c".
func ownerOf(ipConfig string) (string, string, bool) {
	r, ok := topology.ParseResourceID(ipConfig)
	if !ok || len(r.Names) < 2 {
		return "", "", false
	}
	p := topology.Parent(ipConfig)
	return p, typeOf(p), p != ""
}
