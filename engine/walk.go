package engine

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/route"
	"github.com/vnetpath/vnetpath/topology"
)

// The walk follows a packet from its source, one next hop at a time, the
// way Azure forwards it: outbound NSGs, the effective route of the current
// subnet, then the handler of the route's next hop type (hops_*.go), which
// applies what sits there (a firewall, an appliance, a peering, a private
// endpoint, a gateway, the Internet edge) and routes the next leg or
// delivers. Where rules or routes treat parts of the destination
// differently, the state forks. What stops a packet is recorded as a typed
// [answer.Blocker] and the walk goes on as if it were lifted, so every
// blocker on the path is found. The walk builds no sentences: diagnose.go
// turns its outcomes into a [answer.Result] at the end.

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
	kind answer.HopKind // HopAzureFirewall or HopVirtualAppliance
	id   string
	name string
	ip   netip.Addr // its private address, the next hop of routes toward it
	snat bool       // it translated the source
	orig addrs      // the source before translation
	ctx  *subnetCtx // the subnet it sits in
	nic  *topology.NIC
	fw   *compiledFW
	lb   string // the internal load balancer whose frontend sent the packet to it, if any
}

// hop is a hop of a path in flight. Its steps are in the state's step
// log; diagnose.go makes answer hops of those an answer shows.
type hop struct {
	node   string
	kind   answer.HopKind
	name   string
	route  *answer.RouteRef
	action act
}

// act is an [answer.Action] in a byte, for the walk's hops and steps.
type act uint8

const (
	actNone act = iota
	actForwarded
	actDelivered
	actDenied
	actDropped
	actEgress
	actCrossed
	actBlocked
	actRevisited
	actAllowed
)

var actions = [...]answer.Action{actNone: "", actForwarded: answer.ActionForwarded, actDelivered: answer.ActionDelivered,
	actDenied: answer.ActionDenied, actDropped: answer.ActionDropped, actEgress: answer.ActionEgress, actCrossed: answer.ActionCrossed,
	actBlocked: answer.ActionBlocked, actRevisited: answer.ActionRevisited, actAllowed: answer.ActionAllowed}

// stepKind is an [answer.StepType] in a byte.
type stepKind uint8

const (
	stRoute stepKind = iota
	stNSGRule
	stFirewallRule
	stSNAT
	stPeering
	stDelivery
	stEgress
	stForwarding
	stDrop
	stNote
)

var stepTypes = [...]answer.StepType{stRoute: answer.StepRoute, stNSGRule: answer.StepNSGRule, stFirewallRule: answer.StepFirewallRule,
	stSNAT: answer.StepSNAT, stPeering: answer.StepPeering, stDelivery: answer.StepDelivery, stEgress: answer.StepEgress,
	stForwarding: answer.StepForwarding, stDrop: answer.StepDrop, stNote: answer.StepNote}

// step is one thing that happened at a hop, as the walk records it, in 64
// bytes: the rule that matched is a pointer into the compiled rules, and
// sentences and references are made only when an answer shows the hop.
type step struct {
	hop     int32 // the index of the hop it happened at
	dev     int16 // snat: the index of the device that translated
	typ     stepKind
	action  act
	route   *answer.RouteRef
	nsgRule *compiledRule
	fwRule  *fwRule // firewallRule steps: nil for the default deny
	peering *topology.Peering
	egress  *answer.Egress
	text    string // a note; for an nsgRule step without a rule, the label that stands for one ("nsg (does not filter 168.63.129.16)")
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
	hops      []hop
	steps     []step // what happened at the hops, in order
	blockers  []blocker
	egress    *answer.Egress
}

// blocker is an answer blocker whose fix is made only when the result
// shows it: most blockers repeat across the parts of a flow, and a fix
// (names, priorities, patches) costs more than the walk that found it.
type blocker struct {
	answer.Blocker
	fix func() *answer.Fix // makes Fix when it is nil
}

// done returns the answer blocker with its fix made.
func (b *blocker) done() answer.Blocker {
	x := b.Blocker
	if x.Fix == nil && b.fix != nil {
		x.Fix = b.fix()
	}
	return x
}

// fork returns a copy of s that its walk can extend independently. The
// rarely extended lists are clipped, so that the first append of either
// copy reallocates instead of writing into what they share; hops, whose
// last element changes in place, and steps are copied with room to grow.
func (s state) fork() state {
	s.devices = slices.Clip(s.devices)
	s.blockers = slices.Clip(s.blockers)
	s.steps = append(make([]step, 0, len(s.steps)+6), s.steps...)
	s.hops = append(make([]hop, 0, len(s.hops)+4), s.hops...)
	return s
}

// startState returns the state of a packet leaving src, whose subnet's
// context is at, for dst.
func (e *Engine) startState(src Source, at *subnetCtx, dst addrs) state {
	// Most paths have a handful of hops and steps: room for them up front
	// saves growing the lists hop by hop.
	st := state{at: at, dst: dst, srcNIC: src.NIC, hops: make([]hop, 0, 6), steps: make([]step, 0, 8)}
	if src.Addr.IsValid() {
		st.src = concrete(e.intern(cidr.SetOfAddr(src.Addr)))
	} else {
		st.src = concrete(at.self)
	}
	st.origSrc = st.src
	return st
}

func (s *state) last() *hop { return &s.hops[len(s.hops)-1] }

// addHop appends a hop and the steps that happened there.
func (s *state) addHop(h hop, steps ...step) {
	s.hops = append(s.hops, h)
	for _, x := range steps {
		x.hop = int32(len(s.hops) - 1)
		s.steps = append(s.steps, x)
	}
}

// addStep records a step at the current (last) hop.
func (s *state) addStep(x step) {
	x.hop = int32(len(s.hops) - 1)
	s.steps = append(s.steps, x)
}

// block records a blocker at the current (last) hop.
func (s *state) block(b blocker) {
	b.Hop = len(s.hops) - 1
	s.blockers = append(s.blockers, b)
}

func (s *state) visited(id string) bool {
	for _, d := range s.devices {
		if topology.SameID(d.id, id) {
			return true
		}
	}
	return false
}

// ending is how a part of a flow arrived, kept compact until an answer
// needs its sentence (see [walker.arrival]).
type ending struct {
	cause answer.Cause
	what  string // delivered to / platform name / gateway name / subnet of the service endpoint
}

// outcome is where one part of a flow ended: arrived (stop is nil), or
// stopped by a blocker that ends the path.
type outcome struct {
	st       state
	end      ending
	stop     *blocker
	ret      *answer.ReturnPath
	retBlock *blocker // why ret is broken
}

// decider returns the verdict of the outcome and the blocker that decided
// it: the first blocker on the path, else a broken return path; nil when
// the part arrived.
func (o *outcome) decider() (answer.Verdict, *blocker) {
	if len(o.st.blockers) > 0 {
		return o.st.blockers[0].Verdict, &o.st.blockers[0]
	}
	if o.stop != nil {
		return o.stop.Verdict, o.stop
	}
	if o.ret != nil && !o.ret.OK && o.retBlock != nil {
		return o.retBlock.Verdict, o.retBlock
	}
	return answer.Reachable, nil
}

// walker runs one check.
type walker struct {
	e        *Engine
	f        flow
	dst      addrs      // the whole destination of the check
	dstKey   pieceKey   // names dst when it is a whole service tag, for memoising
	srcCtx   *subnetCtx // the source's subnet
	tagLabel string     // "tag:" + f.tag, made once
	outcomes []outcome
	notes    pieceNotes // warnings
	assume   pieceNotes // assumptions the verdict rests on
	cut      bool
	byFQDN   bool // a firewall's decision may have depended on the flow's FQDN
	// hops, when set, are the answer hops of the only outcome, made by the
	// check whose walk this one replays (flowmemo.go).
	hops []answer.Hop
	// srcCut is set once an NSG's or a firewall's rule told some
	// addresses of the source from the others (classes.go).
	srcCut bool
	// cls is the class whose walk a member's check took: its outcomes
	// hold the class's first subnet and addresses where the answer
	// names the member's (classes.go).
	cls *srcClass
	// kept is the kept walk this one replays, if any (flowmemo.go).
	kept *walkMemo
}

// label names a destination part in answers: the check's tag or name
// when it is the whole destination, else its addresses, shortened.
func (w *walker) label(a addrs) string {
	if a.equal(w.dst) || a.isSym() {
		switch {
		case w.f.tag != "":
			if w.tagLabel == "" {
				w.tagLabel = "tag:" + w.f.tag
			}
			return w.tagLabel
		case a.isSym():
			return a.String()
		}
	}
	return describeAddrs(a)
}

// ruleTarget names the destination the way a rule would: the tag, the
// check's tag, or the addresses.
func (w *walker) ruleTarget(dst addrs) string {
	if dst.isSym() {
		return "tag:" + dst.sym
	}
	if w.f.tag != "" {
		return w.label(w.dst)
	}
	return describeAddrs(dst)
}

// blocker starts a blocker of the check's flow toward dst.
func (w *walker) blocker(v answer.Verdict, c answer.Cause, dst addrs) blocker {
	b := blocker{Blocker: answer.Blocker{Verdict: v, Cause: c, Protocol: string(w.f.proto), Port: int(w.f.port), Destination: w.label(dst)}}
	if w.f.proto == ICMP {
		b.Port = 0
	}
	return b
}

// stop ends a part of the flow at a blocker (which carries its fix).
func (w *walker) stop(st state, b blocker) {
	if len(w.outcomes) >= maxOutcomes {
		w.cut = true
		return
	}
	st.block(b)
	x := st.blockers[len(st.blockers)-1]
	w.outcomes = append(w.outcomes, outcome{st: st, stop: &x})
}

// arrive ends a part of the flow that arrived.
func (w *walker) arrive(st state, end ending) {
	if len(w.outcomes) >= maxOutcomes {
		w.cut = true
		return
	}
	w.outcomes = append(w.outcomes, outcome{st: st, end: end})
}

// start cuts the flow into its address families (reference §10 item
// 39), then evaluates the source's outbound NSGs (NIC, then subnet; §3.3)
// and routes what leaves.
func (w *walker) start(st state) {
	if st.src.isSym() || st.src.set.Is4() && (st.dst.isSym() || st.dst.set.Is4()) {
		w.leaveSource(st) // the common case: IPv4 on both sides
		return
	}
	parts := splitFamilies(st.src, st.dst)
	for _, p := range parts {
		s := st
		if len(parts) > 1 {
			s = st.fork()
		}
		s.src, s.dst, s.origSrc = p.src, p.dst, p.src
		w.leaveSource(s)
	}
}

// leaveSource evaluates the source's outbound NSGs (NIC, then subnet;
// reference §3.3) and routes what leaves.
func (w *walker) leaveSource(st state) {
	c := st.at
	if st.srcNIC != nil {
		st.addHop(hop{node: st.srcNIC.ID, kind: answer.HopNIC, name: st.srcNIC.Name}, step{typ: stNote, text: "in subnet " + c.name})
	} else {
		st.addHop(hop{node: c.sn.ID, kind: answer.HopSubnet, name: c.name})
	}
	if len(c.admin) > 0 {
		w.adminRulesApply(&st, c)
	}
	if st.srcNIC != nil {
		w.nsgMissing(&st, st.srcNIC.NSG, "NIC "+st.srcNIC.Name)
	}
	if c.nsg == nil {
		w.nsgMissing(&st, c.sn.NSG, "subnet "+c.name)
	}
	var nsgs []nsgAt
	if st.srcNIC != nil && st.srcNIC.NSG != "" {
		if n, ok := w.e.snap.NSG(st.srcNIC.NSG); ok {
			nsgs = append(nsgs, nsgAt{nsg: n})
		}
	}
	if c.nsg != nil {
		nsgs = append(nsgs, nsgAt{nsg: c.nsg})
	}
	if b, ok := w.unknownSubnetRefs(st, c, true, false); ok {
		w.stop(st, b)
		return
	}
	w.throughNSGs(st, c, nsgs, topology.DirectionOutbound, func(st state) { w.route(st) })
}

// throughNSGs evaluates NSGs in order for the state's flow, splitting where
// they decide differently, and calls next for each part. Denied parts
// continue as if allowed, carrying a blocker, so that every blocker on the
// path is found.
func (w *walker) throughNSGs(st state, c *subnetCtx, nsgs []nsgAt, dir topology.Direction, next func(state)) {
	if len(nsgs) == 0 {
		next(st)
		return
	}
	n := w.e.compileNSG(c, nsgs[0], dir)
	verdicts, cut := n.evalShared(st.src, st.dst, w.f.proto, w.f.port, &w.notes)
	w.srcCut = w.srcCut || cut
	for _, v := range verdicts {
		s := st
		if len(verdicts) > 1 {
			s = st.fork()
		}
		s.src, s.dst = v.src, v.dst
		if st.src.equal(st.origSrc) {
			s.origSrc = v.src // not translated yet: the original source narrows too
		}
		action := actAllowed
		if !v.allow {
			action = actDenied
		}
		for _, cr := range v.deciding {
			s.addStep(step{typ: stNSGRule, action: action, nsgRule: cr})
		}
		if len(v.deciding) == 0 && v.label != "" {
			s.addStep(step{typ: stNSGRule, action: action, text: v.label})
		}
		if !v.allow {
			s.block(w.nsgBlocker(nsgs[0].nsg, dir, v))
		}
		w.throughNSGs(s, c, nsgs[1:], dir, next)
	}
}

// route looks up the next hop for the state's destination in the current
// subnet's effective routes, splitting the destination where routes differ.
func (w *walker) route(st state) {
	if len(st.hops) > maxHops {
		b := w.blocker(answer.Loop, answer.CausePathTooLong, st.dst)
		b.Data = map[string]string{"max": strconv.Itoa(maxHops)}
		b.Fix = unpatchable(answer.FixReviewRouting, st.at.sn.ID, "find the routing loop")
		w.stop(st, b)
		return
	}
	c := st.at
	if c.rt == nil && c.sn.RouteTable != "" || len(c.routesMissing) > 0 {
		w.routesMissing(&st)
	}
	for _, u := range c.hubs {
		w.blockUnmodelled(&st, u, answer.FixReviewRouting)
	}
	if c.er != nil && w.e.mayBeOnPremises(st.dst) {
		w.blockUnmodelled(&st, unmodelled{id: c.er.ID,
			what: "the routes ExpressRoute gateway " + c.er.Name + " learns by BGP, which no export holds and which may cover " + describeAddrs(st.dst) + ",",
			fix:  "check the routes ExpressRoute gateway " + c.er.Name + " learns (az network vnet-gateway list-learned-routes) for " + describeAddrs(st.dst)}, answer.FixReviewRouting)
	}
	if a, ok := st.dst.single(); ok && isPlatformAddr(a) {
		name := "Azure DNS and the host agent (168.63.129.16)"
		if a == imds {
			name = "the instance metadata service (169.254.169.254)"
		}
		st.addHop(hop{node: a.String(), kind: answer.HopPlatform, name: name, action: actDelivered}, step{typ: stDelivery, action: actDelivered,
			text: "reached from every NIC without routes; NSGs filter it only through AzurePlatform* tags (reference §3.6)"})
		w.arrive(st, ending{cause: answer.CausePlatform, what: name})
		return
	}
	if b, ok := w.unknownSubnetRefs(st, c, false, true); ok {
		w.stop(st, b)
		return
	}
	if st.dst.isSym() {
		id, ok := w.lookupSym(c, st.dst.sym)
		w.follow(st, id, ok)
		return
	}
	if st.v6() {
		w.assume.add(ipv6RoutesAssumption)
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

// pieceKey names a whole service tag in some address families.
type pieceKey struct{ tag, families string }

// lookupSet looks up the routes of a destination set, memoised per
// forwarding state when it is a whole service tag or an interned set.
func (w *walker) lookupSet(c *subnetCtx, d addrs) []route.Piece {
	if w.dstKey.tag == "" || !d.equal(w.dst) {
		return c.lookupSet(w.e, d.set)
	}
	if v, ok := c.fwd.pieces.Load(w.dstKey); ok {
		return v
	}
	p := c.table.LookupSet(d.set)
	c.fwd.pieces.Store(w.dstKey, p)
	return p
}

// lookupSet looks up the routes of set in the subnet's table; on the
// shared path, once per interned set, the pieces interned too. The result
// is read-only.
func (c *subnetCtx) lookupSet(e *Engine, set cidr.Set) []route.Piece {
	if e.in == nil || !e.in.Interned(set) {
		return c.table.LookupSet(set)
	}
	k := set.Key()
	if v, ok := c.fwd.sets.Load(k); ok {
		return v
	}
	p := c.table.LookupSet(set)
	for i := range p {
		p[i].Set = e.in.Intern(p[i].Set)
	}
	c.fwd.sets.Store(k, p)
	return p
}

// lookupSym chooses the route for a public tag known only by name: a route
// written with that tag (or its global tag) wins, else the route that covers
// the whole IPv4 space.
func (w *walker) lookupSym(c *subnetCtx, tag string) (route.ID, bool) {
	best, found, bestUser := route.ID(0), false, false
	for _, id := range c.sym {
		r := c.route(id)
		if !tagCovers(r.Tag, tag) {
			continue
		}
		user := r.Source == route.SourceUser
		if !found || (user && !bestUser) || (strings.EqualFold(r.Tag, tag) && !strings.EqualFold(c.route(best).Tag, tag)) {
			best, found, bestUser = id, true, user
		}
	}
	if found {
		w.assume.add("route for service tag " + tag + " was matched by name: no service-tag catalog was given")
		return best, true
	}
	id, ok := c.table.LookupPrefix(netip.MustParsePrefix("0.0.0.0/0"))
	if ok {
		for _, r := range c.publicUDRs {
			w.notes.add("route " + r.Name + " (" + r.Prefixes[0].String() + ") of " + c.name +
				" covers public addresses; without a service-tag catalog vnetpath cannot tell whether tag:" + tag + " falls in it, and assumed it does not")
		}
	}
	return id, ok
}

// routeRef renders a route for a hop, showing the prefix that matched.
func routeRef(r route.Route, dst addrs) *answer.RouteRef {
	ref := &answer.RouteRef{NextHopType: r.NextHopType, Source: r.Source.String(), Name: r.Name, Origin: r.Origin}
	if r.NextHopIP.IsValid() {
		ref.NextHopIPAddress = r.NextHopIP.String()
	}
	ref.AddressPrefix = matchedPrefix(r, dst)
	return ref
}

// matchedPrefix is the address prefix an answer names for route r: a
// service-tag route's tag (whose prefixes can number thousands), else the
// longest of r's prefixes that dst overlaps.
func matchedPrefix(r route.Route, dst addrs) string {
	if len(r.Prefixes) == 0 || r.Tag != "" {
		return r.Tag
	}
	if !dst.isSym() {
		best := netip.Prefix{}
		for _, p := range r.Prefixes {
			if dst.set.OverlapsPrefix(p) && (!best.IsValid() || p.Bits() > best.Bits()) {
				best = p
			}
		}
		if best.IsValid() {
			return best.String()
		}
	}
	return r.Prefixes[0].String()
}

// rfc1918of172 is the reserved range whose removal by a 0.0.0.0/0 user
// route the documentation does not state (reference §1.1).
var rfc1918of172 = netip.MustParsePrefix("172.16.0.0/12")

// follow acts on the chosen route: the handler of its next hop type takes
// the packet on.
func (w *walker) follow(st state, id route.ID, ok bool) {
	c := st.at
	if !ok {
		b := w.blocker(answer.Blackhole, answer.CauseNoRoute, st.dst)
		b.Resource = c.sn.ID
		b.Data = map[string]string{"subnet": c.name, "vnet": c.vnet.Name}
		b.Fix = unpatchable(answer.FixRouteDestination, c.sn.ID, "route "+b.Destination+" from "+c.name)
		w.stop(st, b)
		return
	}
	ref := c.routeRef(w.e, id, st.dst)
	st.last().route = ref
	st.addStep(step{typ: stRoute, action: actForwarded, route: ref})
	r := c.route(id)
	if r.Source == route.SourceUser && !st.dst.isSym() && st.dst.set.OverlapsPrefix(rfc1918of172) {
		for _, p := range r.Prefixes {
			if p.Bits() < rfc1918of172.Bits() && p.Contains(rfc1918of172.Addr()) {
				w.assume.add("route " + describeRoute(r) + " applies to " + w.label(st.dst) +
					" because the subnet's 0.0.0.0/0 user route removes the 172.16.0.0/12 None route; the documentation says so only for 10.0.0.0/8, 192.168.0.0/16 and 100.64.0.0/10, and vnetpath reads it the same way for 172.16.0.0/12 (reference §1.1)")
				break
			}
		}
	}
	switch r.NextHopType {
	case topology.NextHopVnetLocal:
		w.inVNet(st, c.vnet, nil, r, ref)
	case topology.NextHopVNetPeering, topology.NextHopVNetGlobalPeering:
		w.overPeering(st, r, ref)
	case topology.NextHopInterfaceEndpoint:
		w.toPrivateEndpoint(st, r)
	case topology.NextHopVirtualAppliance, topology.NextHopVirtualApplianceEcmp:
		w.toAppliance(st, r, ref)
	case topology.NextHopVirtualNetworkGateway:
		w.toGateway(st, r, ref)
	case topology.NextHopInternet:
		w.toInternet(st, r, ref)
	case topology.NextHopVirtualNetworkServiceEndpoint:
		st.egress = &answer.Egress{Via: c.sn.ID, Method: answer.EgressServiceEndpoint}
		st.addHop(hop{node: "Microsoft backbone", kind: answer.HopService, action: actDelivered}, step{typ: stDelivery, action: actDelivered, text: "service endpoint: the service sees the private source address"})
		w.arrive(st, ending{cause: answer.CauseServiceEndpoint, what: c.name})
	case topology.NextHopNone:
		w.dropped(st, r, ref)
	default:
		b := w.blocker(answer.Unknown, answer.CauseNotModelled, st.dst)
		b.Route = ref
		b.Resource = r.Origin
		b.Data = map[string]string{"what": "next hop type " + string(r.NextHopType) + " of route " + describeRoute(r)}
		b.Fix = unpatchable(answer.FixReviewRouting, r.Origin, "check the path by hand")
		w.stop(st, b)
	}
}

func describeRoute(r route.Route) string {
	p := r.Tag
	if len(r.Prefixes) > 0 && r.Tag == "" {
		p = r.Prefixes[0].String()
	}
	if r.Name != "" {
		return r.Name + " (" + p + " → " + string(r.NextHopType) + ")"
	}
	return p + " → " + string(r.NextHopType) + " (" + r.Source.String() + ")"
}

func prefixList(ps []netip.Prefix) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.String()
	}
	return strings.Join(parts, ", ")
}
