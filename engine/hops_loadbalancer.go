package engine

import (
	"net/netip"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/route"
	"github.com/vnetpath/vnetpath/topology"
)

// toLoadBalancer follows a VirtualAppliance next hop that is the frontend
// of an internal load balancer (reference §1.4, §10 item 43): the
// load-balancing rule for the flow (an HA-ports rule carries every flow)
// sends it to its backend pool, and each member is walked as an
// appliance is (IP forwarding, its NSGs, its subnet's routes), so the
// answer is reachable only when the path through every member is. A
// member without IP forwarding drops what reaches it.
func (w *walker) toLoadBalancer(st state, r route.Route, ref *answer.RouteRef, fs []topology.FrontendRef) {
	c := st.at
	f := fs[0]
	for _, x := range fs {
		if topology.SameID(topology.Parent(x.Frontend().Subnet), c.vnet.ID) {
			f = x
			break
		}
	}
	lb, fe := f.LB, f.Frontend()
	fsn, _ := w.e.snap.Subnet(fe.Subnet)
	fvnet := topology.Parent(fe.Subnet)
	if fsn != nil {
		fvnet = fsn.VNet
	}
	if fvnet != "" && !topology.SameID(fvnet, c.vnet.ID) {
		if w.e.peeringTo(c.vnet.ID, fvnet) == nil && w.e.peeringTo(fvnet, c.vnet.ID) == nil {
			b := w.blocker(answer.Blackhole, answer.CauseNextHopNotPeered, st.dst)
			b.Route, b.Resource = ref, r.Origin+"/routes/"+r.Name
			b.Data = map[string]string{"ip": fe.PrivateIP.String(), "vnet": topology.NameOf(fvnet), "from": c.vnet.Name}
			b.fix = func() *answer.Fix { return w.e.fixCreatePeering(c.vnet.ID, fvnet, false) }
			w.stop(st, b)
			return
		}
		w.crossPeering(&st, fvnet, fsn)
	}
	rule := lbRuleFor(lb, fe.ID, w.f.proto, w.f.port)
	st.addHop(hop{node: lb.ID, kind: answer.HopLoadBalancer, name: lb.Name, action: actForwarded},
		step{typ: stForwarding, action: actForwarded, text: lbNote(fe, rule)})
	if rule == nil {
		st.last().action = actDropped
		b := w.blocker(answer.Blackhole, answer.CauseLBNoRule, st.dst)
		b.Route, b.Resource = ref, lb.ID
		b.Data = map[string]string{"lb": lb.Name, "frontend": fe.Name, "ip": fe.PrivateIP.String()}
		b.fix = func() *answer.Fix { return w.e.fixLBHAPorts(lb, fe) }
		w.stop(st, b)
		return
	}
	type member struct {
		cfg  string // NIC IP configuration ID, or "" for an address member
		addr netip.Addr
	}
	var members []member
	for _, pool := range rule.Pools {
		for _, id := range w.e.snap.PoolMembers(pool) {
			members = append(members, member{cfg: id})
		}
		if p := lbPool(lb, pool); p != nil {
			for _, a := range p.Addresses {
				members = append(members, member{addr: a.IP})
			}
		}
	}
	if len(members) == 0 {
		st.last().action = actDropped
		b := w.blocker(answer.Blackhole, answer.CauseLBEmptyPool, st.dst)
		b.Route, b.Resource = ref, lb.ID
		pool := ""
		if len(rule.Pools) > 0 {
			pool = topology.NameOf(rule.Pools[0])
		}
		b.Data = map[string]string{"lb": lb.Name, "pool": pool}
		b.Fix = unpatchable(answer.FixReviewRouting, lb.ID, "add the appliances to backend pool "+pool)
		w.stop(st, b)
		return
	}
	w.assume.add("load balancer " + lb.Name + " may send the flow to any member of its backend pool, so each was followed; health probes are not modelled (reference §10 item 43)")
	for _, m := range members {
		s := st
		if len(members) > 1 {
			s = st.fork()
		}
		var nic *topology.NIC
		var cfg *topology.IPConfig
		switch {
		case m.cfg != "":
			owner := ipConfigOwner(m.cfg)
			n, ok := w.e.snap.NIC(owner)
			if !ok {
				w.stop(s, w.missing(s.dst, "NIC "+topology.NameOf(owner)+" of backend pool of load balancer "+lb.Name, owner))
				continue
			}
			nic = n
			for i := range n.IPConfigs {
				if topology.SameID(n.IPConfigs[i].ID, m.cfg) {
					cfg = &n.IPConfigs[i]
				}
			}
		default:
			for _, o := range w.e.snap.OwnersOf(m.addr) {
				if o.Kind == topology.OwnerNIC {
					nic, _ = w.e.snap.NIC(o.ID)
					for i := range nic.IPConfigs {
						if nic.IPConfigs[i].PrivateIP == m.addr {
							cfg = &nic.IPConfigs[i]
						}
					}
					break
				}
			}
			if nic == nil {
				b := w.blocker(answer.Blackhole, answer.CauseNextHopNotFound, s.dst)
				b.Route, b.Resource = ref, lb.ID
				b.Data = map[string]string{"ip": m.addr.String()}
				b.Fix = unpatchable(answer.FixReviewRouting, lb.ID, "put the appliance at "+m.addr.String()+" in the snapshot, or remove it from the pool")
				w.stop(s, b)
				continue
			}
		}
		if cfg == nil {
			cfg = &nic.IPConfigs[0]
		}
		if s.visited(nic.ID) {
			s.addHop(hop{node: nic.ID, kind: answer.HopVirtualAppliance, name: nic.Name, action: actRevisited}, step{typ: stForwarding, action: actRevisited})
			b := w.blocker(answer.Loop, answer.CauseLoop, s.dst)
			b.Route, b.Resource = ref, r.Origin
			var path []string
			for _, d := range s.devices {
				path = append(path, d.name)
			}
			b.Data = map[string]string{"at": nic.Name, "path": strings.Join(append(path, nic.Name), " → ")}
			rr, dst := r, s.dst
			b.fix = func() *answer.Fix { return w.e.fixLoop(rr, dst, w.f.tag) }
			w.stop(s, b)
			continue
		}
		if !nic.EnableIPForwarding {
			s.addHop(hop{node: nic.ID, kind: answer.HopNIC, name: nic.Name, action: actDropped}, step{typ: stDrop, action: actDropped, text: "IP forwarding is off"})
			b := w.blocker(answer.Blackhole, answer.CauseNextHopNoForwarding, s.dst)
			b.Route, b.Resource = ref, nic.ID
			b.Data = map[string]string{"ip": cfg.PrivateIP.String(), "nic": nic.Name}
			id := nic.ID
			b.fix = func() *answer.Fix { return w.e.fixIPForwarding(id) }
			w.stop(s, b)
			continue
		}
		w.throughNVA(s, nic, topology.Owner{Kind: topology.OwnerNIC, ID: nic.ID, NIC: nic.ID, Subnet: cfg.Subnet, VNet: topology.Parent(cfg.Subnet)},
			fe.PrivateIP, lb.ID)
	}
}

// lbRuleFor returns the load-balancing rule of frontend fe that carries
// the flow: an HA-ports rule, or one for its protocol and port; nil when
// none does.
func lbRuleFor(lb *topology.LoadBalancer, fe string, p Protocol, port uint16) *topology.LBRule {
	for i := range lb.Rules {
		r := &lb.Rules[i]
		if !topology.SameID(r.Frontend, fe) {
			continue
		}
		if r.IsHAPorts() && p != ICMP {
			return r
		}
		if lbProtoMatches(r.Protocol, p) && !strings.EqualFold(r.Protocol, "All") && r.FrontendPort == int(port) {
			return r
		}
	}
	return nil
}

// lbNote says which frontend and rule forwarded the flow.
func lbNote(fe *topology.LBFrontend, r *topology.LBRule) string {
	s := "frontend " + fe.Name + " (" + fe.PrivateIP.String() + ")"
	switch {
	case r == nil:
		return s + ": no load-balancing rule for the flow"
	case r.IsHAPorts():
		return s + ": HA-ports rule " + r.Name
	}
	return s + ": rule " + r.Name
}

// lbPool returns the backend pool of lb with the given ID, or nil.
func lbPool(lb *topology.LoadBalancer, id string) *topology.LBPool {
	for i := range lb.Pools {
		if topology.SameID(lb.Pools[i].ID, id) {
			return &lb.Pools[i]
		}
	}
	return nil
}
