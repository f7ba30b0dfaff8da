package engine

import (
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/route"
	"github.com/vnetpath/vnetpath/topology"
)

// Gateway types as ARM spells them (gatewayType).
const (
	gatewayExpressRoute = "ExpressRoute"
)

// toGateway hands the packet to a VPN or ExpressRoute gateway, the VNet's
// own or a peer's through gateway transit (reference §2.4): on-premises is
// not modelled. A user route works only toward a VPN gateway, not toward
// an ExpressRoute gateway nor where both coexist (§1.4, §10 item 35), and
// VPN gateways carry IPv4 only (§10 item 39).
func (w *walker) toGateway(st state, r route.Route, ref *answer.RouteRef) {
	c := st.at
	gws := w.e.servingGateways(c.vnet, w.e.connectedPeerings(c.vnet))
	if len(gws) == 0 {
		if v := w.e.missingTransitVNet(c.vnet); v != "" {
			// The gateway would come from a peer the snapshot lacks.
			w.stop(st, w.missing(st.dst, "VNet "+topology.NameOf(v)+", whose gateway "+c.vnet.Name+" uses through gateway transit,", v))
			return
		}
		b := w.blocker(answer.Blackhole, answer.CauseGatewayMissing, st.dst)
		b.Route, b.Resource = ref, c.vnet.ID
		b.Data = map[string]string{"vnet": c.vnet.Name}
		b.fix = func() *answer.Fix { return w.e.fixGateway(c.vnet) }
		w.stop(st, b)
		return
	}
	var vpn, er *topology.Gateway
	for _, g := range gws {
		switch {
		case strings.EqualFold(g.GatewayType, gatewayExpressRoute):
			if er == nil {
				er = g
			}
		case vpn == nil:
			vpn = g
		}
	}
	g := gws[0]
	if r.Source == route.SourceGateway {
		for _, x := range gws {
			if topology.SameID(x.ID, r.Origin) {
				g = x
			}
		}
	}
	if r.Source == route.SourceUser && er != nil {
		typ := "ExpressRoute"
		if vpn != nil {
			typ = "VPN and ExpressRoute"
		}
		b := w.blocker(answer.Blackhole, answer.CauseGatewayNotVPN, st.dst)
		b.Route, b.Resource = ref, r.Origin+"/routes/"+r.Name
		b.Data = map[string]string{"gateway": er.Name, "gatewayType": typ}
		// Removing the route is the change; what then carries the traffic
		// is what ExpressRoute advertises by BGP, which no export holds: a
		// person checks it.
		fix := w.e.fixRemoveRoute(r)
		fix.Kind, fix.Patch = answer.FixReviewRouting, nil
		b.Fix = fix
		w.stop(st, b)
		return
	}
	if r.Source == route.SourceUser && vpn != nil {
		g = vpn
	}
	if st.v6() && !strings.EqualFold(g.GatewayType, gatewayExpressRoute) {
		if er == nil {
			w.stop(st, w.ipv4OnlyDevice(st, r, ref, "VPN gateway", g.Name))
			return
		}
		g = er
	}
	var gsn *topology.Subnet
	for _, ic := range g.IPConfigs {
		if x, ok := w.e.snap.Subnet(ic.Subnet); ok {
			gsn = x
			break
		}
	}
	if !topology.SameID(g.VNet, c.vnet.ID) {
		w.crossPeering(&st, g.VNet, gsn)
	}
	st.addHop(hop{node: g.ID, kind: answer.HopGateway, name: g.Name, action: actForwarded}, step{typ: stForwarding, action: actForwarded, text: "leaves Azure for on-premises"})
	if st.dst.isSym() || !privateRanges.ContainsSet(st.dst.set) {
		st.egress = &answer.Egress{Via: g.ID, Method: answer.EgressGateway}
		w.assume.add("traffic to " + w.label(st.dst) + " is forced through gateway " + g.Name + " to on-premises; the on-premises egress is not modelled")
	} else {
		w.assume.add("the on-premises network beyond gateway " + g.Name + " is not modelled")
	}
	w.arrive(st, ending{cause: answer.CauseHandedToGateway, what: g.Name})
}

// missingTransitVNet returns the ID of a VNet that v uses the gateway of
// (useRemoteGateways on a Connected peering) and that the snapshot lacks,
// or "".
func (e *Engine) missingTransitVNet(v *topology.VNet) string {
	for _, p := range e.connectedPeerings(v) {
		if p.UseRemoteGateways && !e.snap.Has(p.RemoteVNet) {
			return p.RemoteVNet
		}
	}
	return ""
}

// expressRouteGateway returns the ExpressRoute gateway whose BGP routes
// subnet c receives (its VNet's or a peer's through gateway transit,
// unless its route table disables propagation), or nil.
func (e *Engine) expressRouteGateway(c *subnetCtx) *topology.Gateway {
	if !e.hasER || c.rt != nil && c.rt.DisableBGPRoutePropagation {
		return nil
	}
	for _, g := range e.servingGateways(c.vnet, e.connectedPeerings(c.vnet)) {
		if strings.EqualFold(g.GatewayType, gatewayExpressRoute) {
			return g
		}
	}
	return nil
}

// mayBeOnPremises reports whether a destination may be on-premises: it
// holds private addresses that no VNet of the snapshot holds.
func (e *Engine) mayBeOnPremises(dst addrs) bool {
	if dst.isSym() || !privateRanges.Overlaps(dst.set) {
		return false
	}
	for _, p := range dst.set.Intersect(privateRanges).Prefixes() {
		if len(e.snap.VNetsContaining(p.Addr())) == 0 {
			return true
		}
	}
	return false
}
