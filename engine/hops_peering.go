package engine

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/route"
	"github.com/vnetpath/vnetpath/topology"
)

// The handlers of VnetLocal, VNetPeering and None routes: delivery inside a
// VNet, crossing a peering (reference §2), and what a None route says about
// the peering that would have carried the packet.

// overPeering follows a peering route into the remote VNet.
func (w *walker) overPeering(st state, r route.Route, ref *answer.RouteRef) {
	p, ok := w.e.snap.Peering(r.Origin)
	if !ok {
		w.stop(st, w.missing(st.dst, "peering "+topology.NameOf(r.Origin)+", which route "+describeRoute(r)+" names,", r.Origin))
		return
	}
	rv, ok := w.e.snap.VNet(p.RemoteVNet)
	w.crossPeering(&st, p.RemoteVNet, nil)
	if u, hub := w.e.hubOf(p.RemoteVNet); hub && !ok {
		// The hub's managed VNet: what it does with the packet is the
		// hub's routing, which vnetpath does not model.
		w.stop(st, w.unmodelledBlocker(st.dst, u, answer.FixReviewRouting))
		return
	}
	if !ok {
		w.stop(st, w.missing(st.dst, "VNet "+topology.NameOf(p.RemoteVNet)+", the remote of peering "+p.Name+",", p.RemoteVNet))
		return
	}
	w.inVNet(st, rv, p, r, ref)
}

// inVNet delivers to the subnets of VNet v that hold the destination
// (VnetLocal, or the far side of a peering).
func (w *walker) inVNet(st state, v *topology.VNet, over *topology.Peering, r route.Route, ref *answer.RouteRef) {
	if st.dst.isSym() {
		b := w.blocker(answer.Blackhole, answer.CauseTagIntoVNet, st.dst)
		b.Route, b.Resource = ref, r.Origin
		b.Data = map[string]string{"vnet": v.Name}
		at, tag := st.at, st.dst.sym // copies keep st on the stack
		b.fix = func() *answer.Fix { return w.e.fixTagToInternet(at, tag) }
		w.stop(st, b)
		return
	}
	rest := st.dst.set
	for _, id := range v.Subnets {
		sn, ok := w.e.snap.Subnet(id)
		if !ok || !slices.ContainsFunc(sn.Prefixes, rest.OverlapsPrefix) {
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
		if over != nil {
			if b, bad := w.peeringScope(over, st.at.sn, sn, s.dst, ""); bad {
				s.block(b)
			}
		}
		w.deliver(s, sn)
	}
	if !rest.IsEmpty() {
		s := st.fork()
		s.dst = concrete(rest)
		if ids := w.e.missingSubnets[topology.Key(v.ID)]; len(ids) > 0 {
			// A subnet the snapshot lacks may hold it.
			w.stop(s, w.missing(s.dst, "the subnets of VNet "+v.Name+" the snapshot lacks ("+names(ids)+")", ids...))
			return
		}
		b := w.blocker(answer.Blackhole, answer.CauseDestinationNotInSubnet, s.dst)
		b.Destination = describeAddrs(s.dst)
		b.Resource = v.ID
		b.Data = map[string]string{"vnet": v.Name}
		b.Fix = unpatchable(answer.FixCheckDestination, v.ID, "check the destination address")
		w.stop(s, b)
	}
}

// peeringScope decides whether peering half p carries a packet from
// subnet local, in the VNet that owns p, to subnet remote, in p's remote
// VNet (reference §2.7, §10 item 34): a peering of whole VNets carries
// every subnet; a subnet peering carries only the subnets it names on each
// side (localSubnetNames, remoteSubnetNames), and one with
// enableOnlyIPv6Peering only IPv6 (§1.9). Every hop that crosses a
// peering asks it — delivery, appliance and firewall next hops, private
// endpoints, gateways and replies — so a subnet left out drops the packet
// wherever it is (blocked-by-peering). address names the destination the
// remote subnet holds, for the sentence, when it is one address. It
// returns the blocker and true when the packet is dropped.
func (w *walker) peeringScope(p *topology.Peering, local, remote *topology.Subnet, dst addrs, address string) (blocker, bool) {
	if p == nil {
		return blocker{}, false
	}
	if p.OnlyIPv6 && (dst.isSym() || !dst.set.Is6()) {
		b := w.blocker(answer.BlockedByPeering, answer.CausePeeringIPv6Only, dst)
		b.Resource, b.Peering = p.ID, peeringRef(p)
		b.fix = func() *answer.Fix { return w.e.fixPeeringIPv4(p) }
		return b, true
	}
	if p.PeerCompleteVNets {
		return blocker{}, false
	}
	side, names, vnet, sn := "", []string(nil), "", (*topology.Subnet)(nil)
	switch {
	case remote != nil && len(p.RemoteSubnetNames) > 0 && !containsFold(p.RemoteSubnetNames, remote.Name):
		side, names, vnet, sn = "remote", p.RemoteSubnetNames, topology.NameOf(p.RemoteVNet), remote
	case local != nil && len(p.LocalSubnetNames) > 0 && !containsFold(p.LocalSubnetNames, local.Name):
		side, names, vnet, sn = "local", p.LocalSubnetNames, topology.NameOf(p.VNet), local
	default:
		return blocker{}, false
	}
	b := w.blocker(answer.BlockedByPeering, answer.CausePeeringSubnetScope, dst)
	b.Resource, b.Peering = p.ID, peeringRef(p)
	b.Data = map[string]string{"subnets": strings.Join(names, ", "), "vnet": vnet, "subnet": sn.Name, "side": side}
	if address != "" && side == "remote" {
		b.Data["address"] = address
	}
	name := sn.Name
	b.fix = func() *answer.Fix { return w.e.fixPeeringSubnets(p, side, name) }
	return b, true
}

// peeringRef is the answer's view of a peering half.
func peeringRef(p *topology.Peering) *answer.PeeringRef {
	return &answer.PeeringRef{ID: p.ID, Remote: p.RemoteVNet, State: p.State,
		AllowVirtualNetworkAccess: p.AllowVirtualNetworkAccess, AllowForwardedTraffic: p.AllowForwardedTraffic,
		AllowGatewayTransit: p.AllowGatewayTransit, UseRemoteGateways: p.UseRemoteGateways}
}

// peeringCheck returns the blocker of the peering between VNets from and
// to (p the half from owns, q the half to owns) for a packet toward to
// (forwarded: an appliance forwarded it), and whether there is one
// (reference §2.1, §2.2).
func (w *walker) peeringCheck(p, q *topology.Peering, fromVNet, toVNet string, forwarded bool, dst addrs) (blocker, bool) {
	from, to := topology.NameOf(fromVNet), topology.NameOf(toVNet)
	// The blocker (its destination's label) is made only once a case
	// holds: most crossings are open.
	var b blocker
	blocked := func(c answer.Cause) blocker { return w.blocker(answer.BlockedByPeering, c, dst) }
	switch {
	case p == nil && q == nil:
		b = blocked(answer.CauseNotPeered)
		b.Resource = fromVNet
		b.Data = map[string]string{"from": from, "to": to}
		b.fix = func() *answer.Fix { return w.e.fixCreatePeering(fromVNet, toVNet, forwarded) }
	case p != nil && q == nil && !w.e.snap.Has(toVNet), q != nil && p == nil && !w.e.snap.Has(fromVNet):
		// The other half belongs to a VNet the snapshot lacks: whether it
		// exists is not known (reference §10 item 38).
		id := toVNet
		if p == nil {
			id = fromVNet
		}
		return w.missing(dst, "VNet "+topology.NameOf(id)+", which holds the other half of the peering,", id), true
	case p == nil || q == nil:
		have, owner, other, otherID := q, to, from, fromVNet
		if q == nil {
			have, owner, other, otherID = p, from, to, toVNet
		}
		b = blocked(answer.CausePeeringMissingHalf)
		b.Resource, b.Peering = have.ID, peeringRef(have)
		b.Data = map[string]string{"owner": owner, "other": other}
		// The new half is the receiving one when the packet goes toward
		// its owner: it must accept forwarded traffic then.
		b.fix = func() *answer.Fix {
			return w.e.fixMissingHalf(have, otherID, forwarded && topology.SameID(otherID, toVNet))
		}
	case p.State != topology.PeeringConnected || q.State != topology.PeeringConnected:
		bad, good := p, q
		if p.State == topology.PeeringConnected {
			bad, good = q, p
		}
		b = blocked(answer.CausePeeringNotConnected)
		b.Resource, b.Peering = bad.ID, peeringRef(bad)
		b.Data = map[string]string{"other": good.Name, "otherState": string(good.State)}
		b.fix = func() *answer.Fix { return w.e.fixRecreatePeering(bad, good) }
	case !p.AllowVirtualNetworkAccess || !q.AllowVirtualNetworkAccess:
		bad := p
		if p.AllowVirtualNetworkAccess {
			bad = q
		}
		b = blocked(answer.CausePeeringNoVNetAccess)
		b.Resource, b.Peering = bad.ID, peeringRef(bad)
		b.fix = func() *answer.Fix { return w.e.fixPeeringFlag(bad, "allowVirtualNetworkAccess") }
	case forwarded && !q.AllowForwardedTraffic:
		b = blocked(answer.CausePeeringNoForwardedTraffic)
		b.Resource, b.Peering = q.ID, peeringRef(q)
		b.Data = map[string]string{"owner": to}
		b.fix = func() *answer.Fix { return w.e.fixPeeringFlag(q, "allowForwardedTraffic") }
	default:
		return blocker{}, false
	}
	return b, true
}

// crossPeering checks the peering from the current VNet to vnet `to`
// toward subnet target (nil when the subnet is chosen later, on delivery)
// and records a blocker when it cannot carry the packet; it adds a hop for
// the crossing.
func (w *walker) crossPeering(st *state, to string, target *topology.Subnet) {
	from := st.at.vnet.ID
	p := w.e.peeringTo(from, to)
	q := w.e.peeringTo(to, from)
	b, bad := w.peeringCheck(p, q, from, to, st.forwarded, st.dst)
	if !bad && target != nil {
		b, bad = w.peeringScope(p, st.at.sn, target, st.dst, "")
	}
	if p != nil {
		action := actCrossed
		if bad {
			action = actBlocked
		}
		st.addHop(hop{node: p.ID, kind: answer.HopPeering, name: p.Name, action: action}, step{typ: stPeering, action: action, peering: p})
	}
	if bad {
		st.block(b)
	}
}

// dropped handles a None route: a user route that discards, or Azure's
// reserved-range routes, behind which may hide a peering that exists but
// does not carry the packet, a subnet peering or an unsynced range.
func (w *walker) dropped(st state, r route.Route, ref *answer.RouteRef) {
	c := st.at
	if r.Source == route.SourceUser {
		b := w.blocker(answer.Blackhole, answer.CauseRouteNone, st.dst)
		b.Route, b.Resource = ref, r.Origin+"/routes/"+r.Name
		rr := r // a copy keeps r on the stack
		b.fix = func() *answer.Fix { return w.e.fixRemoveRoute(rr) }
		w.stop(st, b)
		return
	}
	b := w.blocker(answer.Blackhole, answer.CauseSystemRouteNone, st.dst)
	b.Route, b.Resource = ref, c.sn.ID
	b.Data = map[string]string{"subnet": c.name}
	b.Fix = unpatchable(answer.FixRouteDestination, c.sn.ID, "route "+b.Destination+" from "+c.name)
	if a, ok := st.dst.single(); ok {
		if vs := w.e.snap.VNetsContaining(a); len(vs) > 0 {
			target := vs[0]
			// A peering half that exists but is not Connected installs no
			// route: the peering is to blame, not a missing one (§2.2).
			if p, q := w.e.peeringTo(c.vnet.ID, target.ID), w.e.peeringTo(target.ID, c.vnet.ID); p != nil || q != nil {
				pb, bad := w.peeringCheck(p, q, c.vnet.ID, target.ID, st.forwarded, st.dst)
				in := func(x netip.Prefix) bool { return x.Contains(a) }
				if dsn, ok := w.e.snap.SubnetAt(target.ID, a); !bad && ok {
					// A subnet peering routes only the subnets it names (§2.7).
					pb, bad = w.peeringScope(p, c.sn, dsn, st.dst, a.String())
				}
				if !bad && p != nil && p.PeerCompleteVNets && len(p.RemoteAddressSpace) > 0 && !slices.ContainsFunc(p.RemoteAddressSpace, in) && slices.ContainsFunc(p.RemoteVNetAddressSpace, in) {
					// The peer's range was added but not synced (§2.6).
					pb = w.blocker(answer.BlockedByPeering, answer.CausePeeringNotSynced, st.dst)
					pb.Resource, pb.Peering = p.ID, peeringRef(p)
					pb.Data = map[string]string{"vnet": target.Name, "address": a.String(), "syncLevel": p.SyncLevel, "routes": prefixList(p.RemoteAddressSpace)}
					pb.fix = func() *answer.Fix { return w.e.fixSyncPeering(p) }
					bad = true
				}
				if bad {
					w.stop(st, pb)
					return
				}
			}
			b.Cause, b.Resource = answer.CauseDestinationNotPeered, c.vnet.ID
			b.Data = map[string]string{"address": a.String(), "vnet": target.Name, "from": c.vnet.Name, "subnet": c.name,
				"space": prefixList(target.AddressSpace)}
			if fw := w.sharedFirewall(c.vnet, target); fw != "" {
				b.Data["firewall"] = fw
			}
			forwarded := st.forwarded
			b.Fix, b.fix = nil, func() *answer.Fix { return w.e.fixCreatePeering(c.vnet.ID, target.ID, forwarded) }
		}
	}
	w.stop(st, b)
}

// sharedFirewall returns "IP (firewall name)" of a firewall in a VNet
// peered with both a and b, or "".
func (w *walker) sharedFirewall(a, b *topology.VNet) string {
	for _, p := range w.e.connectedPeerings(a) {
		if w.e.peeringTo(b.ID, p.RemoteVNet) == nil {
			continue
		}
		for fw := range w.e.snap.Firewalls() {
			for _, ic := range fw.IPConfigs {
				if sn, ok := w.e.snap.Subnet(ic.Subnet); ok && topology.SameID(sn.VNet, p.RemoteVNet) && ic.PrivateIP.IsValid() {
					return ic.PrivateIP.String() + " (firewall " + fw.Name + ")"
				}
			}
		}
	}
	return ""
}
