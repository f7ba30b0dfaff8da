package engine

import (
	"fmt"

	"github.com/vnetpath/vnetpath/route"
	"github.com/vnetpath/vnetpath/topology"
)

// returnPath walks the replies of a delivered flow from the destination
// subnet back to the source. NSGs are stateful and let replies through
// (reference §3.4); what breaks replies is routing: a None route, or a path
// that skips a stateful device the request went through, or that sends
// replies into a firewall that never saw the request (§7.6 g).
//
// A private endpoint answers as if attached to the client's side (§10 item
// 31): its replies are not checked against the endpoint subnet's routes,
// but a request that passed a firewall without SNAT from a VNet the
// endpoint's VNet reaches directly is asymmetric (§7.3).
func (w *walker) returnPath(st state, dctx *subnetCtx, pe *topology.PrivateEndpoint) *ReturnPath {
	var pending []device // stateful devices the reply must pass, latest first
	for i := len(st.devices) - 1; i >= 0; i-- {
		pending = append(pending, st.devices[i])
	}
	if pe != nil {
		for _, d := range pending {
			if d.kind != "azureFirewall" || d.snat {
				continue
			}
			srcVNet := w.sourceVNet(st)
			if topology.SameID(srcVNet, dctx.vnet.ID) || w.directlyPeered(srcVNet, dctx.vnet.ID) {
				return &ReturnPath{OK: false,
					Reason: fmt.Sprintf("firewall %s forwards the request to private endpoint %s without SNAT (network rules do not translate private destinations), and the endpoint replies directly to %s over its own route, bypassing the firewall, which then drops the flow as asymmetric",
						d.name, pe.Name, st.origSrc)}
			}
		}
		return &ReturnPath{OK: true, Reason: "private endpoints reply along the path of the request"}
	}

	at := dctx
	target := st.src
	var hops []Hop
	for step := 0; step < maxHops; step++ {
		hops = append(hops, Hop{Node: at.sn.ID, Kind: "subnet", Name: topology.ShortName(at.sn.ID)})
		id, ok := w.replyRoute(at, target)
		if !ok {
			return &ReturnPath{OK: false, Reason: fmt.Sprintf("%s has no route back to %s", topology.ShortName(at.sn.ID), target), Hops: hops}
		}
		r := at.table.Route(id)
		hops[len(hops)-1].Route = routeRef(at.table, id, target)
		switch r.NextHopType {
		case topology.NextHopVnetLocal, topology.NextHopVNetPeering, topology.NextHopVNetGlobalPeering, topology.NextHopInterfaceEndpoint:
			// Arrived where the reply's target lives: a device the
			// request passed (its SNAT address), or the source.
			if len(pending) > 0 && pending[0].snat {
				d := pending[0]
				pending = pending[1:]
				hops = append(hops, Hop{Node: d.id, Kind: d.kind, Name: d.name, Action: "untranslated"})
				target = d.orig
				at = d.ctx
				continue
			}
			if len(pending) > 0 {
				d := pending[0]
				return &ReturnPath{OK: false, Hops: hops,
					Reason: fmt.Sprintf("replies from %s to %s take route %s and bypass %s, which forwarded the request without translating its source; a stateful device drops such flows",
						topology.ShortName(dctx.sn.ID), target, describeRoute(r), d.name)}
			}
			return &ReturnPath{OK: true, Hops: hops}
		case topology.NextHopVirtualAppliance, topology.NextHopVirtualApplianceEcmp:
			owners := w.e.snap.OwnersOf(r.NextHopIP)
			if len(owners) == 0 {
				return &ReturnPath{OK: false, Hops: hops, Reason: fmt.Sprintf("replies are routed to %s, which nothing in the snapshot owns", r.NextHopIP)}
			}
			o := w.pickOwner(at.vnet, owners)
			if len(pending) > 0 && topology.SameID(pending[0].id, o.ID) {
				d := pending[0]
				pending = pending[1:]
				hops = append(hops, Hop{Node: d.id, Kind: d.kind, Name: d.name, Action: "forwarded"})
				if d.snat {
					target = d.orig
				}
				at = d.ctx
				continue
			}
			kind := "appliance"
			if o.Kind == topology.OwnerFirewall {
				kind = "firewall"
			}
			return &ReturnPath{OK: false, Hops: hops,
				Reason: fmt.Sprintf("replies from %s to %s are routed to %s %s, which did not see the request; a stateful device drops them",
					topology.ShortName(at.sn.ID), target, kind, shortName(o.ID))}
		case topology.NextHopNone:
			return &ReturnPath{OK: false, Hops: hops, Reason: fmt.Sprintf("replies from %s to %s are dropped by route %s", topology.ShortName(at.sn.ID), target, describeRoute(r))}
		default:
			return &ReturnPath{OK: false, Hops: hops, Reason: fmt.Sprintf("replies from %s to %s leave through %s instead of returning", topology.ShortName(at.sn.ID), target, r.NextHopType)}
		}
	}
	return &ReturnPath{OK: false, Hops: hops, Reason: "the reply path loops"}
}

// replyRoute returns the route a reply toward target takes, requiring one
// route for all of target.
func (w *walker) replyRoute(at *subnetCtx, target addrs) (route.ID, bool) {
	if target.isSym() {
		return 0, false
	}
	pieces := at.table.LookupSet(target.set)
	if len(pieces) == 0 || !pieces[0].OK {
		return 0, false
	}
	if len(pieces) > 1 {
		first := at.table.Route(pieces[0].Route)
		for _, p := range pieces[1:] {
			r := at.table.Route(p.Route)
			if !p.OK || r.NextHopType != first.NextHopType || r.NextHopIP != first.NextHopIP {
				w.notes.add(fmt.Sprintf("replies to parts of %s take different routes from %s; the first was followed", target, topology.ShortName(at.sn.ID)))
				break
			}
		}
	}
	return pieces[0].Route, true
}

func (w *walker) sourceVNet(st state) string {
	for _, h := range st.hops {
		if h.Kind == "subnet" || h.Kind == "nic" {
			if sn, ok := w.e.snap.Subnet(h.Node); ok {
				return sn.VNet
			}
			if n, ok := w.e.snap.NIC(h.Node); ok && len(n.IPConfigs) > 0 {
				return topology.Parent(n.IPConfigs[0].Subnet)
			}
		}
	}
	return ""
}

func (w *walker) directlyPeered(a, b string) bool {
	p := w.e.peeringTo(a, b)
	return p != nil && p.State == topology.PeeringConnected
}
