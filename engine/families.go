package engine

import (
	"net/netip"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/route"
	"github.com/vnetpath/vnetpath/topology"
)

// Address families are separate paths (reference §10 item 39): in a
// dual-stack subnet an IPv4 packet carries the IPv4 source and an IPv6
// packet the IPv6 source, so a check is cut into one walk per family of
// its destination before any rule sees it. Azure Firewall and VPN
// gateways carry IPv4 only; NAT gateways and default outbound access carry
// no IPv6 (egress.go).

// familyPart is the part of a flow in one address family.
type familyPart struct{ src, dst addrs }

// splitFamilies cuts a flow into its address families: each part holds
// the destination addresses of one family and the source addresses of the
// same family (the whole source when it has none of that family: such a
// part finds no route). A destination known only by a tag name is IPv4,
// as its routes are (walk.go, lookupSym).
func splitFamilies(src, dst addrs) []familyPart {
	if src.isSym() {
		return []familyPart{{src, dst}}
	}
	cut := func(fam cidr.Set) addrs {
		if s := src.set.Intersect(fam); !s.IsEmpty() {
			return concrete(s)
		}
		return src
	}
	switch {
	case dst.isSym() || dst.set.Is4():
		if src.set.Is4() {
			return []familyPart{{src, dst}}
		}
		return []familyPart{{cut(cidr.All4()), dst}}
	case dst.set.Is6():
		if src.set.Is6() {
			return []familyPart{{src, dst}}
		}
		return []familyPart{{cut(cidr.All6()), dst}}
	}
	return []familyPart{
		{cut(cidr.All4()), concrete(dst.set.Only4())},
		{cut(cidr.All6()), concrete(dst.set.Only6())},
	}
}

// v6 reports whether the state's destination is IPv6: after
// [splitFamilies] a part is one family.
func (s *state) v6() bool { return !s.dst.isSym() && s.dst.set.Is6() }

// ipv6RoutesAssumption is the assumption of every answer that routed IPv6.
const ipv6RoutesAssumption = "IPv6 parts were routed as IPv4 is (a ::/0 system route to the Internet in dual-stack VNets, the same selection of user and system routes); the documentation confirms little of it (reference §1.9)"

// ipv4OnlyDevice is the blocker of an IPv6 part routed (by r) to a
// device that carries IPv4 only (reference §10 item 39). Its fix routes
// IPv6 elsewhere, never an IPv6 rule on the device: a user route for IPv6
// is pointed at the Internet; otherwise the part's IPv6 prefixes get
// their own route to the Internet on the current subnet.
func (w *walker) ipv4OnlyDevice(st state, r route.Route, ref *answer.RouteRef, kind, device string) blocker {
	b := w.blocker(answer.Blackhole, answer.CauseIPv4OnlyDevice, st.dst)
	b.Route, b.Resource = ref, r.Origin
	if r.Source == route.SourceUser {
		b.Resource = r.Origin + "/routes/" + r.Name
	}
	b.Data = map[string]string{"kind": kind, "device": device}
	at, rr, dst := st.at, r, st.dst
	b.fix = func() *answer.Fix { return w.e.fixRouteIPv6Elsewhere(at, rr, dst) }
	return b
}

// fixRouteIPv6Elsewhere sends IPv6 that route r takes to an IPv4-only
// device to the Internet instead: r itself when it is a user route for
// IPv6 prefixes only, else new routes for dst's prefixes on subnet at.
func (e *Engine) fixRouteIPv6Elsewhere(at *subnetCtx, r route.Route, dst addrs) *answer.Fix {
	if r.Source == route.SourceUser && r.Tag == "" && len(r.Prefixes) > 0 && allIPv6(r.Prefixes) {
		id := r.Origin + "/routes/" + r.Name
		return &answer.Fix{Resource: id, Kind: answer.FixSetRouteNextHop, Change: "nextHopType=Internet",
			Patch: []answer.Patch{patchSet(id, "properties.nextHopType", "Internet"), patchSet(id, "properties.nextHopIpAddress", nil)},
			Az: "az network route-table route update " + rg(r.Origin) + " --route-table-name " + armName(r.Origin) + " -n " + r.Name +
				" --next-hop-type Internet --remove nextHopIpAddress" + sub(r.Origin)}
	}
	rs, ok := routesTo("ipv6-internet", dst, "", topology.NextHopInternet, netip.Addr{})
	if !ok || !dst.isSym() && privateRanges.Overlaps(dst.set) {
		// A private destination does not go to the Internet: where it
		// should go instead the snapshot does not say.
		return unpatchable(answer.FixReviewRouting, at.sn.ID, "route IPv6 from "+at.name+" to the Internet or an IPv6-capable appliance")
	}
	return e.fixAddRoutes(at.sn, at.rt, rs)
}

func allIPv6(ps []netip.Prefix) bool {
	for _, p := range ps {
		if !p.Addr().Is6() {
			return false
		}
	}
	return true
}
