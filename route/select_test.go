package route

import (
	"github.com/vnetpath/vnetpath/topology"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var (
	mpa = netip.MustParseAddr
	mpp = netip.MustParsePrefix
)

// rt returns a route named name (names only identify routes in tests).
func rt(name string, src Source, nh topology.NextHopType, prefixes ...string) Route {
	r := Route{Name: name, Source: src, NextHopType: nh}
	for _, p := range prefixes {
		r.Prefixes = append(r.Prefixes, mpp(p))
	}
	return r
}

func tagged(r Route, tag string) Route { r.Tag = tag; return r }

func summary(r Route, bits int) Route { r.SummaryBits = bits; return r }

// TestSelect checks each selection rule of reference §1.5 (and §1.4, §1.8)
// on a hand-written table: which route each address uses, and which routes
// are Invalid (all others must be Active).
func TestSelect(t *testing.T) {
	tests := []struct {
		name    string
		routes  []Route
		lookups map[string]string // address → route name, "" for no route
		invalid []string
	}{
		{
			name: "longest_prefix_wins",
			routes: []Route{
				rt("vnet", SourceDefault, topology.NextHopVnetLocal, "10.0.0.0/16"),
				rt("internet", SourceDefault, topology.NextHopInternet, "0.0.0.0/0"),
				rt("to-fw", SourceUser, topology.NextHopVirtualAppliance, "10.0.1.0/24"),
			},
			lookups: map[string]string{"10.0.1.9": "to-fw", "10.0.2.9": "vnet", "8.8.8.8": "internet"},
		},
		{
			name: "user_beats_gateway_beats_default_at_equal_prefix",
			routes: []Route{
				rt("internet", SourceDefault, topology.NextHopInternet, "0.0.0.0/0"),
				rt("bgp-default", SourceGateway, topology.NextHopVirtualNetworkGateway, "0.0.0.0/0"),
				rt("udr-default", SourceUser, topology.NextHopVirtualAppliance, "0.0.0.0/0"),
				rt("bgp-onprem", SourceGateway, topology.NextHopVirtualNetworkGateway, "192.168.0.0/16"),
				rt("none-192", SourceDefault, topology.NextHopNone, "192.168.0.0/16"),
			},
			lookups: map[string]string{"8.8.8.8": "udr-default", "192.168.1.1": "bgp-onprem"},
			invalid: []string{"internet", "bgp-default", "none-192"},
		},
		{
			name: "gateway_beats_default_at_equal_prefix_in_any_add_order",
			routes: []Route{
				rt("bgp-default", SourceGateway, topology.NextHopVirtualNetworkGateway, "0.0.0.0/0"),
				rt("internet", SourceDefault, topology.NextHopInternet, "0.0.0.0/0"),
			},
			lookups: map[string]string{"8.8.8.8": "bgp-default"},
			invalid: []string{"internet"},
		},
		{
			name: "bgp_never_beats_vnet_system_route_even_when_more_specific",
			routes: []Route{
				rt("vnet", SourceDefault, topology.NextHopVnetLocal, "10.0.0.0/16"),
				rt("bgp-inside", SourceGateway, topology.NextHopVirtualNetworkGateway, "10.0.1.0/24"),
				rt("bgp-equal", SourceGateway, topology.NextHopVirtualNetworkGateway, "10.0.0.0/16"),
			},
			lookups: map[string]string{"10.0.1.1": "vnet", "10.0.0.1": "vnet", "10.1.0.1": ""},
			invalid: []string{"bgp-inside", "bgp-equal"},
		},
		{
			name: "bgp_never_beats_peering_or_service_endpoint_routes",
			routes: []Route{
				rt("peer", SourceDefault, topology.NextHopVNetPeering, "10.1.0.0/16"),
				rt("global-peer", SourceDefault, topology.NextHopVNetGlobalPeering, "10.2.0.0/16"),
				rt("storage-se", SourceDefault, topology.NextHopVirtualNetworkServiceEndpoint, "20.38.0.0/16"),
				rt("bgp-1", SourceGateway, topology.NextHopVirtualNetworkGateway, "10.1.5.0/24"),
				rt("bgp-2", SourceGateway, topology.NextHopVirtualNetworkGateway, "10.2.0.0/17"),
				rt("bgp-3", SourceGateway, topology.NextHopVirtualNetworkGateway, "20.38.7.0/24"),
			},
			lookups: map[string]string{"10.1.5.1": "peer", "10.2.0.1": "global-peer", "20.38.7.7": "storage-se"},
			invalid: []string{"bgp-1", "bgp-2", "bgp-3"},
		},
		{
			name: "bgp_beats_other_system_routes_when_more_specific",
			routes: []Route{
				rt("none-10", SourceDefault, topology.NextHopNone, "10.0.0.0/8"),
				rt("pe", SourceDefault, topology.NextHopInterfaceEndpoint, "10.3.0.4/32"),
				rt("internet", SourceDefault, topology.NextHopInternet, "0.0.0.0/0"),
				rt("bgp-onprem", SourceGateway, topology.NextHopVirtualNetworkGateway, "10.3.0.0/16"),
				rt("bgp-wide", SourceGateway, topology.NextHopVirtualNetworkGateway, "10.0.0.0/8"),
			},
			lookups: map[string]string{"10.3.1.1": "bgp-onprem", "10.3.0.4": "pe", "10.9.9.9": "bgp-wide"},
			invalid: []string{"none-10"},
		},
		{
			name: "bgp_wider_than_vnet_range_keeps_the_rest",
			routes: []Route{
				rt("vnet", SourceDefault, topology.NextHopVnetLocal, "10.0.0.0/16"),
				rt("bgp-wide", SourceGateway, topology.NextHopVirtualNetworkGateway, "10.0.0.0/8"),
			},
			lookups: map[string]string{"10.0.3.3": "vnet", "10.5.0.1": "bgp-wide"},
		},
		{
			name: "bgp_stays_invalid_under_a_vnet_route_a_udr_overrides",
			routes: []Route{
				rt("vnet", SourceDefault, topology.NextHopVnetLocal, "10.0.0.0/16"),
				rt("udr-vnet", SourceUser, topology.NextHopVirtualAppliance, "10.0.0.0/16"),
				rt("bgp-inside", SourceGateway, topology.NextHopVirtualNetworkGateway, "10.0.1.0/24"),
			},
			lookups: map[string]string{"10.0.1.1": "udr-vnet"},
			invalid: []string{"vnet", "bgp-inside"},
		},
		{
			name: "udr_overrides_vnet_and_peering_routes_at_equal_prefix",
			routes: []Route{
				rt("vnet", SourceDefault, topology.NextHopVnetLocal, "10.0.0.0/16"),
				rt("peer", SourceDefault, topology.NextHopVNetPeering, "10.1.0.0/16"),
				rt("udr-vnet", SourceUser, topology.NextHopVirtualAppliance, "10.0.0.0/16"),
				rt("udr-peer", SourceUser, topology.NextHopVirtualAppliance, "10.1.0.0/16"),
			},
			lookups: map[string]string{"10.0.0.1": "udr-vnet", "10.1.0.1": "udr-peer"},
			invalid: []string{"vnet", "peer"},
		},
		{
			name: "udr_more_specific_than_vnet_route_wins",
			routes: []Route{
				rt("vnet", SourceDefault, topology.NextHopVnetLocal, "10.0.0.0/16"),
				rt("udr-subnet", SourceUser, topology.NextHopVirtualAppliance, "10.0.2.0/24"),
			},
			lookups: map[string]string{"10.0.2.1": "udr-subnet", "10.0.3.1": "vnet"},
		},
		{
			name: "service_tag_tie_order",
			routes: []Route{
				tagged(rt("cloud", SourceUser, topology.NextHopVirtualAppliance, "20.60.0.0/16", "20.61.0.0/16", "20.62.0.0/16", "20.63.0.0/16", "20.64.0.0/16"), "AzureCloud"),
				tagged(rt("cloud-region", SourceUser, topology.NextHopVirtualAppliance, "20.60.0.0/16", "20.61.0.0/16", "20.62.0.0/16", "20.63.0.0/16"), "AzureCloud.eastus"),
				tagged(rt("storage", SourceUser, topology.NextHopInternet, "20.60.0.0/16", "20.61.0.0/16", "20.62.0.0/16"), "Storage"),
				tagged(rt("storage-region", SourceUser, topology.NextHopInternet, "20.60.0.0/16", "20.61.0.0/16"), "Storage.EastUS"),
				rt("cidr", SourceUser, topology.NextHopVirtualAppliance, "20.60.0.0/16"),
			},
			lookups: map[string]string{
				"20.60.1.1": "cidr", "20.61.1.1": "storage-region", "20.62.1.1": "storage",
				"20.63.1.1": "cloud-region", "20.64.1.1": "cloud",
			},
		},
		{
			name: "service_tag_tie_order_ignores_case",
			routes: []Route{
				tagged(rt("cloud", SourceUser, topology.NextHopVirtualAppliance, "20.60.0.0/16"), "azurecloud"),
				tagged(rt("cloud-region", SourceUser, topology.NextHopVirtualAppliance, "20.60.0.0/16"), "AZURECLOUD.westeurope"),
			},
			lookups: map[string]string{"20.60.1.1": "cloud-region"},
			invalid: []string{"cloud"},
		},
		{
			name: "tag_route_losing_every_prefix_is_invalid",
			routes: []Route{
				rt("cidr-1", SourceUser, topology.NextHopVirtualAppliance, "20.60.0.0/16"),
				rt("cidr-2", SourceUser, topology.NextHopVirtualAppliance, "20.61.0.0/16"),
				tagged(rt("storage", SourceUser, topology.NextHopInternet, "20.60.0.0/16", "20.61.0.0/16"), "Storage"),
			},
			lookups: map[string]string{"20.61.0.1": "cidr-2"},
			invalid: []string{"storage"},
		},
		{
			name: "tag_route_without_prefixes_is_active_and_matches_nothing",
			routes: []Route{
				tagged(rt("unexpanded", SourceUser, topology.NextHopVirtualAppliance), "Storage"),
			},
			lookups: map[string]string{"20.60.0.1": ""},
		},
		{
			name: "pe_route_beats_broader_udr",
			routes: []Route{
				rt("udr-default", SourceUser, topology.NextHopVirtualAppliance, "0.0.0.0/0"),
				rt("udr-spoke", SourceUser, topology.NextHopVirtualAppliance, "10.1.0.0/16"),
				rt("pe", SourceDefault, topology.NextHopInterfaceEndpoint, "10.1.0.4/32"),
			},
			lookups: map[string]string{"10.1.0.4": "pe", "10.1.0.5": "udr-spoke"},
		},
		{
			name: "pe_route_summarised_by_udr_when_policies_enabled",
			routes: []Route{
				summary(rt("pe", SourceDefault, topology.NextHopInterfaceEndpoint, "10.1.0.4/32"), 16),
				rt("udr-spoke", SourceUser, topology.NextHopVirtualAppliance, "10.1.0.0/16"),
				summary(rt("pe-2", SourceDefault, topology.NextHopInterfaceEndpoint, "10.2.0.4/32"), 16),
				rt("udr-subnet", SourceUser, topology.NextHopVirtualAppliance, "10.2.0.0/24"),
			},
			lookups: map[string]string{"10.1.0.4": "udr-spoke", "10.2.0.4": "udr-subnet"},
			invalid: []string{"pe", "pe-2"},
		},
		{
			name: "pe_route_not_summarised_without_policies",
			routes: []Route{
				rt("pe", SourceDefault, topology.NextHopInterfaceEndpoint, "10.1.0.4/32"),
				rt("udr-spoke", SourceUser, topology.NextHopVirtualAppliance, "10.1.0.0/16"),
			},
			lookups: map[string]string{"10.1.0.4": "pe"},
		},
		{
			name: "zero_udr_never_summarises_pe_route",
			routes: []Route{
				rt("udr-default", SourceUser, topology.NextHopVirtualAppliance, "0.0.0.0/0"),
				summary(rt("pe", SourceDefault, topology.NextHopInterfaceEndpoint, "10.1.0.4/32"), 16),
			},
			lookups: map[string]string{"10.1.0.4": "pe"},
		},
		{
			name: "udr_shorter_than_pe_vnet_range_does_not_summarise",
			routes: []Route{
				rt("udr-rfc1918", SourceUser, topology.NextHopVirtualAppliance, "10.0.0.0/8"),
				summary(rt("pe", SourceDefault, topology.NextHopInterfaceEndpoint, "10.1.0.4/32"), 16),
			},
			lookups: map[string]string{"10.1.0.4": "pe", "10.1.0.5": "udr-rfc1918"},
		},
		{
			name: "bgp_route_does_not_summarise_pe_route",
			routes: []Route{
				rt("bgp", SourceGateway, topology.NextHopVirtualNetworkGateway, "10.1.0.0/16"),
				summary(rt("pe", SourceDefault, topology.NextHopInterfaceEndpoint, "10.1.0.4/32"), 16),
			},
			lookups: map[string]string{"10.1.0.4": "pe"},
		},
		{
			name: "exact_host_udr_beats_pe_route",
			routes: []Route{
				rt("pe", SourceDefault, topology.NextHopInterfaceEndpoint, "10.1.0.4/32"),
				rt("udr-pe", SourceUser, topology.NextHopVirtualAppliance, "10.1.0.4/32"),
			},
			lookups: map[string]string{"10.1.0.4": "udr-pe"},
			invalid: []string{"pe"},
		},
		{
			name: "equal_rank_first_added_wins",
			routes: []Route{
				rt("peer-a", SourceDefault, topology.NextHopVNetPeering, "10.1.0.0/16"),
				rt("peer-b", SourceDefault, topology.NextHopVNetPeering, "10.1.0.0/16"),
			},
			lookups: map[string]string{"10.1.0.1": "peer-a"},
			invalid: []string{"peer-b"},
		},
		{
			name: "ipv6_routes_and_mapped_addresses",
			routes: []Route{
				rt("vnet6", SourceDefault, topology.NextHopVnetLocal, "fd00::/48"),
				rt("internet6", SourceDefault, topology.NextHopInternet, "::/0"),
				rt("vnet4", SourceDefault, topology.NextHopVnetLocal, "10.0.0.0/16"),
				rt("bgp6", SourceGateway, topology.NextHopVirtualNetworkGateway, "fd00:0:0:1::/64"),
			},
			lookups: map[string]string{
				"fd00::1": "vnet6", "fd00:0:0:1::1": "vnet6", "2001:db8::1": "internet6",
				"::ffff:10.0.0.1": "vnet4", "::ffff:8.8.8.8": "",
			},
			invalid: []string{"bgp6"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for order, tbl := range buildBothOrders(t, tc.routes) {
				name := func(id ID, ok bool) string {
					if !ok {
						return ""
					}
					return tbl.Route(id).Name
				}
				for a, want := range tc.lookups {
					if got := name(tbl.Lookup(mpa(a))); got != want {
						t.Errorf("%s: Lookup(%s) = %q, want %q", order, a, got, want)
					}
					if got := name(tbl.LookupPrefix(netip.PrefixFrom(mpa(a).Unmap(), mpa(a).Unmap().BitLen()))); got != want {
						t.Errorf("%s: LookupPrefix(%s) = %q, want %q", order, a, got, want)
					}
				}
				var invalid []string
				for i, e := range tbl.Effective() {
					if e.Route.Name != tc.routes[i].Name {
						t.Errorf("%s: Effective()[%d] is %q, want %q (Add order)", order, i, e.Route.Name, tc.routes[i].Name)
					}
					if e.State == Invalid {
						invalid = append(invalid, e.Route.Name)
					}
				}
				slices.Sort(invalid)
				want := slices.Sorted(slices.Values(tc.invalid))
				if !slices.Equal(invalid, want) {
					t.Errorf("%s: Invalid routes: %q, want %q", order, invalid, want)
				}
			}
			// The reference implementation must agree with the hand-written
			// expectations too.
			ref := &slowTable{routes: tc.routes}
			for a, want := range tc.lookups {
				got := ""
				if id, ok := ref.lookup(mpa(a)); ok {
					got = tc.routes[id].Name
				}
				if got != want {
					t.Errorf("reference lookup(%s) = %q, want %q", a, got, want)
				}
			}
		})
	}
}

// TestServiceTagTieOrderEachPair checks every pair of the tie order of
// reference §1.4 in both Add orders.
func TestServiceTagTieOrderEachPair(t *testing.T) {
	order := []string{"", "Storage.EastUS", "Storage", "AzureCloud.eastus", "AzureCloud"}
	for i, better := range order {
		for _, worse := range order[i+1:] {
			a := tagged(rt("better", SourceUser, topology.NextHopVirtualAppliance, "20.60.0.0/16"), better)
			b := tagged(rt("worse", SourceUser, topology.NextHopInternet, "20.60.0.0/16"), worse)
			for _, routes := range [][]Route{{a, b}, {b, a}} {
				for order, tbl := range buildBothOrders(t, routes) {
					id, ok := tbl.Lookup(mpa("20.60.0.1"))
					if !ok || tbl.Route(id).Name != "better" {
						t.Errorf("%s: tag %q against %q: %v wins", order, better, worse, tbl.Route(id))
					}
				}
			}
		}
	}
}

// TestLookupPrefix checks that LookupPrefix answers for the prefix as a
// whole: a route inside the prefix does not count.
func TestLookupPrefix(t *testing.T) {
	tbl := build(t, []Route{
		rt("vnet", SourceDefault, topology.NextHopVnetLocal, "10.0.0.0/16"),
		rt("to-fw", SourceUser, topology.NextHopVirtualAppliance, "10.0.1.0/24"),
	})
	tests := []struct {
		in   netip.Prefix
		want string
	}{
		{mpp("10.0.0.0/16"), "vnet"},
		{mpp("10.0.1.0/24"), "to-fw"},
		{mpp("10.0.1.128/25"), "to-fw"},
		{mpp("10.0.0.0/23"), "vnet"}, // holds 10.0.1.0/24 but is not inside it
		{mpp("10.0.0.0/8"), ""},
		{mpp("::ffff:10.0.1.0/120"), "to-fw"},
		{netip.PrefixFrom(mpa("10.0.1.7"), 24), "to-fw"}, // masked first
		{netip.Prefix{}, ""},
	}
	for _, tc := range tests {
		got := ""
		if id, ok := tbl.LookupPrefix(tc.in); ok {
			got = tbl.Route(id).Name
		}
		if got != tc.want {
			t.Errorf("LookupPrefix(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestBuildErrors checks that bad input is reported, quoted and tied to
// its route, and that the table stays usable with IDs in Add order.
func TestBuildErrors(t *testing.T) {
	var b Builder
	b.Add(rt("ok", SourceDefault, topology.NextHopVnetLocal, "10.0.0.0/16"))
	b.Add(Route{Name: "zero", Prefixes: []netip.Prefix{{}}, Source: SourceUser})
	b.Add(rt("host-bits", SourceUser, topology.NextHopVirtualAppliance, "10.1.0.1/24"))
	b.Add(Route{Origin: "/subscriptions/s/rt", Prefixes: []netip.Prefix{mpp("::ffff:0.0.0.0/8")}})
	b.Add(Route{Name: "bad-type", NextHopType: "Nowhere", Source: 9, SummaryBits: 300, Prefixes: []netip.Prefix{mpp("10.9.0.0/16")}})
	tbl, err := b.Build()
	if err == nil {
		t.Fatal("Build reported no error")
	}
	for _, want := range []string{
		`route.Builder.Add: route 1 "zero": invalid prefix`,
		`route.Builder.Add: route 2 "host-bits": "10.1.0.1/24": host bits are set (used as the network 10.1.0.0/24)`,
		`route.Builder.Add: route 3 from "/subscriptions/s/rt": "::ffff:0.0.0.0/8": IPv4-mapped prefix shorter than /96`,
		`route.Builder.Add: route 4 "bad-type": "Nowhere": unknown next hop type`,
		`route.Builder.Add: route 4 "bad-type": "Source(9)": unknown route source`,
		`route.Builder.Add: route 4 "bad-type": "300": SummaryBits outside 0..128 (treated as 0)`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q\ndoes not contain %q", err, want)
		}
	}
	if tbl.Len() != 5 {
		t.Fatalf("Len = %d, want 5", tbl.Len())
	}
	if r := tbl.Route(1); len(r.Prefixes) != 0 || r.Name != "zero" {
		t.Errorf("Route(1) = %v, want the route without its invalid prefix", r)
	}
	if id, ok := tbl.Lookup(mpa("10.1.0.200")); !ok || id != 2 {
		t.Errorf("Lookup(10.1.0.200) = %d, %v; want 2 (the masked prefix)", id, ok)
	}
	if r := tbl.Route(2); !slices.Equal(r.Prefixes, []netip.Prefix{mpp("10.1.0.0/24")}) {
		t.Errorf("Route(2).Prefixes = %v, want the network", r.Prefixes)
	}
	if r := tbl.Route(4); r.SummaryBits != 0 || r.NextHopType != "Nowhere" {
		t.Errorf("Route(4) = %+v", r)
	}
}

// TestRouteRoundTrip checks that a table returns every route as added:
// prefixes of every length and family, metadata, duplicates dropped.
func TestRouteRoundTrip(t *testing.T) {
	var in []Route
	for bits := 0; bits <= 32; bits++ {
		in = append(in, Route{Prefixes: []netip.Prefix{netip.PrefixFrom(mpa("203.0.113.255"), bits).Masked()},
			Name: "v4", NextHopType: topology.NextHopVirtualAppliance, NextHopIP: mpa("10.0.0.4"), Source: SourceUser, Origin: "rt"})
	}
	for bits := 0; bits <= 128; bits++ {
		in = append(in, Route{Prefixes: []netip.Prefix{netip.PrefixFrom(mpa("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"), bits).Masked()},
			Source: SourceGateway, NextHopType: topology.NextHopVirtualNetworkGateway, NextHopIP: mpa("fd00::1")})
	}
	in = append(in,
		Route{Tag: "Storage", Source: SourceUser, NextHopType: topology.NextHopNone, Prefixes: []netip.Prefix{mpp("20.60.0.0/16"), mpp("2603:1000::/40"), mpp("20.61.0.0/16")}},
		Route{Tag: "AzureCloud", Source: SourceUser, NextHopType: topology.NextHopNone},
		Route{Prefixes: []netip.Prefix{mpp("10.0.0.4/32")}, NextHopType: topology.NextHopInterfaceEndpoint, SummaryBits: 16, Origin: "pe"},
	)
	tbl := build(t, in)
	if tbl.Len() != len(in) {
		t.Fatalf("Len = %d, want %d", tbl.Len(), len(in))
	}
	for i, want := range in {
		got := tbl.Route(ID(i))
		if got.String() != want.String() || !slices.Equal(got.Prefixes, want.Prefixes) || got.SummaryBits != want.SummaryBits || got.Origin != want.Origin {
			t.Errorf("Route(%d) = %+v, want %+v", i, got, want)
		}
		nh, ip := tbl.NextHop(ID(i))
		if nh != want.NextHopType || ip != want.NextHopIP {
			t.Errorf("NextHop(%d) = %v %v, want %v %v", i, nh, ip, want.NextHopType, want.NextHopIP)
		}
	}
	n := 0
	for id, r := range tbl.Routes() {
		if int(id) != n || !slices.Equal(r.Prefixes, in[n].Prefixes) {
			t.Errorf("Routes() #%d = %d %v", n, id, r)
		}
		n++
	}
	if n != len(in) {
		t.Errorf("Routes() yielded %d routes, want %d", n, len(in))
	}
	dup := build(t, []Route{{Tag: "Storage", Source: SourceUser, Prefixes: []netip.Prefix{
		mpp("20.60.0.0/16"), mpp("20.60.0.0/16"), mpp("::ffff:20.61.0.0/112"), mpp("20.61.0.0/16")}}})
	if got, want := dup.Route(0).Prefixes, []netip.Prefix{mpp("20.60.0.0/16"), mpp("20.61.0.0/16")}; !slices.Equal(got, want) {
		t.Errorf("duplicates: Prefixes = %v, want %v", got, want)
	}
}

// TestManyMetadataValues checks the 1-, 2- and 4-byte metadata indexes.
func TestManyMetadataValues(t *testing.T) {
	for _, n := range []int{200, 300, 70000} {
		var b Builder
		for i := range n {
			b.Add(Route{Name: strings.Repeat("x", i%7) + string(rune('a'+i%26)) + itoa(i),
				Prefixes: []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), 32)}})
		}
		tbl, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range []int{0, 1, n / 2, n - 1} {
			if got := tbl.Route(ID(i)).Name; !strings.HasSuffix(got, itoa(i)) {
				t.Errorf("n=%d: Route(%d).Name = %q", n, i, got)
			}
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestBuildTwice checks that a builder keeps its routes after Build.
func TestBuildTwice(t *testing.T) {
	var b Builder
	b.Add(rt("a", SourceDefault, topology.NextHopVnetLocal, "10.0.0.0/16"))
	t1, _ := b.Build()
	b.Add(rt("b", SourceUser, topology.NextHopVirtualAppliance, "10.0.0.0/16"))
	t2, _ := b.Build()
	if t1.Len() != 1 || t2.Len() != 2 || b.Len() != 2 {
		t.Fatalf("Len: %d, %d, builder %d", t1.Len(), t2.Len(), b.Len())
	}
	if id, _ := t1.Lookup(mpa("10.0.0.1")); id != 0 {
		t.Errorf("first table changed: Lookup = %d", id)
	}
	if id, _ := t2.Lookup(mpa("10.0.0.1")); id != 1 {
		t.Errorf("second table: Lookup = %d, want 1", id)
	}
	if t1.State(0) != Active || t2.State(0) != Invalid {
		t.Errorf("states: %v, %v", t1.State(0), t2.State(0))
	}
	// Enough new metadata to widen the builder's indexes, and new
	// prefixes: the tables built before must not change.
	for i := range 70000 {
		b.Add(Route{Name: itoa(i), Prefixes: []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{11, byte(i >> 16), byte(i >> 8), byte(i)}), 32)}})
	}
	t3, _ := b.Build()
	for _, tbl := range []*Table{t1, t2} {
		for id := range tbl.Len() {
			if r := tbl.Route(ID(id)); r.Name != []string{"a", "b"}[id] || r.Prefixes[0] != mpp("10.0.0.0/16") {
				t.Errorf("an earlier table changed: Route(%d) = %v", id, r)
			}
		}
	}
	if t3.Len() != 70002 || t3.Route(70001).Name != "69999" {
		t.Errorf("third table: Len %d, last %v", t3.Len(), t3.Route(70001))
	}
}

// TestZeroTable checks that the zero Table is an empty table.
func TestZeroTable(t *testing.T) {
	var tbl Table
	if _, ok := tbl.Lookup(mpa("10.0.0.1")); ok {
		t.Error("Lookup found a route")
	}
	if _, ok := tbl.LookupPrefix(mpp("0.0.0.0/0")); ok {
		t.Error("LookupPrefix found a route")
	}
	if tbl.Len() != 0 || len(tbl.Effective()) != 0 {
		t.Error("not empty")
	}
	pieces := tbl.LookupSet(setOf("10.0.0.0/8"))
	if len(pieces) != 1 || pieces[0].OK || pieces[0].Set.String() != "10.0.0.0/8" {
		t.Errorf("LookupSet = %+v", pieces)
	}
}

// TestMetadataHashCollisions builds a table with every metadata hash
// colliding, so interning falls back to comparing whole values.
func TestMetadataHashCollisions(t *testing.T) {
	routes := subnetRoutes()
	if n := len(build(t, routes).metas); n != 111 {
		t.Errorf("%d distinct metadata values without collisions, want 111", n)
	}
	saved := metaHashMask
	metaHashMask = 0
	defer func() { metaHashMask = saved }()
	tbl := build(t, routes)
	for i, want := range routes {
		if got := tbl.Route(ID(i)); got.String() != want.String() || got.Origin != want.Origin || got.SummaryBits != want.SummaryBits {
			t.Fatalf("Route(%d) = %v, want %v", i, got, want)
		}
	}
	// VnetLocal, Internet, three peerings, five UDRs, one gateway, 100
	// private endpoints.
	if len(tbl.metas) != 111 {
		t.Errorf("%d distinct metadata values, want 111", len(tbl.metas))
	}
}
