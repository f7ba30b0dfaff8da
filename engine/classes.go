package engine

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/topology"
)

// The subnets of a spoke usually leave it alike: one NSG, one route
// table, the same outbound settings. Each check walks from one source, so
// a spoke of four subnets walked every flow four times. On the shared
// path the subnets of a VNet that share what their leaving depends on
// form a class, and a flow is walked once for the class, from all their
// addresses at once (the walk is of address sets, so it decides for each
// address as a walk from it alone would). Each member's check then takes
// that walk as its own, its answer naming the member where the walk holds
// the first subnet (the first hop, a translation's source, and, for a
// flow that leaves for the Internet straight from it, the egress and what
// egress assumed of it by name), when:
//
//   - every part arrived (a blocker's fix and sentences name the source);
//   - no NSG or firewall rule covered some of the class's addresses and
//     not the others where that mattered (it decided for them, or noted
//     something of them), and no address family split them: every member
//     then meets the same decisions, by the same rules, with the same
//     notes (the evaluations say so: one merges the parts its rules decide
//     alike);
//   - replies need no walk back toward the source (none, or a private
//     endpoint's, which follows the request);
//   - nothing else the walk wrote names the class's first subnet or its
//     addresses (a route's note, a note of the notes, an egress through
//     the subnet reached on a longer path).
//
// Otherwise each member walks the flow alone, as on the per-pair path.
// The walk to a DNS server is shared the same way, for its verdict only
// (classReaches). A VNet with a subnet peering, in either half, has no
// classes: such a peering carries some of its subnets and not others.

// srcClass is the subnets of a VNet that leave it alike.
type srcClass struct {
	rep   *topology.Subnet // the first of them: the class's walks start in its context
	set   addrs            // the addresses of all of them, interned
	names []string         // how a walk's words may name rep or set (classShareable)
	own   [2]string        // the assumptions egress makes of rep by name (ownAssumptions)
}

// classKey is what a subnet's leaving its VNet depends on beyond its
// addresses: its forwarding state (route table, service endpoints), its
// NSG, its NAT gateway, default outbound access and delegations.
type classKey struct {
	fwd         *fwdState
	nsg         *topology.NSG
	nat         string
	outbound    int8 // default outbound access: 0 unset, 1 off, 2 on
	delegations string
}

// classOf returns the class of a whole-subnet source on the shared path,
// and nil for any other source or a subnet alone in its class.
func (e *Engine) classOf(src Source) *srcClass {
	if e.opts.PerPair || e.in == nil || src.NIC != nil || src.Addr.IsValid() {
		return nil
	}
	if c, ok := e.classes.Load(src.Subnet); ok {
		return c
	}
	e.buildClasses(src.Subnet)
	c, _ := e.classes.Load(src.Subnet)
	return c
}

// buildClasses groups the subnets of sn's VNet into classes and records
// each subnet's (nil for one alone, and for every subnet of a VNet with a
// subnet peering).
func (e *Engine) buildClasses(sn *topology.Subnet) {
	v, ok := e.snap.VNet(sn.VNet)
	if !ok || !e.peersWholeVNet(v) {
		e.classes.Store(sn, nil)
		return
	}
	var keys []classKey
	groups := map[classKey][]*subnetCtx{}
	for _, id := range v.Subnets {
		m, ok := e.snap.Subnet(id)
		if !ok {
			continue
		}
		c := e.ctx(m)
		k := classKey{fwd: c.fwd, nsg: c.nsg, nat: topology.Key(m.NATGateway), delegations: strings.ToLower(strings.Join(m.Delegations, ","))}
		if m.DefaultOutboundAccess != nil {
			k.outbound = 1
			if *m.DefaultOutboundAccess {
				k.outbound = 2
			}
		}
		if _, seen := groups[k]; !seen {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], c)
	}
	for _, k := range keys {
		cs := groups[k]
		var cls *srcClass
		if len(cs) > 1 {
			var b cidr.Builder
			for _, c := range cs {
				b.AddSet(c.self)
			}
			rc := cs[0]
			cls = &srcClass{rep: rc.sn, set: concrete(e.intern(b.Set()))}
			cls.names = []string{rc.sn.ID, rc.name, rc.selfStr, cls.set.String()}
			cls.own = ownAssumptions(rc)
		}
		for _, c := range cs {
			e.classes.LoadOrStore(c.sn, cls)
		}
	}
	if _, ok := e.classes.Load(sn); !ok {
		e.classes.Store(sn, nil) // not among its VNet's subnets
	}
}

// peersWholeVNet reports whether every peering of v carries all its
// subnets, both its own halves and the halves of its peers that point
// back at it (reference §2.7).
func (e *Engine) peersWholeVNet(v *topology.VNet) bool {
	for _, id := range v.Peerings {
		p, ok := e.snap.Peering(id)
		if !ok {
			continue
		}
		if !p.PeerCompleteVNets && len(p.LocalSubnetNames) > 0 {
			return false
		}
		if q := e.remoteHalf(p); q != nil && !q.PeerCompleteVNets && len(q.RemoteSubnetNames) > 0 {
			return false
		}
	}
	return true
}

// classReachKey names a class's walk to a DNS server.
type classReachKey struct {
	cls    *srcClass
	server netip.Addr
	port   uint16
}

// classReaches reports whether every member of src's class reaches a DNS
// server, from one walk from all their addresses that every part of
// arrived and that no rule or reply route told apart (see above); false
// sends the member on its own walk, whose answer names it.
func (e *Engine) classReaches(src Source, server netip.Addr, port uint16) bool {
	cls := e.classOf(src)
	if cls == nil {
		return false
	}
	k := classReachKey{cls, server, port}
	if ok, done := e.classReach.Load(k); done {
		return ok
	}
	w := &walker{e: e, f: flow{proto: UDP, port: port}, srcCtx: e.ctx(cls.rep), dst: concrete(e.intern(cidr.SetOfAddr(server)))}
	e.walkClass(cls, w)
	ok := classArrived(cls, w)
	e.classReach.Store(k, ok)
	return ok
}

// classArrived reports whether every part of the walk w made for class
// cls arrived, and nothing told the class's addresses apart on the way.
func classArrived(cls *srcClass, w *walker) bool {
	if w.cut || w.srcCut || len(w.outcomes) == 0 {
		return false
	}
	for i := range w.outcomes {
		o := &w.outcomes[i]
		if v, _ := o.decider(); v != answer.Reachable || o.stop != nil || len(o.st.blockers) > 0 || !o.st.origSrc.equal(cls.set) {
			return false
		}
	}
	return true
}

// replayClass gives w, the check from src of the flow k names, the walk
// of src's class when it stands for src's own, walking it first when no
// member has; it returns nil when src walks alone. A class walk that no
// firewall decided by name is kept for every name of the flow, as a
// source's own walk is; one that a firewall decided by name is kept for
// that name only.
func (e *Engine) replayClass(k flowKey, src Source, w *walker) *walkMemo {
	cls := e.classOf(src)
	if cls == nil {
		return nil
	}
	k.src, k.class = Source{Subnet: cls.rep}, true
	byName := k
	byName.fqdn = w.f.fqdn
	m := e.keptWalk(k)
	if m == nil {
		m = e.keptWalk(byName)
	}
	if m == nil {
		cw := &walker{e: e, f: w.f, dst: w.dst, dstKey: w.dstKey, srcCtx: e.ctx(cls.rep), tagLabel: w.tagLabel}
		e.walkClass(cls, cw)
		if cw.byFQDN {
			k = byName
		}
		m = e.keepClassWalk(k, cls, cw)
	}
	if m.failed {
		return nil
	}
	m.replay(w, src)
	return m
}

// walkClass walks w's flow from every address of class cls, in the
// context of its first subnet.
func (e *Engine) walkClass(cls *srcClass, w *walker) {
	st := e.startState(Source{Subnet: cls.rep}, w.srcCtx, w.dst)
	st.src, st.origSrc = cls.set, cls.set
	w.start(st)
}

// ownEgress reports whether egress g, at the end of hops, is the outbound
// access of subnet sn itself, left through straight from it: the walk of
// sn's class went from the source subnet to the Internet and nowhere else,
// so each member leaves through its own (classKey holds their outbound
// settings alike).
func ownEgress(g *answer.Egress, hops []hop, sn *topology.Subnet) bool {
	return g != nil && g.Via == sn.ID && len(hops) == 2 && hops[1].kind == answer.HopInternet
}

// memberEgress returns egress g, at the end of hops, as w's source has it:
// a class walk's egress through the class's first subnet itself is the
// source's through its own.
func (w *walker) memberEgress(g *answer.Egress, hops []hop) *answer.Egress {
	if w.cls == nil || w.srcCtx.sn == w.cls.rep || !ownEgress(g, hops, w.cls.rep) {
		return g
	}
	x := *g
	x.Via = w.srcCtx.sn.ID
	return &x
}

// classShareable reports whether the walk w made for class cls stands for
// each member's (see the top of this file).
func classShareable(cls *srcClass, w *walker) bool {
	if !classArrived(cls, w) {
		return false
	}
	names := func(s string) bool {
		for _, n := range cls.names {
			if s != "" && strings.Contains(s, n) {
				return true
			}
		}
		return false
	}
	own := false // some part left for the Internet straight from rep (ownEgress)
	for i := range w.outcomes {
		o := &w.outcomes[i]
		if len(o.st.hops) == 0 {
			return false
		}
		leaves := ownEgress(o.st.egress, o.st.hops, cls.rep)
		own = own || leaves
		if o.ret != nil && (len(o.ret.Hops) > 0 || names(o.ret.Reason)) {
			return false
		}
		for _, h := range o.st.hops[1:] {
			if topology.SameID(h.node, cls.rep.ID) {
				return false
			}
		}
		for j := range o.st.steps {
			if names(o.st.steps[j].text) {
				return false
			}
		}
		if names(o.end.what) {
			return false
		}
		if g := o.st.egress; g != nil && (names(g.PublicIP) || names(g.Via) && !leaves) {
			return false
		}
	}
	// What egress assumed of rep by name, leaving from it, each member
	// assumes of itself (memberAssumptions).
	assumes := func(s string) bool { return names(s) && !(own && slices.Contains(cls.own[:], s)) }
	return !slices.ContainsFunc(w.notes.list, names) && !slices.ContainsFunc(w.assume.list, assumes)
}

// memberAssumptions returns the assumptions of a walk made for class cls
// as the member whose subnet is c has them: those egress made of the
// class's first subnet by name are made of c.
func memberAssumptions(list []string, cls *srcClass, c *subnetCtx) []string {
	var out []string
	var own [2]string // c's, made at the first one met
	for i, a := range list {
		if j := slices.Index(cls.own[:], a); j >= 0 {
			if out == nil {
				out, own = slices.Clone(list), ownAssumptions(c)
			}
			out[i] = own[j]
		}
	}
	if out == nil {
		return list
	}
	return out
}
