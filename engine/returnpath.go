package engine

import (
	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/route"
	"github.com/vnetpath/vnetpath/topology"
)

// returnPath walks the replies of a delivered flow from the destination
// subnet back to the source. NSGs are stateful and let replies through
// (reference §3.4); what breaks replies is routing: a None route, or a path
// that skips a stateful device the request went through, or that sends
// replies into a firewall that never saw the request (§7.6 g). It returns
// the return path and, when it is broken, the blocker that says why.
//
// A private endpoint answers as if attached to the client's side (§10 item
// 31): its replies are not checked against the endpoint subnet's routes,
// but a request that passed a firewall without SNAT from a VNet the
// endpoint's VNet reaches directly is asymmetric (§7.3).
func (w *walker) returnPath(st state, dctx *subnetCtx, pe *topology.PrivateEndpoint) (*answer.ReturnPath, *blocker) {
	var pending []device // stateful devices the reply must pass, latest first
	for i := len(st.devices) - 1; i >= 0; i-- {
		pending = append(pending, st.devices[i])
	}
	if pe != nil {
		for _, d := range pending {
			if d.kind != answer.HopAzureFirewall || d.snat {
				continue
			}
			srcVNet := w.sourceVNet(st)
			if topology.SameID(srcVNet, dctx.vnet.ID) || w.directlyPeered(srcVNet, dctx.vnet.ID) {
				b := w.returnBlocker(st, answer.CauseReturnAsymmetric)
				b.Resource = d.id
				b.Data = map[string]string{"firewall": d.name, "pe": pe.Name, "source": st.origSrc.String()}
				fw, dst := d.fw, st.dst // copies keep st on the stack
				b.fix = func() *answer.Fix { return w.e.fixSNAT(fw, dst) }
				return &answer.ReturnPath{OK: false}, &b
			}
		}
		return &answer.ReturnPath{OK: true, Reason: "private endpoints reply along the path of the request"}, nil
	}

	at := dctx
	target := st.src
	var hops []answer.Hop
	broken := func(c answer.Cause, data map[string]string, ref *answer.RouteRef, fix *answer.Fix) (*answer.ReturnPath, *blocker) {
		b := w.returnBlocker(st, c)
		b.Resource = at.sn.ID
		b.Route = ref
		if data == nil {
			data = map[string]string{}
		}
		data["subnet"], data["target"] = at.name, target.String()
		b.Data = data
		b.Fix = fix
		return &answer.ReturnPath{OK: false, Hops: hops}, &b
	}
	// via is the device a missing reply route should lead to: the one
	// the reply must pass next, else the last the request passed.
	via := func() *device {
		if len(pending) > 0 {
			return &pending[0]
		}
		if n := len(st.devices); n > 0 {
			return &st.devices[n-1]
		}
		return nil
	}
	for step := 0; step < maxHops; step++ {
		hops = append(hops, answer.Hop{Node: at.sn.ID, Kind: answer.HopSubnet, Name: at.name})
		if at.rt == nil && at.sn.RouteTable != "" || len(at.routesMissing) > 0 {
			// The replies follow routes the snapshot lacks (§10 item 38).
			ids := at.routesMissing
			what := "what the gateway routes of subnet " + at.name + " come from (" + names(ids) + "), which carry the replies,"
			if at.rt == nil && at.sn.RouteTable != "" {
				ids = []string{at.sn.RouteTable}
				what = "route table " + topology.NameOf(at.sn.RouteTable) + " of subnet " + at.name + ", whose routes carry the replies,"
			}
			b := w.missing(st.dst, what, ids...)
			b.Source = describeAddrs(st.origSrc)
			b.Hop = len(st.hops) - 1
			return &answer.ReturnPath{OK: false, Hops: hops}, &b
		}
		id, ok := w.replyRoute(at, target)
		if !ok {
			return broken(answer.CauseReturnNoRoute, nil, nil, w.e.fixReplyRoute(at, target, via()))
		}
		r := at.route(id)
		ref := at.routeRef(w.e, id, target)
		hops[len(hops)-1].Route = ref
		switch r.NextHopType {
		case topology.NextHopVnetLocal, topology.NextHopVNetPeering, topology.NextHopVNetGlobalPeering, topology.NextHopInterfaceEndpoint:
			// A subnet peering carries replies only between the subnets
			// it names (§10 item 34).
			if b, bad := w.replyPeeringScope(st, at, r, target); bad {
				return &answer.ReturnPath{OK: false, Hops: hops}, &b
			}
			// Arrived where the reply's target lives: a device the
			// request passed (its SNAT address), or the source.
			if len(pending) > 0 && pending[0].snat {
				d := pending[0]
				pending = pending[1:]
				hops = append(hops, answer.Hop{Node: d.id, Kind: d.kind, Name: d.name, Action: answer.ActionUntranslated})
				target = d.orig
				at = d.ctx
				continue
			}
			if len(pending) > 0 {
				d := pending[0]
				return broken(answer.CauseReturnBypassesDevice, map[string]string{"device": d.name}, ref, w.e.fixReplyRoute(at, target, &d))
			}
			return &answer.ReturnPath{OK: true, Hops: hops}, nil
		case topology.NextHopVirtualAppliance, topology.NextHopVirtualApplianceEcmp:
			owners := w.e.snap.OwnersShared(r.NextHopIP)
			if len(owners) == 0 {
				if fs := w.e.snap.LoadBalancerFrontendsAt(r.NextHopIP); len(fs) > 0 {
					// Replies to an internal load balancer in front of the
					// appliances the request passed reach the same member
					// (its flows are symmetric; reference §10 item 43).
					if len(pending) > 0 && pending[0].lb != "" && topology.SameID(pending[0].lb, fs[0].LB.ID) {
						d := pending[0]
						pending = pending[1:]
						hops = append(hops, answer.Hop{Node: fs[0].LB.ID, Kind: answer.HopLoadBalancer, Name: fs[0].LB.Name, Action: answer.ActionForwarded},
							answer.Hop{Node: d.id, Kind: d.kind, Name: d.name, Action: answer.ActionForwarded})
						if d.snat {
							target = d.orig
						}
						at = d.ctx
						continue
					}
					return broken(answer.CauseReturnToUnseenDevice, map[string]string{"kind": "load balancer", "device": fs[0].LB.Name}, ref,
						w.e.fixRequestRoute(w.srcCtx, st.dst, r.NextHopIP))
				}
				return broken(answer.CauseReturnUnowned, map[string]string{"ip": r.NextHopIP.String()}, ref, w.e.fixReplyNextHop(at, r, via()))
			}
			o := w.pickOwner(at.vnet, owners)
			if len(pending) > 0 && topology.SameID(pending[0].id, o.ID) {
				d := pending[0]
				pending = pending[1:]
				hops = append(hops, answer.Hop{Node: d.id, Kind: d.kind, Name: d.name, Action: answer.ActionForwarded})
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
			return broken(answer.CauseReturnToUnseenDevice, map[string]string{"kind": kind, "device": shortName(o.ID)}, ref,
				w.e.fixRequestRoute(w.srcCtx, st.dst, r.NextHopIP))
		case topology.NextHopNone:
			return broken(answer.CauseReturnDropped, nil, ref, w.e.fixReplyRoute(at, target, via()))
		default:
			return broken(answer.CauseReturnLeaves, nil, ref, w.e.fixReplyRoute(at, target, via()))
		}
	}
	return broken(answer.CauseReturnLoop, nil, nil, unpatchable(answer.FixReviewRouting, at.sn.ID, "make the reply path follow the request path"))
}

// replyPeeringScope checks the subnet peering a reply from subnet at
// toward target crosses (route r), with the one check every hop uses
// ([walker.peeringScope]); the blocker's verdict is blocked-by-peering.
func (w *walker) replyPeeringScope(st state, at *subnetCtx, r route.Route, target addrs) (blocker, bool) {
	if r.NextHopType != topology.NextHopVNetPeering && r.NextHopType != topology.NextHopVNetGlobalPeering || target.isSym() {
		return blocker{}, false
	}
	p, ok := w.e.snap.Peering(r.Origin)
	if !ok || p.PeerCompleteVNets && !p.OnlyIPv6 {
		return blocker{}, false
	}
	ps := target.set.Prefixes()
	if len(ps) == 0 {
		return blocker{}, false
	}
	dsn, _ := w.e.snap.SubnetAt(p.RemoteVNet, ps[0].Addr())
	b, bad := w.peeringScope(p, at.sn, dsn, target, "")
	if bad {
		b.Source = describeAddrs(st.dst)
		b.Destination = describeAddrs(target)
		b.Hop = len(st.hops) - 1
	}
	return b, bad
}

// returnBlocker starts the blocker of a broken return path.
func (w *walker) returnBlocker(st state, c answer.Cause) blocker {
	b := w.blocker(answer.ReturnPathBroken, c, st.dst)
	b.Source = describeAddrs(st.origSrc)
	b.Hop = len(st.hops) - 1
	return b
}

// replyRoute returns the route a reply toward target takes, requiring one
// route for all of target.
func (w *walker) replyRoute(at *subnetCtx, target addrs) (route.ID, bool) {
	if target.isSym() {
		return 0, false
	}
	pieces := at.lookupSet(w.e, target.set)
	if len(pieces) == 0 || !pieces[0].OK {
		return 0, false
	}
	if len(pieces) > 1 {
		w.srcCut = true // the replies to parts of the target go apart (classes.go)
		first := at.route(pieces[0].Route)
		for _, p := range pieces[1:] {
			r := at.route(p.Route)
			if !p.OK || r.NextHopType != first.NextHopType || r.NextHopIP != first.NextHopIP {
				w.notes.add("replies to parts of " + target.String() + " take different routes from " + at.name + "; the first was followed")
				break
			}
		}
	}
	return pieces[0].Route, true
}

func (w *walker) sourceVNet(st state) string {
	for _, h := range st.hops {
		if h.kind == answer.HopSubnet || h.kind == answer.HopNIC {
			if sn, ok := w.e.snap.Subnet(h.node); ok {
				return sn.VNet
			}
			if n, ok := w.e.snap.NIC(h.node); ok && len(n.IPConfigs) > 0 {
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
