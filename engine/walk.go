package engine

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/route"
	"github.com/vnetpath/vnetpath/topology"
)

const (
	maxHops     = 24  // a path longer than this is a loop
	maxOutcomes = 128 // forks beyond this are cut, with a warning
)

// flow is what one check asks about, besides its sides.
type flow struct {
	proto Protocol
	port  uint16
	fqdn  string // the destination's name, when the check named one
	tag   string // the service tag the destination stands for, when known
}

// device is a stateful or forwarding box the request passed.
type device struct {
	kind string // azureFirewall or virtualAppliance
	id   string
	name string
	snat bool       // it translated the source
	orig addrs      // the source before translation
	ctx  *subnetCtx // the subnet it sits in
	nic  *topology.NIC
	fw   *compiledFW
}

// blocker is something that stops (part of) a flow, with the change that
// would lift it.
type blocker struct {
	verdict Verdict
	reason  string
	fix     string
	hop     int // index of the hop where it stopped the packet
}

// state is (part of) a packet in flight.
type state struct {
	at        *subnetCtx // the subnet whose routes choose the next hop
	src       addrs      // the source as seen now (after any SNAT)
	origSrc   addrs      // the source as it left
	dst       addrs
	srcNIC    *topology.NIC // the source NIC, when the check named one
	forwarded bool          // an appliance forwarded it
	devices   []device      // appliances passed, in order
	hops      []Hop
	blockers  []blocker
	egress    *Egress
}

func (s state) fork() state {
	s.devices = slices.Clone(s.devices)
	s.blockers = slices.Clone(s.blockers)
	s.hops = slices.Clone(s.hops)
	for i := range s.hops {
		s.hops[i].Rules = slices.Clone(s.hops[i].Rules)
	}
	return s
}

func (s *state) last() *Hop { return &s.hops[len(s.hops)-1] }

// block records a blocker at the current (last) hop.
func (s *state) block(v Verdict, reason, fix string) {
	s.blockers = append(s.blockers, blocker{v, reason, fix, len(s.hops) - 1})
}

func (s *state) visited(id string) bool {
	for _, d := range s.devices {
		if topology.SameID(d.id, id) {
			return true
		}
	}
	return false
}

// outcome is where one part of a flow ended.
type outcome struct {
	st       state
	terminal Verdict // Reachable, or the verdict of a hard stop
	reason   string
	ret      *ReturnPath
}

// verdict returns the verdict of the outcome: the first blocker on the
// path, else the hard stop, else a broken return path, else reachable.
func (o *outcome) verdict() (Verdict, string) {
	if len(o.st.blockers) > 0 {
		return o.st.blockers[0].verdict, o.st.blockers[0].reason
	}
	if o.terminal != Reachable {
		return o.terminal, o.reason
	}
	if o.ret != nil && !o.ret.OK {
		return ReturnPathBroken, o.ret.Reason
	}
	return Reachable, o.reason
}

// walker runs one check.
type walker struct {
	e        *Engine
	f        flow
	dst      addrs  // the whole destination of the check
	dstKey   string // names dst when it is a whole service tag, for memoising
	outcomes []outcome
	notes    pieceNotes // warnings
	assume   pieceNotes // assumptions the verdict rests on
	cut      bool
}

// label names a destination part in sentences: the check's tag or name
// when it is the whole destination, else its addresses, shortened.
func (w *walker) label(a addrs) string {
	if a.equal(w.dst) || a.isSym() {
		switch {
		case w.f.tag != "":
			return "tag:" + w.f.tag
		case a.isSym():
			return a.String()
		}
	}
	return describeAddrs(a)
}

func (w *walker) finish(st state, terminal Verdict, reason, fix string) {
	if len(w.outcomes) >= maxOutcomes {
		w.cut = true
		return
	}
	if terminal != Reachable && fix != "" {
		st.block(terminal, reason, fix)
	}
	w.outcomes = append(w.outcomes, outcome{st: st, terminal: terminal, reason: reason})
}

// start evaluates the source's outbound NSGs (NIC, then subnet; reference
// §3.3) and routes what leaves.
func (w *walker) start(st state) {
	c := st.at
	hop := Hop{Node: c.sn.ID, Kind: "subnet", Name: c.name}
	if st.srcNIC != nil {
		hop = Hop{Node: st.srcNIC.ID, Kind: "nic", Name: st.srcNIC.Name, Note: "in subnet " + c.name}
	}
	st.hops = append(st.hops, hop)
	var nsgs []*topology.NSG
	if st.srcNIC != nil && st.srcNIC.NSG != "" {
		if n, ok := w.e.snap.NSG(st.srcNIC.NSG); ok {
			nsgs = append(nsgs, n)
		}
	}
	if c.nsg != nil {
		nsgs = append(nsgs, c.nsg)
	}
	w.throughNSGs(st, c, nsgs, topology.DirectionOutbound, func(st state) { w.route(st) })
}

// throughNSGs evaluates NSGs in order for the state's flow, splitting where
// they decide differently, and calls next for each part. Denied parts
// continue as if allowed, carrying a blocker, so that every blocker on the
// path is found.
func (w *walker) throughNSGs(st state, c *subnetCtx, nsgs []*topology.NSG, dir topology.Direction, next func(state)) {
	if len(nsgs) == 0 {
		next(st)
		return
	}
	n := w.e.compileNSG(c, nsgs[0], dir)
	for _, v := range n.eval(st.src, st.dst, w.f.proto, w.f.port, &w.notes) {
		s := st.fork()
		s.src, s.dst = v.src, v.dst
		if st.src.equal(st.origSrc) {
			s.origSrc = v.src // not translated yet: the original source narrows too
		}
		s.last().Rules = append(s.last().Rules, v.rules...)
		if !v.allow {
			reason, fix := w.nsgDenied(nsgs[0], dir, v, s)
			s.block(DeniedByNSG, reason, fix)
		}
		w.throughNSGs(s, c, nsgs[1:], dir, next)
	}
}

// route looks up the next hop for the state's destination in the current
// subnet's effective routes, splitting the destination where routes differ.
func (w *walker) route(st state) {
	if len(st.hops) > maxHops {
		w.finish(st, Loop, fmt.Sprintf("the path is longer than %d hops", maxHops), "find the routing loop among the hops listed and point one route elsewhere")
		return
	}
	c := st.at
	if a, ok := st.dst.single(); ok && isPlatformAddr(a) {
		name := "Azure DNS and the host agent (168.63.129.16)"
		if a == imds {
			name = "the instance metadata service (169.254.169.254)"
		}
		st.hops = append(st.hops, Hop{Node: a.String(), Kind: "platform", Name: name, Action: "delivered",
			Note: "reached from every NIC without routes; NSGs filter it only through AzurePlatform* tags (reference §3.6)"})
		w.finish(st, Reachable, "delivered to "+name+" by the platform", "")
		return
	}
	if st.dst.isSym() {
		id, ok := w.lookupSym(c, st.dst.sym)
		w.follow(st, id, ok)
		return
	}
	pieces := w.lookupSet(c, st.dst)
	for _, p := range pieces {
		s := st
		if len(pieces) > 1 {
			s = st.fork()
			s.dst = concrete(p.Set)
		}
		w.follow(s, p.Route, p.OK)
	}
}

// lookupSet looks up the routes of a destination set, memoised per subnet
// when it is a whole service tag.
func (w *walker) lookupSet(c *subnetCtx, d addrs) []route.Piece {
	if w.dstKey == "" || !d.equal(w.dst) {
		return c.table.LookupSet(d.set)
	}
	if v, ok := c.pieces.Load(w.dstKey); ok {
		return v.([]route.Piece)
	}
	p := c.table.LookupSet(d.set)
	c.pieces.Store(w.dstKey, p)
	return p
}

// lookupSym chooses the route for a public tag known only by name: a route
// written with that tag (or its global tag) wins, else the route that covers
// the whole IPv4 space.
func (w *walker) lookupSym(c *subnetCtx, tag string) (route.ID, bool) {
	best, found, bestUser := route.ID(0), false, false
	for _, id := range c.sym {
		r := c.table.Route(id)
		if !tagCovers(r.Tag, tag) {
			continue
		}
		user := r.Source == route.SourceUser
		if !found || (user && !bestUser) || (strings.EqualFold(r.Tag, tag) && !strings.EqualFold(c.table.Route(best).Tag, tag)) {
			best, found, bestUser = id, true, user
		}
	}
	if found {
		w.assume.add(fmt.Sprintf("route for service tag %s was matched by name: no service-tag catalog was given", tag))
		return best, true
	}
	id, ok := c.table.LookupPrefix(netip.MustParsePrefix("0.0.0.0/0"))
	if ok {
		for _, r := range c.publicUDRs {
			w.notes.add(fmt.Sprintf("route %s (%s) of %s covers public addresses; without a service-tag catalog vnetpath cannot tell whether tag:%s falls in it, and assumed it does not",
				r.Name, r.Prefixes[0], c.name, tag))
		}
	}
	return id, ok
}

// routeRef renders a route for a hop, showing the prefix that matched.
func routeRef(t *route.Table, id route.ID, dst addrs) *RouteRef {
	r := t.Route(id)
	ref := &RouteRef{NextHopType: string(r.NextHopType), Source: r.Source.String(), Name: r.Name, Origin: r.Origin}
	if r.NextHopIP.IsValid() {
		ref.NextHopIPAddress = r.NextHopIP.String()
	}
	ref.AddressPrefix = matchedPrefix(r, dst)
	return ref
}

func matchedPrefix(r route.Route, dst addrs) string {
	if len(r.Prefixes) == 0 {
		return r.Tag
	}
	if !dst.isSym() {
		best := netip.Prefix{}
		for _, p := range r.Prefixes {
			if dst.set.OverlapsPrefix(p) && (!best.IsValid() || p.Bits() > best.Bits()) {
				best = p
			}
		}
		if best.IsValid() && r.Tag == "" {
			return best.String()
		}
	}
	if r.Tag != "" {
		return r.Tag
	}
	return r.Prefixes[0].String()
}

// rfc1918of172 is the reserved range whose removal by a 0.0.0.0/0 user
// route the documentation does not state (reference §1.1).
var rfc1918of172 = netip.MustParsePrefix("172.16.0.0/12")

// follow acts on the chosen route.
func (w *walker) follow(st state, id route.ID, ok bool) {
	c := st.at
	if !ok {
		w.finish(st, Blackhole, fmt.Sprintf("no route of %s covers %s", c.name, w.label(st.dst)),
			fmt.Sprintf("add a route for %s to the route table of %s, or give VNet %s address space of that family", w.label(st.dst), c.name, c.vnet.Name))
		return
	}
	st.last().Route = routeRef(c.table, id, st.dst)
	r := c.table.Route(id)
	if r.Source == route.SourceUser && !st.dst.isSym() && st.dst.set.OverlapsPrefix(rfc1918of172) {
		for _, p := range r.Prefixes {
			if p.Bits() < rfc1918of172.Bits() && p.Contains(rfc1918of172.Addr()) {
				w.assume.add(fmt.Sprintf("route %s applies to %s because the subnet's 0.0.0.0/0 user route removes the 172.16.0.0/12 None route; the documentation says so only for 10.0.0.0/8, 192.168.0.0/16 and 100.64.0.0/10, and vnetpath reads it the same way for 172.16.0.0/12 (reference §1.1)",
					describeRoute(r), w.label(st.dst)))
				break
			}
		}
	}
	switch r.NextHopType {
	case topology.NextHopVnetLocal:
		w.inVNet(st, c.vnet, nil, r)
	case topology.NextHopVNetPeering, topology.NextHopVNetGlobalPeering:
		w.overPeering(st, r)
	case topology.NextHopInterfaceEndpoint:
		w.toPrivateEndpoint(st, r)
	case topology.NextHopVirtualAppliance, topology.NextHopVirtualApplianceEcmp:
		w.toAppliance(st, r)
	case topology.NextHopVirtualNetworkGateway:
		w.toGateway(st, r)
	case topology.NextHopInternet:
		w.toInternet(st, r)
	case topology.NextHopVirtualNetworkServiceEndpoint:
		st.egress = &Egress{Via: c.sn.ID, Method: "serviceEndpoint"}
		st.hops = append(st.hops, Hop{Node: "Microsoft backbone", Kind: "service", Action: "delivered",
			Note: "service endpoint: the service sees the private source address"})
		w.finish(st, Reachable, fmt.Sprintf("reaches %s over the service endpoint of %s", w.label(st.dst), c.name), "")
	case topology.NextHopNone:
		w.dropped(st, r)
	default:
		w.finish(st, Blackhole, fmt.Sprintf("next hop type %s of route %s is not modelled", r.NextHopType, describeRoute(r)),
			"replace the route with one of a supported next hop type")
	}
}

func describeRoute(r route.Route) string {
	p := r.Tag
	if len(r.Prefixes) > 0 && r.Tag == "" {
		p = r.Prefixes[0].String()
	}
	if r.Name != "" {
		return fmt.Sprintf("%s (%s → %s)", r.Name, p, r.NextHopType)
	}
	return fmt.Sprintf("%s → %s (%s)", p, r.NextHopType, r.Source)
}

// dropped handles a None route: Azure's reserved-range routes or a user
// route that discards.
func (w *walker) dropped(st state, r route.Route) {
	c := st.at
	if r.Source == route.SourceUser {
		w.finish(st, Blackhole, fmt.Sprintf("route %s of route table %s drops traffic to %s", r.Name, topology.NameOf(r.Origin), w.label(st.dst)),
			fmt.Sprintf("remove route %s from %s or give it a next hop", r.Name, topology.NameOf(r.Origin)))
		return
	}
	reason := fmt.Sprintf("%s matches only the system route %s → None in %s: no peering, gateway or user route covers it", w.label(st.dst), matchedPrefix(r, st.dst), c.name)
	fix := fmt.Sprintf("route %s from %s somewhere: add a user route (for example through a hub appliance) or a peering", w.label(st.dst), c.name)
	if a, ok := st.dst.single(); ok {
		vs := w.e.snap.VNetsContaining(a)
		if len(vs) > 0 {
			target := vs[0]
			// A peering half that exists but is not Connected installs no
			// route: the peering is to blame, not a missing one (§2.2).
			if p, q := w.e.peeringTo(c.vnet.ID, target.ID), w.e.peeringTo(target.ID, c.vnet.ID); p != nil || q != nil {
				why, pfix := w.peeringCheck(p, q, c.vnet.ID, target.ID, st.forwarded)
				in := func(x netip.Prefix) bool { return x.Contains(a) }
				if dsn, ok := w.e.snap.SubnetAt(target.ID, a); why == "" && p != nil && !p.PeerCompleteVNets && len(p.RemoteSubnetNames) > 0 && ok {
					// A subnet peering routes only the subnets it names (§2.7).
					why = fmt.Sprintf("peering %s covers only subnets %s of %s; %s, which holds %s, is not one of them (reference §2.7)",
						p.Name, strings.Join(p.RemoteSubnetNames, ", "), target.Name, dsn.Name, a)
					pfix = fmt.Sprintf("add %s to the remote subnet names of peering %s (and to the local subnet names of its other half)", dsn.Name, p.Name)
				}
				if why == "" && p != nil && p.PeerCompleteVNets && len(p.RemoteAddressSpace) > 0 && !slices.ContainsFunc(p.RemoteAddressSpace, in) && slices.ContainsFunc(p.RemoteVNetAddressSpace, in) {
					// The peer's range was added but not synced (§2.6).
					why = fmt.Sprintf("peering %s has not synced the range of VNet %s that holds %s (peeringSyncLevel %s), so it routes only %s (reference §2.6)",
						p.Name, target.Name, a, p.SyncLevel, prefixList(p.RemoteAddressSpace))
					pfix = fmt.Sprintf("sync peering %s (and the half owned by %s) so that it routes %s's current address space", p.Name, target.Name, target.Name)
				}
				if why != "" {
					w.finish(st, BlockedByPeering, why, pfix)
					return
				}
			}
			reason = fmt.Sprintf("%s is in VNet %s, which is not peered with %s (peering is not transitive), so only the system route %s → None matches",
				a, target.Name, c.vnet.Name, matchedPrefix(r, st.dst))
			fix = fmt.Sprintf("peer %s with %s, or add a user route on %s sending %s to an appliance in a VNet peered with both (for example the hub firewall)",
				c.vnet.Name, target.Name, c.name, prefixList(target.AddressSpace))
			if hubFW := w.sharedFirewall(c.vnet, target); hubFW != "" {
				fix = fmt.Sprintf("add a user route on %s sending %s to next hop VirtualAppliance %s, with the matching route back on %s's side, or peer %s with %s",
					c.name, prefixList(target.AddressSpace), hubFW, target.Name, c.vnet.Name, target.Name)
			}
		}
	}
	w.finish(st, Blackhole, reason, fix)
}

// sharedFirewall returns "name (IP)" of a firewall in a VNet peered with
// both a and b, or "".
func (w *walker) sharedFirewall(a, b *topology.VNet) string {
	for _, p := range w.e.connectedPeerings(a) {
		if w.e.peeringTo(b.ID, p.RemoteVNet) == nil {
			continue
		}
		for fw := range w.e.snap.Firewalls() {
			for _, ic := range fw.IPConfigs {
				if sn, ok := w.e.snap.Subnet(ic.Subnet); ok && topology.SameID(sn.VNet, p.RemoteVNet) && ic.PrivateIP.IsValid() {
					return fmt.Sprintf("%s (firewall %s)", ic.PrivateIP, fw.Name)
				}
			}
		}
	}
	return ""
}

func prefixList(ps []netip.Prefix) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.String()
	}
	return strings.Join(parts, ", ")
}

// inVNet delivers to the subnets of VNet v that hold the destination
// (VnetLocal, or the far side of a peering).
func (w *walker) inVNet(st state, v *topology.VNet, over *topology.Peering, r route.Route) {
	if st.dst.isSym() {
		w.finish(st, Blackhole, fmt.Sprintf("route %s sends %s into VNet %s, which does not hold it", describeRoute(r), w.label(st.dst), v.Name),
			fmt.Sprintf("route %s to Internet or to an appliance instead of %s", w.label(st.dst), r.NextHopType))
		return
	}
	rest := st.dst.set
	for _, id := range v.Subnets {
		sn, ok := w.e.snap.Subnet(id)
		if !ok {
			continue
		}
		part := rest.Intersect(cidr.SetOf(sn.Prefixes...))
		if part.IsEmpty() {
			continue
		}
		rest = rest.Subtract(part)
		s := st
		if !part.Equal(st.dst.set) {
			s = st.fork()
			s.dst = concrete(part)
		}
		if over != nil && !over.PeerCompleteVNets && len(over.RemoteSubnetNames) > 0 && !containsFold(over.RemoteSubnetNames, sn.Name) {
			s.block(BlockedByPeering, fmt.Sprintf("peering %s covers only subnets %s of %s; %s is not one of them, so packets are dropped at the far end (reference §2.7)",
				over.Name, strings.Join(over.RemoteSubnetNames, ", "), v.Name, sn.Name),
				fmt.Sprintf("add %s to the remote subnet names of peering %s (and the source subnet to its local subnet names)", sn.Name, over.Name))
		}
		if over != nil && !over.PeerCompleteVNets && len(over.LocalSubnetNames) > 0 && !containsFold(over.LocalSubnetNames, st.at.sn.Name) {
			s.block(BlockedByPeering, fmt.Sprintf("peering %s covers only subnets %s of %s; %s is not one of them, so its packets are dropped at the far end although it has the route (reference §2.7)",
				over.Name, strings.Join(over.LocalSubnetNames, ", "), st.at.vnet.Name, st.at.sn.Name),
				fmt.Sprintf("add %s to the local subnet names of peering %s (and to the remote subnet names of its other half)", st.at.sn.Name, over.Name))
		}
		w.deliver(s, sn)
	}
	if !rest.IsEmpty() {
		s := st.fork()
		s.dst = concrete(rest)
		w.finish(s, Blackhole, fmt.Sprintf("no subnet of VNet %s holds %s", v.Name, describeAddrs(concrete(rest))),
			fmt.Sprintf("check the destination address: %s is in VNet %s's space but in none of its subnets", describeAddrs(concrete(rest)), v.Name))
	}
}

// peeringCheck returns why the peering between p's VNet and its remote
// cannot carry a packet toward the remote (forwarded: an appliance
// forwarded it), and the fix; "" when it can (reference §2.1, §2.2).
func (w *walker) peeringCheck(p, q *topology.Peering, fromVNet, toVNet string, forwarded bool) (string, string) {
	from, to := topology.NameOf(fromVNet), topology.NameOf(toVNet)
	switch {
	case p == nil && q == nil:
		return fmt.Sprintf("VNets %s and %s are not peered", from, to),
			fmt.Sprintf("peer %s with %s (both halves)", from, to)
	case p == nil:
		return fmt.Sprintf("only one half of the peering exists: %s (owned by %s, %s); %s has no peering to %s", q.Name, to, q.State, from, to),
			fmt.Sprintf("create the peering from %s to %s so that %s becomes Connected", from, to, q.Name)
	case q == nil:
		return fmt.Sprintf("only one half of the peering exists: %s (owned by %s, %s); %s has no peering to %s", p.Name, from, p.State, to, from),
			fmt.Sprintf("create the peering from %s to %s so that %s becomes Connected", to, from, p.Name)
	case p.State != topology.PeeringConnected || q.State != topology.PeeringConnected:
		bad := p
		if p.State == topology.PeeringConnected {
			bad = q
		}
		fix := fmt.Sprintf("re-create peering %s (a Disconnected peering never recovers; reference §2.2)", bad.Name)
		if bad.State == topology.PeeringInitiated {
			fix = fmt.Sprintf("create the matching half of peering %s so both sides are Connected", bad.Name)
		}
		return fmt.Sprintf("peering %s is %s (%s is %s); both halves must be Connected", bad.Name, bad.State, otherHalf(bad, p, q).Name, otherHalf(bad, p, q).State), fix
	case !p.AllowVirtualNetworkAccess:
		return fmt.Sprintf("peering %s has allowVirtualNetworkAccess off", p.Name), fmt.Sprintf("turn on allowVirtualNetworkAccess on peering %s", p.Name)
	case !q.AllowVirtualNetworkAccess:
		return fmt.Sprintf("peering %s has allowVirtualNetworkAccess off", q.Name), fmt.Sprintf("turn on allowVirtualNetworkAccess on peering %s", q.Name)
	case forwarded && !q.AllowForwardedTraffic:
		return fmt.Sprintf("peering %s (owned by %s) does not allow forwarded traffic, and this packet was forwarded by an appliance (reference §2.1; field reports differ, the verdict follows the documentation)", q.Name, to),
			fmt.Sprintf("turn on allowForwardedTraffic on peering %s", q.Name)
	}
	return "", ""
}

func otherHalf(x, p, q *topology.Peering) *topology.Peering {
	if x == p {
		return q
	}
	return p
}

// crossPeering checks the peering from the current VNet to vnet `to` and
// records a blocker when it cannot carry the packet; it adds a hop for the
// crossing.
func (w *walker) crossPeering(st *state, to string) {
	from := st.at.vnet.ID
	p := w.e.peeringTo(from, to)
	q := w.e.peeringTo(to, from)
	reason, fix := w.peeringCheck(p, q, from, to, st.forwarded)
	if p != nil {
		hop := Hop{Node: p.ID, Kind: "peering", Name: p.Name, Action: "crossed"}
		if reason != "" {
			hop.Action, hop.Note = "blocked", reason
		}
		st.hops = append(st.hops, hop)
	}
	if reason != "" {
		st.block(BlockedByPeering, reason, fix)
	}
}

func (w *walker) overPeering(st state, r route.Route) {
	p, ok := w.e.snap.Peering(r.Origin)
	if !ok {
		w.finish(st, Blackhole, fmt.Sprintf("route %s names peering %s, which is not in the snapshot", describeRoute(r), r.Origin), "re-export the snapshot with the VNet's peerings")
		return
	}
	rv, ok := w.e.snap.VNet(p.RemoteVNet)
	w.crossPeering(&st, p.RemoteVNet)
	if !ok {
		w.finish(st, Blackhole, fmt.Sprintf("peering %s leads to VNet %s, which is not in the snapshot", p.Name, p.RemoteVNet),
			fmt.Sprintf("add VNet %s to the snapshot to follow the path further", topology.NameOf(p.RemoteVNet)))
		return
	}
	w.inVNet(st, rv, p, r)
}

// toPrivateEndpoint follows a private-endpoint /32 route (reference §1.8).
func (w *walker) toPrivateEndpoint(st state, r route.Route) {
	pe, ok := w.e.snap.PrivateEndpoint(r.Origin)
	if !ok {
		w.finish(st, Blackhole, fmt.Sprintf("route %s names private endpoint %s, which is not in the snapshot", describeRoute(r), r.Origin), "re-export the snapshot")
		return
	}
	sn, _ := w.e.snap.Subnet(pe.Subnet)
	if sn == nil {
		w.finish(st, Blackhole, fmt.Sprintf("private endpoint %s has no subnet in the snapshot", pe.Name), "re-export the snapshot")
		return
	}
	if !topology.SameID(sn.VNet, st.at.vnet.ID) {
		w.crossPeering(&st, sn.VNet)
	}
	w.deliver(st, sn)
}

// toAppliance follows a VirtualAppliance next hop to the firewall or NIC
// that owns its address (reference §1.4, §7.6).
func (w *walker) toAppliance(st state, r route.Route) {
	c := st.at
	ip := r.NextHopIP
	owners := w.e.snap.OwnersOf(ip)
	if len(owners) == 0 {
		w.finish(st, Blackhole, fmt.Sprintf("route %s sends %s to %s, but no firewall or NIC in the snapshot has that address", describeRoute(r), w.label(st.dst), ip),
			fmt.Sprintf("point route %s of %s at an existing appliance, or deploy the appliance at %s", r.Name, topology.NameOf(r.Origin), ip))
		return
	}
	o := w.pickOwner(c.vnet, owners)
	if !topology.SameID(o.VNet, c.vnet.ID) {
		p := w.e.peeringTo(c.vnet.ID, o.VNet)
		q := w.e.peeringTo(o.VNet, c.vnet.ID)
		if p == nil && q == nil {
			w.finish(st, Blackhole, fmt.Sprintf("route %s sends %s to %s in VNet %s, which is not peered with %s", describeRoute(r), w.label(st.dst), ip, topology.NameOf(o.VNet), c.vnet.Name),
				fmt.Sprintf("peer %s with %s, or point route %s at an appliance it can reach", c.vnet.Name, topology.NameOf(o.VNet), r.Name))
			return
		}
		w.crossPeering(&st, o.VNet)
	}
	if st.visited(o.ID) {
		var names []string
		for _, d := range st.devices {
			names = append(names, d.name)
		}
		names = append(names, shortName(o.ID))
		st.hops = append(st.hops, Hop{Node: o.ID, Kind: "virtualAppliance", Name: shortName(o.ID), Action: "revisited"})
		w.finish(st, Loop, fmt.Sprintf("the packet comes back to %s: %s", shortName(o.ID), strings.Join(names, " → ")),
			fmt.Sprintf("break the loop: the route tables of the appliances' subnets send traffic back and forth (%s); point one default route at Internet or a firewall",
				strings.Join(names, " → ")))
		return
	}
	switch o.Kind {
	case topology.OwnerFirewall:
		fw, _ := w.e.snap.Firewall(o.ID)
		w.throughFirewall(st, fw, o)
	case topology.OwnerNIC:
		n, _ := w.e.snap.NIC(o.ID)
		if n == nil || !n.EnableIPForwarding {
			st.hops = append(st.hops, Hop{Node: o.ID, Kind: "nic", Name: shortName(o.ID), Action: "dropped"})
			w.finish(st, Blackhole, fmt.Sprintf("next hop %s is NIC %s, which does not have IP forwarding enabled, so Azure drops what it would forward", ip, shortName(o.ID)),
				fmt.Sprintf("enable IP forwarding on NIC %s (and forwarding in its guest OS)", shortName(o.ID)))
			return
		}
		w.throughNVA(st, n, o)
	default:
		w.finish(st, Blackhole, fmt.Sprintf("next hop %s belongs to %s %s, which does not forward traffic", ip, o.Kind, shortName(o.ID)),
			fmt.Sprintf("point route %s at a firewall or appliance", r.Name))
	}
}

// pickOwner prefers an owner in the current VNet, then in a peered VNet.
func (w *walker) pickOwner(v *topology.VNet, owners []topology.Owner) topology.Owner {
	for _, o := range owners {
		if topology.SameID(o.VNet, v.ID) {
			return o
		}
	}
	for _, o := range owners {
		if w.e.peeringTo(v.ID, o.VNet) != nil || w.e.peeringTo(o.VNet, v.ID) != nil {
			return o
		}
	}
	return owners[0]
}

// throughFirewall applies an Azure Firewall's rules and SNAT, then routes
// the next leg from the firewall's subnet (reference §7).
func (w *walker) throughFirewall(st state, fw *topology.Firewall, o topology.Owner) {
	sn, _ := w.e.snap.Subnet(o.Subnet)
	if fw == nil || sn == nil {
		w.finish(st, Blackhole, fmt.Sprintf("firewall %s or its subnet is missing from the snapshot", o.ID), "re-export the snapshot")
		return
	}
	cfw := w.e.firewall(fw)
	fctx := w.e.ctx(sn)
	for _, d := range cfw.eval(st.src, st.dst, w.f.fqdn, w.f.proto, w.f.port, &w.notes) {
		s := st.fork()
		s.src, s.dst = d.src, d.dst
		hop := Hop{Node: fw.ID, Kind: "azureFirewall", Name: fw.Name, Action: "forwarded"}
		if d.rule != "" {
			hop.Rules = []string{d.rule}
		}
		snat := d.snat
		if !d.allow {
			hop.Action = "denied"
			snat = !cfw.exempt(d.dst) // continue as a network rule would
		} else if snat {
			hop.Note = "source translated to the firewall's address"
		}
		s.hops = append(s.hops, hop)
		if !d.allow {
			reason, fix := w.firewallDenied(cfw, s, d)
			s.block(DeniedByFirewall, reason, fix)
		}
		dev := device{kind: "azureFirewall", id: fw.ID, name: fw.Name, snat: snat, orig: s.src, ctx: fctx, fw: cfw}
		if snat {
			s.src = concrete(cfw.privateIP)
		}
		s.devices = append(s.devices, dev)
		s.forwarded = true
		s.at = fctx
		fhop := Hop{Node: sn.ID, Kind: "subnet", Name: topology.ShortName(sn.ID), Note: "the firewall's subnet routes the next leg"}
		s.hops = append(s.hops, fhop)
		w.route(s)
	}
}

// throughNVA passes a network virtual appliance (a NIC with IP forwarding):
// its subnet and NIC NSGs inbound and outbound apply; its own rules are not
// modelled (SPEC §2).
func (w *walker) throughNVA(st state, n *topology.NIC, o topology.Owner) {
	sn, _ := w.e.snap.Subnet(o.Subnet)
	if sn == nil {
		w.finish(st, Blackhole, fmt.Sprintf("appliance NIC %s has no subnet in the snapshot", n.Name), "re-export the snapshot")
		return
	}
	w.assume.add(fmt.Sprintf("appliance %s forwards what reaches it; its own rules are not modelled", n.Name))
	actx := w.e.ctx(sn)
	st.hops = append(st.hops, Hop{Node: n.ID, Kind: "virtualAppliance", Name: n.Name, Action: "forwarded", Note: "own rules not modelled"})
	st.devices = append(st.devices, device{kind: "virtualAppliance", id: n.ID, name: n.Name, orig: st.src, ctx: actx, nic: n})
	in := applianceNSGs(w.e, sn, n, true)
	out := applianceNSGs(w.e, sn, n, false)
	w.throughNSGs(st, actx, in, topology.DirectionInbound, func(s state) {
		w.throughNSGs(s, actx, out, topology.DirectionOutbound, func(s state) {
			s.forwarded = true
			s.at = actx
			s.hops = append(s.hops, Hop{Node: sn.ID, Kind: "subnet", Name: topology.ShortName(sn.ID), Note: "the appliance's subnet routes the next leg"})
			w.route(s)
		})
	})
}

// applianceNSGs returns the NSGs of an appliance in evaluation order:
// inbound subnet then NIC, outbound NIC then subnet (reference §3.3).
func applianceNSGs(e *Engine, sn *topology.Subnet, n *topology.NIC, inbound bool) []*topology.NSG {
	var out []*topology.NSG
	ids := []string{sn.NSG, n.NSG}
	if !inbound {
		ids = []string{n.NSG, sn.NSG}
	}
	for _, id := range ids {
		if id == "" {
			continue
		}
		if g, ok := e.snap.NSG(id); ok {
			out = append(out, g)
		}
	}
	return out
}

// toGateway hands the packet to a VPN or ExpressRoute gateway: on-premises
// is not modelled.
func (w *walker) toGateway(st state, r route.Route) {
	c := st.at
	gws := w.e.servingGateways(c.vnet, w.e.connectedPeerings(c.vnet))
	if len(gws) == 0 {
		w.finish(st, Blackhole, fmt.Sprintf("route %s sends %s to a virtual network gateway, but VNet %s has none and uses no remote gateway", describeRoute(r), w.label(st.dst), c.vnet.Name),
			fmt.Sprintf("deploy a VPN gateway in %s, or enable gateway transit on a peering to a VNet that has one", c.vnet.Name))
		return
	}
	g := gws[0]
	if !topology.SameID(g.VNet, c.vnet.ID) {
		w.crossPeering(&st, g.VNet)
	}
	st.hops = append(st.hops, Hop{Node: g.ID, Kind: "gateway", Name: g.Name, Action: "forwarded", Note: "leaves Azure for on-premises"})
	if st.dst.isSym() || !privateRanges.ContainsSet(st.dst.set) {
		st.egress = &Egress{Via: g.ID, Method: "gateway"}
		w.assume.add(fmt.Sprintf("traffic to %s is forced through gateway %s to on-premises; the on-premises egress is not modelled", w.label(st.dst), g.Name))
	} else {
		w.assume.add(fmt.Sprintf("the on-premises network beyond gateway %s is not modelled", g.Name))
	}
	w.finish(st, Reachable, fmt.Sprintf("handed to gateway %s toward on-premises", g.Name), "")
}

// toInternet leaves Azure for a public destination through the egress the
// current node has (reference §1.6).
func (w *walker) toInternet(st state, r route.Route) {
	if !st.dst.isSym() {
		bad := st.dst.set.Intersect(privateRanges.Union(specialRanges))
		if !bad.IsEmpty() {
			s := st.fork()
			s.dst = concrete(bad)
			w.finish(s, Blackhole, fmt.Sprintf("%s is a private address, and the route %s sends it to the Internet, where it is dropped", describeAddrs(concrete(bad)), describeRoute(r)),
				fmt.Sprintf("add a route for %s toward the network that holds it (a peering, a gateway or an appliance)", describeAddrs(concrete(bad))))
			rest := st.dst.set.Subtract(bad)
			if rest.IsEmpty() {
				return
			}
			st = st.fork()
			st.dst = concrete(rest)
		}
	}
	eg, why := w.egress(st)
	if eg == nil {
		st.hops = append(st.hops, Hop{Node: "Internet", Kind: "internet", Action: "dropped"})
		w.finish(st, NoEgress, why, fmt.Sprintf("give %s an outbound method: attach a NAT gateway, or route 0.0.0.0/0 through a firewall that has a public IP", topology.ShortName(st.at.sn.ID)))
		return
	}
	st.egress = eg
	note := eg.Method
	if eg.PublicIP != "" {
		note = eg.PublicIP + " (" + eg.Method + ")"
	}
	st.hops = append(st.hops, Hop{Node: "Internet", Kind: "internet", Action: "egress", Note: note})
	w.finish(st, Reachable, fmt.Sprintf("leaves through %s to %s", describeEgress(eg), w.label(st.dst)), "")
}

func describeEgress(eg *Egress) string {
	s := eg.Method + " " + shortName(eg.Via)
	switch eg.Method {
	case "azureFirewall":
		s = "firewall " + shortName(eg.Via)
	case "natGateway":
		s = "NAT gateway " + shortName(eg.Via)
	case "instancePublicIP":
		s = "the public IP of " + shortName(eg.Via)
	case "defaultOutbound":
		s = "default outbound access of " + topology.ShortName(eg.Via)
	case "virtualAppliance":
		s = "appliance " + shortName(eg.Via)
	}
	if eg.PublicIP != "" {
		s += " (" + eg.PublicIP + ")"
	}
	return s
}

// egress returns how the current node reaches the internet: the firewall's
// public IP when a firewall forwarded the packet, an appliance NIC's public
// IP, else the subnet's NAT gateway, the source NIC's public IP, or default
// outbound access (reference §1.6). nil and the reason when there is none.
func (w *walker) egress(st state) (*Egress, string) {
	c := st.at
	if n := len(st.devices); n > 0 && st.devices[n-1].ctx == c {
		d := st.devices[n-1]
		switch d.kind {
		case "azureFirewall":
			ip := ""
			if len(d.fw.publicIPs) > 0 {
				ip = d.fw.publicIPs[0]
			}
			if ip == "" {
				return nil, fmt.Sprintf("firewall %s has no public IP in the snapshot to send %s out with", d.name, w.label(st.dst))
			}
			return &Egress{PublicIP: ip, Via: d.id, Method: "azureFirewall"}, ""
		case "virtualAppliance":
			if ip := w.nicPublicIP(d.nic); ip != "" {
				return &Egress{PublicIP: ip, Via: d.id, Method: "virtualAppliance"}, ""
			}
		}
	}
	sn := c.sn
	if sn.NATGateway != "" {
		if ng, ok := w.e.snap.NATGateway(sn.NATGateway); ok {
			ip := ""
			for _, id := range ng.PublicIPs {
				if p, ok := w.e.snap.PublicIP(id); ok && p.Address.IsValid() {
					ip = p.Address.String()
					break
				}
			}
			return &Egress{PublicIP: ip, Via: ng.ID, Method: "natGateway"}, ""
		}
	}
	if len(st.devices) == 0 && st.srcNIC != nil {
		if ip := w.nicPublicIP(st.srcNIC); ip != "" {
			return &Egress{PublicIP: ip, Via: st.srcNIC.ID, Method: "instancePublicIP"}, ""
		}
	}
	if sn.DefaultOutboundAccess == nil || *sn.DefaultOutboundAccess {
		if sn.DefaultOutboundAccess == nil {
			w.assume.add(fmt.Sprintf("subnet %s does not set defaultOutboundAccess, so it has default outbound access as VNets created before API version 2025-07-01 do (reference §1.6)", topology.ShortName(sn.ID)))
		}
		return &Egress{Via: sn.ID, Method: "defaultOutbound"}, ""
	}
	who := "subnet " + topology.ShortName(sn.ID)
	if n := len(st.devices); n > 0 {
		who = st.devices[n-1].name + " in " + who
	}
	return nil, fmt.Sprintf("%s sends %s to the Internet, but has no outbound method: no NAT gateway, no public IP, and default outbound access is off", who, w.label(st.dst))
}

func (w *walker) nicPublicIP(n *topology.NIC) string {
	if n == nil {
		return ""
	}
	for _, c := range n.IPConfigs {
		if c.PublicIP == "" {
			continue
		}
		if p, ok := w.e.snap.PublicIP(c.PublicIP); ok && p.Address.IsValid() {
			return p.Address.String()
		}
	}
	return ""
}

// deliver hands the packet to what holds the destination in subnet sn:
// inbound NSGs (subnet, then NIC; skipped for private endpoints unless the
// subnet enables network policies, reference §3.8), then the return path.
func (w *walker) deliver(st state, sn *topology.Subnet) {
	dctx := w.e.ctx(sn)
	hop := Hop{Node: sn.ID, Kind: "subnet", Name: topology.ShortName(sn.ID), Action: "delivered"}
	var (
		pe  *topology.PrivateEndpoint
		nic *topology.NIC
	)
	if a, ok := st.dst.single(); ok {
		for _, o := range w.e.snap.OwnersOf(a) {
			if !topology.SameID(o.Subnet, sn.ID) {
				continue
			}
			switch o.Kind {
			case topology.OwnerPrivateEndpoint:
				pe, _ = w.e.snap.PrivateEndpoint(o.ID)
				hop = Hop{Node: o.ID, Kind: "privateEndpoint", Name: shortName(o.ID), Action: "delivered", Note: "in subnet " + topology.ShortName(sn.ID)}
			case topology.OwnerNIC:
				nic, _ = w.e.snap.NIC(o.ID)
				hop = Hop{Node: o.ID, Kind: "nic", Name: shortName(o.ID), Action: "delivered", Note: "in subnet " + topology.ShortName(sn.ID)}
			case topology.OwnerFirewall:
				hop = Hop{Node: o.ID, Kind: "azureFirewall", Name: shortName(o.ID), Action: "delivered"}
			case topology.OwnerResolverInbound:
				hop = Hop{Node: o.ID, Kind: "dnsResolver", Name: shortName(o.ID), Action: "delivered"}
			}
		}
		if hop.Kind == "subnet" {
			w.notes.add(fmt.Sprintf("no NIC or endpoint in the snapshot holds %s; the answer is for subnet %s", a, topology.ShortName(sn.ID)))
		}
	}
	st.hops = append(st.hops, hop)
	if pe != nil {
		approved := false
		for _, c := range pe.Connections {
			if strings.EqualFold(c.Status, topology.ConnectionApproved) {
				approved = true
			}
		}
		if !approved {
			status := "not approved"
			if len(pe.Connections) > 0 {
				status = pe.Connections[0].Status
			}
			st.block(Blackhole, fmt.Sprintf("private endpoint %s's connection is %s; only Approved connections carry traffic", pe.Name, status),
				fmt.Sprintf("approve the private endpoint connection of %s on its target resource", pe.Name))
		}
	}
	var nsgs []*topology.NSG
	if sn.NSG != "" && (pe == nil || sn.PENSGEnabled()) {
		if g, ok := w.e.snap.NSG(sn.NSG); ok {
			if pe != nil {
				g = anySourcePorts(g)
			}
			nsgs = append(nsgs, g)
		}
	} else if sn.NSG != "" && pe != nil {
		w.notes.add(fmt.Sprintf("NSG %s of %s does not apply to private endpoint %s: the subnet's privateEndpointNetworkPolicies are Disabled (reference §3.8)", topology.NameOf(sn.NSG), topology.ShortName(sn.ID), pe.Name))
	}
	if nic != nil && nic.NSG != "" {
		if g, ok := w.e.snap.NSG(nic.NSG); ok {
			nsgs = append(nsgs, g)
		}
	}
	w.throughNSGs(st, dctx, nsgs, topology.DirectionInbound, func(s state) {
		ret := w.returnPath(s, dctx, pe)
		reason := fmt.Sprintf("delivered to %s", hopLabel(s.hops[len(s.hops)-1]))
		if len(s.devices) > 0 {
			var names []string
			for _, d := range s.devices {
				names = append(names, d.name)
			}
			reason += " through " + strings.Join(names, ", ")
		}
		o := outcome{st: s, terminal: Reachable, reason: reason, ret: ret}
		if len(w.outcomes) >= maxOutcomes {
			w.cut = true
			return
		}
		w.outcomes = append(w.outcomes, o)
	})
}

// anySourcePorts returns a copy of g whose rules match every source port,
// as NSGs treat traffic to private endpoints (reference §3.8). The copy
// has its own ID, so its compiled rules are cached apart from g's.
func anySourcePorts(g *topology.NSG) *topology.NSG {
	c := *g
	c.ID += "#privateEndpoint"
	c.Rules = slices.Clone(g.Rules)
	for i := range c.Rules {
		c.Rules[i].SourcePorts = nil
	}
	return &c
}

func hopLabel(h Hop) string {
	if h.Name != "" {
		return h.Name
	}
	return shortName(h.Node)
}
