package engine

import (
	"net/netip"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/route"
	"github.com/vnetpath/vnetpath/topology"
)

// The handler of VirtualAppliance routes: the firewall or NIC that owns the
// next hop address, Azure Firewall rules and SNAT (reference §7), network
// virtual appliances (SPEC §2), and the loops they make.

// toAppliance follows a VirtualAppliance next hop to the firewall or NIC
// that owns its address (reference §1.4, §7.6).
func (w *walker) toAppliance(st state, r route.Route, ref *answer.RouteRef) {
	c := st.at
	ip := r.NextHopIP
	owners := w.e.snap.OwnersShared(ip)
	if len(owners) == 0 {
		if fs := w.e.snap.LoadBalancerFrontendsAt(ip); len(fs) > 0 {
			w.toLoadBalancer(st, r, ref, fs)
			return
		}
		if ids := w.unknownHolders(c.vnet, ip); len(ids) > 0 {
			// What holds the next hop may be what the snapshot lacks.
			w.stop(st, w.missing(st.dst, "the holder of next hop "+ip.String()+" ("+names(ids)+")", ids...))
			return
		}
		b := w.blocker(answer.Blackhole, answer.CauseNextHopNotFound, st.dst)
		b.Route, b.Resource = ref, r.Origin+"/routes/"+r.Name
		b.Data = map[string]string{"ip": ip.String()}
		rr := r // closures copy what they need, so that r stays on the stack
		b.fix = func() *answer.Fix { return w.e.fixRouteNextHop(c.vnet, rr, answer.FixDeployAppliance) }
		w.stop(st, b)
		return
	}
	o := w.pickOwner(c.vnet, owners)
	if !topology.SameID(o.VNet, c.vnet.ID) {
		p := w.e.peeringTo(c.vnet.ID, o.VNet)
		q := w.e.peeringTo(o.VNet, c.vnet.ID)
		if p == nil && q == nil {
			b := w.blocker(answer.Blackhole, answer.CauseNextHopNotPeered, st.dst)
			b.Route, b.Resource = ref, r.Origin+"/routes/"+r.Name
			b.Data = map[string]string{"ip": ip.String(), "vnet": topology.NameOf(o.VNet), "from": c.vnet.Name}
			b.fix = func() *answer.Fix { return w.e.fixCreatePeering(c.vnet.ID, o.VNet, false) }
			w.stop(st, b)
			return
		}
		osn, _ := w.e.snap.Subnet(o.Subnet)
		w.crossPeering(&st, o.VNet, osn)
	}
	if st.visited(o.ID) {
		var names []string
		for _, d := range st.devices {
			names = append(names, d.name)
		}
		names = append(names, shortName(o.ID))
		st.addHop(hop{node: o.ID, kind: answer.HopVirtualAppliance, name: shortName(o.ID), action: actRevisited}, step{typ: stForwarding, action: actRevisited})
		b := w.blocker(answer.Loop, answer.CauseLoop, st.dst)
		b.Route, b.Resource = ref, r.Origin
		b.Data = map[string]string{"at": shortName(o.ID), "path": strings.Join(names, " → ")}
		rr, dst := r, st.dst
		b.fix = func() *answer.Fix { return w.e.fixLoop(rr, dst, w.f.tag) }
		w.stop(st, b)
		return
	}
	switch o.Kind {
	case topology.OwnerFirewall:
		fw, _ := w.e.snap.Firewall(o.ID)
		if st.v6() {
			w.stop(st, w.ipv4OnlyDevice(st, r, ref, "Azure Firewall", shortName(o.ID)))
			return
		}
		w.throughFirewall(st, fw, o)
	case topology.OwnerNIC:
		n, _ := w.e.snap.NIC(o.ID)
		if n == nil || !n.EnableIPForwarding {
			st.addHop(hop{node: o.ID, kind: answer.HopNIC, name: shortName(o.ID), action: actDropped}, step{typ: stDrop, action: actDropped, text: "IP forwarding is off"})
			b := w.blocker(answer.Blackhole, answer.CauseNextHopNoForwarding, st.dst)
			b.Route, b.Resource = ref, o.ID
			b.Data = map[string]string{"ip": ip.String(), "nic": shortName(o.ID)}
			b.fix = func() *answer.Fix { return w.e.fixIPForwarding(o.ID) }
			w.stop(st, b)
			return
		}
		w.throughNVA(st, n, o, ip, "")
	default:
		b := w.blocker(answer.Blackhole, answer.CauseNextHopNotForwarder, st.dst)
		b.Route, b.Resource = ref, r.Origin+"/routes/"+r.Name
		b.Data = map[string]string{"ip": ip.String(), "kind": string(o.Kind), "owner": shortName(o.ID)}
		rr := r
		b.fix = func() *answer.Fix { return w.e.fixRouteNextHop(c.vnet, rr, answer.FixReviewRouting) }
		w.stop(st, b)
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
	var sn *topology.Subnet
	if fw != nil {
		sn, _ = w.e.snap.Subnet(o.Subnet)
	}
	if fw == nil || sn == nil {
		id, what := o.ID, "firewall "+shortName(o.ID)
		if fw != nil {
			id, what = o.Subnet, "subnet "+topology.ShortName(o.Subnet)+" of firewall "+fw.Name
		}
		w.stop(st, w.missing(st.dst, what, id))
		return
	}
	cfw := w.e.firewall(fw)
	fctx := w.e.ctx(sn)
	decisions, cut := cfw.evalShared(st.src, st.dst, w.f.fqdn, w.f.proto, w.f.port, &w.notes)
	w.srcCut = w.srcCut || cut
	if !fqdnFree(decisions) {
		w.byFQDN = true
	}
	for _, d := range decisions {
		s := st
		if len(decisions) > 1 {
			s = st.fork()
		}
		s.src, s.dst = d.src, d.dst
		h := hop{node: fw.ID, kind: answer.HopAzureFirewall, name: fw.Name, action: actForwarded}
		rule := step{typ: stFirewallRule, action: actAllowed, fwRule: d.rule}
		snat := d.snat
		if !d.allow {
			h.action, rule.action = actDenied, actDenied
			snat = !cfw.exempt(d.dst) // continue as a network rule would
		}
		s.addHop(h, rule)
		if len(cfw.missing) > 0 {
			// A policy, base policy, rule collection group or IP group the
			// snapshot lacks may hold a rule that decides (§10 item 38).
			w.blockMissing(&s, "rules of firewall "+fw.Name+" ("+names(cfw.missing)+")", cfw.missing...)
		}
		if snat {
			s.addStep(step{typ: stSNAT, action: actForwarded, dev: int16(len(s.devices))}) // the device appended below
		}
		if !d.allow {
			s.block(w.firewallBlocker(cfw, d))
		}
		dev := device{kind: answer.HopAzureFirewall, id: fw.ID, name: fw.Name, ip: cfw.privateAddr, snat: snat, orig: s.src, ctx: fctx, fw: cfw}
		if snat {
			s.src = concrete(cfw.privateIP)
		}
		s.devices = append(s.devices, dev)
		s.forwarded = true
		s.at = fctx
		s.addHop(hop{node: sn.ID, kind: answer.HopSubnet, name: fctx.name}, step{typ: stNote, text: "the firewall's subnet routes the next leg"})
		w.route(s)
	}
}

// throughNVA passes a network virtual appliance (a NIC with IP forwarding):
// its subnet and NIC NSGs inbound and outbound apply; its own rules are not
// modelled (SPEC §2).
//
// ip is the address routes send to it by (its own, or the frontend of
// load balancer lb in front of it).
func (w *walker) throughNVA(st state, n *topology.NIC, o topology.Owner, ip netip.Addr, lb string) {
	sn, _ := w.e.snap.Subnet(o.Subnet)
	if sn == nil {
		w.stop(st, w.missing(st.dst, "subnet "+topology.ShortName(o.Subnet)+" of appliance NIC "+n.Name, o.Subnet))
		return
	}
	w.assume.add("appliance " + n.Name + " forwards what reaches it; its own rules are not modelled")
	actx := w.e.ctx(sn)
	w.adminRulesApply(&st, actx)
	w.nsgMissing(&st, n.NSG, "appliance NIC "+n.Name)
	if actx.nsg == nil {
		w.nsgMissing(&st, sn.NSG, "subnet "+actx.name)
	}
	st.addHop(hop{node: n.ID, kind: answer.HopVirtualAppliance, name: n.Name, action: actForwarded}, step{typ: stForwarding, action: actForwarded, text: "own rules not modelled"})
	st.devices = append(st.devices, device{kind: answer.HopVirtualAppliance, id: n.ID, name: n.Name, ip: ip, orig: st.src, ctx: actx, nic: n, lb: lb})
	in := applianceNSGs(w.e, sn, n, true)
	out := applianceNSGs(w.e, sn, n, false)
	w.throughNSGs(st, actx, in, topology.DirectionInbound, func(s state) {
		w.throughNSGs(s, actx, out, topology.DirectionOutbound, func(s state) {
			s.forwarded = true
			s.at = actx
			s.addHop(hop{node: sn.ID, kind: answer.HopSubnet, name: actx.name}, step{typ: stNote, text: "the appliance's subnet routes the next leg"})
			w.route(s)
		})
	})
}

// applianceNSGs returns the NSGs of an appliance in evaluation order:
// inbound subnet then NIC, outbound NIC then subnet (reference §3.3).
func applianceNSGs(e *Engine, sn *topology.Subnet, n *topology.NIC, inbound bool) []nsgAt {
	var out []nsgAt
	ids := []string{sn.NSG, n.NSG}
	if !inbound {
		ids = []string{n.NSG, sn.NSG}
	}
	for _, id := range ids {
		if id == "" {
			continue
		}
		if g, ok := e.snap.NSG(id); ok {
			out = append(out, nsgAt{nsg: g})
		}
	}
	return out
}
