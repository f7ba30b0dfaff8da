package engine

import (
	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/route"
	"github.com/vnetpath/vnetpath/topology"
)

// toGateway hands the packet to a VPN or ExpressRoute gateway, the VNet's
// own or a peer's through gateway transit (reference §2.4): on-premises is
// not modelled.
func (w *walker) toGateway(st state, r route.Route, ref *answer.RouteRef) {
	c := st.at
	gws := w.e.servingGateways(c.vnet, w.e.connectedPeerings(c.vnet))
	if len(gws) == 0 {
		b := w.blocker(answer.Blackhole, answer.CauseGatewayMissing, st.dst)
		b.Route, b.Resource = ref, c.vnet.ID
		b.Data = map[string]string{"vnet": c.vnet.Name}
		b.fix = func() *answer.Fix { return w.e.fixGateway(c.vnet) }
		w.stop(st, b)
		return
	}
	g := gws[0]
	if !topology.SameID(g.VNet, c.vnet.ID) {
		w.crossPeering(&st, g.VNet)
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
