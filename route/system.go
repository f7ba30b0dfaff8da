package route

import (
	"github.com/vnetpath/vnetpath/topology"
	"net/netip"
	"slices"

	"github.com/vnetpath/vnetpath/cidr"
)

// reservedRanges are the address blocks a subnet drops by default
// (reference §1.1), in Azure's listing order (by address).
var reservedRanges = [...]netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),     // RFC 1918
	netip.MustParsePrefix("100.64.0.0/10"),  // RFC 6598 shared address space
	netip.MustParsePrefix("172.16.0.0/12"),  // RFC 1918
	netip.MustParsePrefix("192.168.0.0/16"), // RFC 1918
}

var (
	default4 = netip.MustParsePrefix("0.0.0.0/0")
	default6 = netip.MustParsePrefix("::/0")
)

// SystemRoutes returns the default system routes of a subnet whose VNet has
// the address ranges space (reference §1.1), in Azure's listing order, all
// with source Default and no name:
//
//  1. one VnetLocal route per VNet range, in the order given (invalid
//     ranges and repeats are skipped; ranges are masked);
//  2. 0.0.0.0/0 to Internet;
//  3. None (drop) routes for 10.0.0.0/8, 100.64.0.0/10, 172.16.0.0/12 and
//     192.168.0.0/16, except that
//     - a VNet range equal to one of them replaces it: the block is
//     VnetLocal, listed once, in step 1;
//     - a VNet range that holds one of them removes it;
//     - a VNet range inside one of them leaves it: both are listed, and
//     longest-prefix match sends the rest of the block to None;
//     - hasDefaultUDR (the subnet's route table has a 0.0.0.0/0 route)
//     removes all four. The doc states this for 10/8, 192.168/16 and
//     100.64/10; removing 172.16/12 as well is a reading by analogy,
//     which answers resting on it should say;
//  4. ::/0 to Internet when space has an IPv6 range. Azure documents no
//     IPv6 system routes; this one is unconfirmed (reference §1.9).
//
// The routes carry no Origin; set it to the VNet's ID if wanted. A 0.0.0.0/0
// UDR itself is not included: add it to the [Builder] as a User route, and
// it makes the 0.0.0.0/0 Internet route Invalid.
func SystemRoutes(space []netip.Prefix, hasDefaultUDR bool) []Route {
	ranges := make([]netip.Prefix, 0, len(space))
	has6 := false
	for _, p := range space {
		p = cidr.Canonical(p)
		if !p.IsValid() || slices.Contains(ranges, p) {
			continue
		}
		ranges = append(ranges, p)
		has6 = has6 || p.Addr().Is6()
	}
	out := make([]Route, 0, len(ranges)+6)
	for _, p := range ranges {
		out = append(out, Route{Prefixes: []netip.Prefix{p}, NextHopType: topology.NextHopVnetLocal})
	}
	out = append(out, Route{Prefixes: []netip.Prefix{default4}, NextHopType: topology.NextHopInternet})
	if !hasDefaultUDR {
	reserved:
		for _, r := range reservedRanges {
			for _, p := range ranges {
				if p.Addr().Is4() && p.Bits() <= r.Bits() && p.Contains(r.Addr()) {
					continue reserved // equal (now VnetLocal) or a superset
				}
			}
			out = append(out, Route{Prefixes: []netip.Prefix{r}, NextHopType: topology.NextHopNone})
		}
	}
	if has6 {
		out = append(out, Route{Prefixes: []netip.Prefix{default6}, NextHopType: topology.NextHopInternet})
	}
	return out
}
