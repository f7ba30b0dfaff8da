package route

import (
	"github.com/vnetpath/vnetpath/topology"
	"net/netip"
	"testing"

	"github.com/vnetpath/vnetpath/cidr"
)

func setOf(prefixes ...string) cidr.Set {
	var b cidr.Builder
	for _, p := range prefixes {
		b.AddPrefix(mpp(p))
	}
	return b.Set()
}

func TestLookupSet(t *testing.T) {
	tbl := build(t, []Route{
		rt("vnet", SourceDefault, topology.NextHopVnetLocal, "10.0.0.0/16"),
		rt("internet", SourceDefault, topology.NextHopInternet, "0.0.0.0/0"),
		rt("none-10", SourceDefault, topology.NextHopNone, "10.0.0.0/8"),
		rt("to-fw", SourceUser, topology.NextHopVirtualAppliance, "10.0.1.0/24"),
		rt("pe", SourceDefault, topology.NextHopInterfaceEndpoint, "10.0.1.4/32"),
		rt("vnet6", SourceDefault, topology.NextHopVnetLocal, "fd00::/48"),
	})
	type piece struct{ set, route string } // route "" means no route
	tests := []struct {
		name string
		in   cidr.Set
		want []piece
	}{
		{"empty_set", cidr.Set{}, nil},
		{"one_address", setOf("10.0.1.4/32"), []piece{{"10.0.1.4", "pe"}}},
		{"inside_one_route", setOf("10.0.2.0/24"), []piece{{"10.0.2.0/24", "vnet"}}},
		{
			"prefix_cut_by_routes_inside",
			setOf("10.0.0.0/23"),
			[]piece{{"10.0.0.0/24", "vnet"}, {"10.0.1.0/30,10.0.1.5,10.0.1.6/31,10.0.1.8/29,10.0.1.16/28,10.0.1.32/27,10.0.1.64/26,10.0.1.128/25", "to-fw"}, {"10.0.1.4", "pe"}},
		},
		{
			"disjoint_parts_of_one_route_form_one_piece",
			setOf("10.0.0.0/24", "10.0.5.0/24", "10.0.1.4/32"),
			[]piece{{"10.0.0.0/24,10.0.5.0/24", "vnet"}, {"10.0.1.4", "pe"}},
		},
		{
			"a_route_wider_than_the_set_prefix_and_a_drop_route",
			setOf("10.0.0.0/15"),
			[]piece{{"10.0.0.0/24,10.0.2.0/23,10.0.4.0/22,10.0.8.0/21,10.0.16.0/20,10.0.32.0/19,10.0.64.0/18,10.0.128.0/17", "vnet"},
				{"10.0.1.0/30,10.0.1.5,10.0.1.6/31,10.0.1.8/29,10.0.1.16/28,10.0.1.32/27,10.0.1.64/26,10.0.1.128/25", "to-fw"},
				{"10.0.1.4", "pe"}, {"10.1.0.0/16", "none-10"}},
		},
		{
			"both_families_and_no_route",
			setOf("8.8.8.0/24", "fd00::/47"),
			[]piece{{"8.8.8.0/24", "internet"}, {"fd00::/48", "vnet6"}, {"fd00:0:1::/48", ""}},
		},
		{
			"everything",
			cidr.All(),
			[]piece{
				{"0.0.0.0/5,8.0.0.0/7,11.0.0.0/8,12.0.0.0/6,16.0.0.0/4,32.0.0.0/3,64.0.0.0/2,128.0.0.0/1", "internet"},
				{"10.0.0.0/24,10.0.2.0/23,10.0.4.0/22,10.0.8.0/21,10.0.16.0/20,10.0.32.0/19,10.0.64.0/18,10.0.128.0/17", "vnet"},
				{"10.0.1.0/30,10.0.1.5,10.0.1.6/31,10.0.1.8/29,10.0.1.16/28,10.0.1.32/27,10.0.1.64/26,10.0.1.128/25", "to-fw"},
				{"10.0.1.4", "pe"},
				{"10.1.0.0/16,10.2.0.0/15,10.4.0.0/14,10.8.0.0/13,10.16.0.0/12,10.32.0.0/11,10.64.0.0/10,10.128.0.0/9", "none-10"},
				{"::/1,8000::/2,c000::/3,e000::/4,f000::/5,f800::/6,fc00::/8,fd00:0:1::/48,fd00:0:2::/47,fd00:0:4::/46,fd00:0:8::/45,fd00:0:10::/44,fd00:0:20::/43,fd00:0:40::/42,fd00:0:80::/41,fd00:0:100::/40,fd00:0:200::/39,fd00:0:400::/38,fd00:0:800::/37,fd00:0:1000::/36,fd00:0:2000::/35,fd00:0:4000::/34,fd00:0:8000::/33,fd00:1::/32,fd00:2::/31,fd00:4::/30,fd00:8::/29,fd00:10::/28,fd00:20::/27,fd00:40::/26,fd00:80::/25,fd00:100::/24,fd00:200::/23,fd00:400::/22,fd00:800::/21,fd00:1000::/20,fd00:2000::/19,fd00:4000::/18,fd00:8000::/17,fd01::/16,fd02::/15,fd04::/14,fd08::/13,fd10::/12,fd20::/11,fd40::/10,fd80::/9,fe00::/7", ""},
				{"fd00::/48", "vnet6"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tbl.LookupSet(tc.in)
			if len(got) != len(tc.want) {
				t.Fatalf("LookupSet(%v) gave %d pieces, want %d: %+v", tc.in, len(got), len(tc.want), got)
			}
			for i, p := range got {
				name := ""
				if p.OK {
					name = tbl.Route(p.Route).Name
				}
				if p.Set.String() != tc.want[i].set || name != tc.want[i].route {
					t.Errorf("piece %d = %v → %q, want %v → %q", i, p.Set, name, tc.want[i].set, tc.want[i].route)
				}
			}
			universe := []netip.Prefix{mpp("10.0.0.0/22")}
			checkPieces(t, tbl, tc.in, got, universe)
		})
	}
}

// TestLookupSetManyRoutes checks a set cut into more pieces than the
// cutter scans linearly, with routes revisited after others.
func TestLookupSetManyRoutes(t *testing.T) {
	var routes []Route
	routes = append(routes, rt("vnet", SourceDefault, topology.NextHopVnetLocal, "10.0.0.0/16"))
	for i := range 40 {
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, byte(i / 16), byte(i%16) * 16}), 28)
		if i%3 == 0 {
			routes = append(routes, rt(itoa(i), SourceUser, topology.NextHopVirtualAppliance, p.String()))
		} else {
			routes = append(routes, Route{Name: itoa(i), Source: SourceUser, NextHopType: topology.NextHopVirtualAppliance,
				Tag: "Storage", Prefixes: []netip.Prefix{p, netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, 9, byte(i)}), 32)}})
		}
	}
	tbl := build(t, routes)
	set := setOf("10.0.0.0/22", "10.0.9.0/24")
	pieces := tbl.LookupSet(set)
	if len(pieces) != 41 {
		t.Errorf("LookupSet gave %d pieces, want 41", len(pieces))
	}
	checkPieces(t, tbl, set, pieces, []netip.Prefix{mpp("10.0.0.0/20")})
}

// TestConcurrentReaders runs every read method from several goroutines
// at once (meaningful under -race): a built table is never written to.
func TestConcurrentReaders(t *testing.T) {
	tbl := build(t, subnetRoutes())
	want := tbl.LookupSet(setOf("10.30.2.0/24"))
	done := make(chan bool)
	for g := range 4 {
		go func() {
			ok := true
			for i := range 200 {
				a := netip.AddrFrom4([4]byte{10, byte(30 + (g+i)%2), 2, byte(i)})
				id, found := tbl.Lookup(a)
				if found {
					tbl.NextHop(id)
					_ = tbl.Route(id)
					_ = tbl.State(id)
				}
				_, _, _ = tbl.Match(a)
				ok = ok && len(tbl.LookupSet(setOf("10.30.2.0/24"))) == len(want) && len(tbl.Effective()) == tbl.Len()
			}
			done <- ok
		}()
	}
	for range 4 {
		if !<-done {
			t.Error("a reader saw a different answer")
		}
	}
}

// TestLookupSetDefaultPathMatchesSweep holds LookupSet's shortcut for sets
// that no route longer than /0 touches to the sweep over every prefix: on
// tables with and without each family's /0 route, for sets of one family
// and of both, the pieces are the same routes with the same addresses in
// the same order.
func TestLookupSetDefaultPathMatchesSweep(t *testing.T) {
	specific := []Route{
		rt("vnet", SourceDefault, topology.NextHopVnetLocal, "10.0.0.0/16"),
		rt("onprem", SourceGateway, topology.NextHopVirtualNetworkGateway, "192.168.0.0/16"),
		rt("vnet6", SourceDefault, topology.NextHopVnetLocal, "fd00::/48"),
	}
	tables := []struct {
		name   string
		routes []Route
	}{
		{"no_default", nil},
		{"v4_default", []Route{rt("internet", SourceDefault, topology.NextHopInternet, "0.0.0.0/0")}},
		{"v6_default", []Route{rt("internet6", SourceDefault, topology.NextHopInternet, "::/0")}},
		{"both_defaults_one_route", []Route{rt("internet", SourceDefault, topology.NextHopInternet, "0.0.0.0/0", "::/0")}},
		{"both_defaults_two_routes", []Route{
			rt("internet", SourceDefault, topology.NextHopInternet, "0.0.0.0/0"),
			rt("fw6", SourceUser, topology.NextHopVirtualAppliance, "::/0"),
		}},
	}
	sets := []struct {
		name string
		set  cidr.Set
	}{
		{"v4", setOf("20.0.0.0/8", "52.1.2.0/24", "8.8.8.8/32")},
		{"v6", setOf("2603:1000::/24", "2a01:111::/32")},
		{"both", setOf("20.0.0.0/8", "2603:1000::/24")},
	}
	for _, tc := range tables {
		tbl := build(t, append(append([]Route{}, specific...), tc.routes...))
		for _, sc := range sets {
			t.Run(tc.name+"/"+sc.name, func(t *testing.T) {
				tbl.specOnce.Do(tbl.buildSpecific)
				if tbl.specific.Overlaps(sc.set) {
					t.Fatal("the set touches a specific route; the shortcut is not taken")
				}
				got, want := tbl.LookupSet(sc.set), tbl.sweep(sc.set)
				if len(got) != len(want) {
					t.Fatalf("%d pieces, the sweep gives %d: %v vs %v", len(got), len(want), got, want)
				}
				for i := range got {
					if got[i].Route != want[i].Route || got[i].OK != want[i].OK || !got[i].Set.Equal(want[i].Set) {
						t.Errorf("piece %d: %v route %d ok %v; the sweep gives %v route %d ok %v",
							i, got[i].Set, got[i].Route, got[i].OK, want[i].Set, want[i].Route, want[i].OK)
					}
				}
			})
		}
	}
}
