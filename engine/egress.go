package engine

import (
	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/route"
	"github.com/vnetpath/vnetpath/topology"
)

// toInternet leaves Azure for a public destination through the egress the
// current node has (reference §1.6). Private destinations routed to the
// Internet are dropped there.
func (w *walker) toInternet(st state, r route.Route, ref *answer.RouteRef) {
	if !st.dst.isSym() {
		bad := st.dst.set.Intersect(privateRanges.Union(specialRanges))
		if !bad.IsEmpty() {
			s := st.fork()
			s.dst = concrete(bad)
			b := w.blocker(answer.Blackhole, answer.CausePrivateToInternet, s.dst)
			b.Destination = describeAddrs(s.dst)
			b.Route, b.Resource = ref, r.Origin
			b.Fix = unpatchable(answer.FixRouteDestination, st.at.sn.ID, "route "+b.Destination+" toward the network that holds it")
			if a, ok := s.dst.single(); ok {
				// A destination in a VNet of the snapshot that the source's
				// VNet does not reach: peering them routes it there.
				if vs := w.e.snap.VNetsContaining(a); len(vs) > 0 && !topology.SameID(vs[0].ID, st.at.vnet.ID) {
					from, to, forwarded := st.at.vnet.ID, vs[0].ID, st.forwarded
					b.Fix, b.fix = nil, func() *answer.Fix { return w.e.fixCreatePeering(from, to, forwarded) }
				}
			}
			w.stop(s, b)
			rest := st.dst.set.Subtract(bad)
			if rest.IsEmpty() {
				return
			}
			st = st.fork()
			st.dst = concrete(rest)
		}
	}
	eg, b := w.egress(st)
	if eg == nil {
		st.addHop(hop{node: "Internet", kind: answer.HopInternet, action: actDropped}, step{typ: stDrop, action: actDropped})
		w.stop(st, b)
		return
	}
	st.egress = eg
	st.addHop(hop{node: "Internet", kind: answer.HopInternet, action: actEgress}, step{typ: stEgress, action: actEgress, egress: eg})
	w.arrive(st, ending{cause: answer.CauseLeftAzure})
}

// egress returns how the current node reaches the internet: the firewall's
// public IP when a firewall forwarded the packet, an appliance NIC's public
// IP, else the subnet's NAT gateway, the source NIC's public IP, or default
// outbound access (reference §1.6). nil and the blocker when there is none.
func (w *walker) egress(st state) (*answer.Egress, blocker) {
	c := st.at
	if n := len(st.devices); n > 0 && st.devices[n-1].ctx == c {
		d := st.devices[n-1]
		switch d.kind {
		case answer.HopAzureFirewall:
			if len(d.fw.publicIPs) == 0 || d.fw.publicIPs[0] == "" {
				b := w.blocker(answer.NoEgress, answer.CauseFirewallNoPublicIP, st.dst)
				b.Resource = d.id
				b.Data = map[string]string{"firewall": d.name}
				b.fix = func() *answer.Fix { return w.e.fixNATGateway(c.sn) }
				return nil, b
			}
			return &answer.Egress{PublicIP: d.fw.publicIPs[0], Via: d.id, Method: answer.EgressAzureFirewall}, blocker{}
		case answer.HopVirtualAppliance:
			if ip := w.nicPublicIP(d.nic); ip != "" {
				return &answer.Egress{PublicIP: ip, Via: d.id, Method: answer.EgressVirtualAppliance}, blocker{}
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
			return &answer.Egress{PublicIP: ip, Via: ng.ID, Method: answer.EgressNATGateway}, blocker{}
		}
	}
	if len(st.devices) == 0 && st.srcNIC != nil {
		if ip := w.nicPublicIP(st.srcNIC); ip != "" {
			return &answer.Egress{PublicIP: ip, Via: st.srcNIC.ID, Method: answer.EgressInstancePublicIP}, blocker{}
		}
	}
	if sn.DefaultOutboundAccess == nil || *sn.DefaultOutboundAccess {
		if sn.DefaultOutboundAccess == nil {
			w.assume.add("subnet " + c.name + " does not set defaultOutboundAccess, so it has default outbound access as VNets created before API version 2025-07-01 do (reference §1.6)")
		}
		return &answer.Egress{Via: sn.ID, Method: answer.EgressDefaultOutbound}, blocker{}
	}
	who := "subnet " + c.name
	if n := len(st.devices); n > 0 {
		who = st.devices[n-1].name + " in " + who
	}
	b := w.blocker(answer.NoEgress, answer.CauseNoEgress, st.dst)
	b.Resource = sn.ID
	b.Data = map[string]string{"who": who}
	b.fix = func() *answer.Fix { return w.e.fixNATGateway(sn) }
	return nil, b
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
