package route

import (
	"math/rand/v2"
	"net/netip"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/topology"
)

// buildGrouped builds routes into a table, the routes at the positions
// inGroup marks through a Group made of them (with other names, to show
// that a table takes the metadata but selection's fields from AddGroup).
func buildGrouped(t testing.TB, routes []Route, inGroup []bool) (*Table, *Group) {
	t.Helper()
	var members []Route
	for id, r := range routes {
		if inGroup[id] {
			r.Name, r.Origin, r.NextHopIP = "group-copy", "/group", netip.Addr{}
			members = append(members, r)
		}
	}
	g, err := NewGroup(members)
	if err != nil {
		t.Fatalf("NewGroup: %v", err)
	}
	tbl, err := buildWithGroup(g, routes, inGroup)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return tbl, g
}

// buildWithGroup builds routes into a table, those at the positions
// inGroup marks as the members of g, in order.
func buildWithGroup(g *Group, routes []Route, inGroup []bool) (*Table, error) {
	var b Builder
	k := 0
	for id, r := range routes {
		if inGroup[id] {
			b.AddGroup(g, k, r)
			k++
			continue
		}
		b.Add(r)
	}
	return b.Build()
}

// checkSameTable checks that got answers every lookup of the universe, the
// states and the effective routes as the table of the same routes built
// with Add alone, and as the slow reference (reference §1.5, §1.8).
func checkSameTable(t *testing.T, got *Table, routes []Route, universe []netip.Prefix) {
	t.Helper()
	want := build(t, routes)
	ref := &slowTable{routes: routes}
	for _, u := range universe {
		for a := u.Addr(); u.Contains(a); a = a.Next() {
			rid, rok := ref.lookup(a)
			id, ok := got.Lookup(a)
			if ok != rok || ok && int(id) != rid {
				t.Fatalf("Lookup(%v) = %d, %v; the reference gives %d, %v\nroutes: %v", a, id, ok, rid, rok, routes)
			}
			mp, mid, mok := got.Match(a)
			wp, wid, wok := want.Match(a)
			if mp != wp || mid != wid || mok != wok {
				t.Fatalf("Match(%v) = %v, %d, %v; built with Add: %v, %d, %v", a, mp, mid, mok, wp, wid, wok)
			}
		}
	}
	for id := range routes {
		if g, w := got.State(ID(id)), ref.state(id); g != w {
			t.Fatalf("route %d (%v): %v, the reference gives %v\nroutes: %v", id, routes[id], g, w, routes)
		}
	}
	if g, w := got.Effective(), want.Effective(); !reflect.DeepEqual(g, w) {
		t.Fatalf("Effective differs from the table built with Add:\n got %v\nwant %v", g, w)
	}
	for _, p := range universe {
		for bits := p.Bits(); bits <= p.Bits()+4; bits++ {
			q := netip.PrefixFrom(p.Addr(), bits)
			gi, gok := got.LookupPrefix(q)
			wi, wok := want.LookupPrefix(q)
			if gi != wi || gok != wok {
				t.Fatalf("LookupPrefix(%v) = %d, %v; built with Add: %d, %v", q, gi, gok, wi, wok)
			}
		}
	}
}

// TestGroupAgainstReference builds random tables with some of their routes
// through a Group and holds every answer to the slow reference and to the
// same table built with Add: with any routes in the group (the table then
// often builds its whole trie), and with the routes a group is for —
// User routes written with tags and service-endpoint routes — where the
// table must share the group's trie.
func TestGroupAgainstReference(t *testing.T) { bothOrders(t, testGroupAgainstReference) }

func testGroupAgainstReference(t *testing.T) {
	universe := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/20"), netip.MustParsePrefix("2001:db8::/116")}
	for _, tagLike := range []bool{false, true} {
		rng := rand.New(rand.NewPCG(5, 6))
		shared := 0
		const rounds = 40
		for round := range rounds {
			routes := randomRoutes(rng, 1+rng.IntN(50))
			inGroup := make([]bool, len(routes))
			for id := range routes {
				inGroup[id] = rng.IntN(3) == 0
				if !inGroup[id] || !tagLike {
					continue
				}
				r := &routes[id]
				r.SummaryBits = 0
				if rng.IntN(4) == 0 {
					r.Source, r.NextHopType, r.Tag = SourceDefault, topology.NextHopVirtualNetworkServiceEndpoint, "Storage.WestEurope"
				} else {
					r.Source = SourceUser
					r.Tag = []string{"Storage", "AzureMonitor", "AzureCloud", "BatchNodeManagement.WestEurope"}[rng.IntN(4)]
					if r.NextHopType == topology.NextHopInterfaceEndpoint {
						r.NextHopType = topology.NextHopInternet
					}
				}
			}
			tbl, _ := buildGrouped(t, routes, inGroup)
			if tbl.gid != nil {
				shared++
			}
			checkSameTable(t, tbl, routes, universe)
			for range 3 {
				var sb cidr.Builder
				u := universe[rng.IntN(2)]
				sb.AddPrefix(netip.PrefixFrom(randomAddrIn(rng, u), u.Bits()+rng.IntN(u.Addr().BitLen()-u.Bits()+1)).Masked())
				set := sb.Set()
				checkPieces(t, tbl, set, tbl.LookupSet(set), universe)
				if t.Failed() {
					t.Fatalf("round %d: set %v, routes %v", round, set, routes)
				}
			}
		}
		if tagLike && shared < rounds*3/4 {
			t.Errorf("tag-like groups: %d of %d tables shared the group's trie, want at least three quarters", shared, rounds)
		}
		t.Logf("tag-like %v: %d of %d tables shared the group's trie", tagLike, shared, rounds)
	}
}

// TestGroupSelection checks, on hand-written tables, each way a route of
// the table meets a route of its group, and that the table shares the
// group's trie.
func TestGroupSelection(t *testing.T) {
	storage := func(name string) Route {
		return tagged(rt(name, SourceUser, topology.NextHopInternet, "20.0.0.0/16", "20.1.0.0/16", "20.2.0.0/24"), "Storage")
	}
	tests := []struct {
		name    string
		routes  []Route
		inGroup []int // IDs of the routes added through the group
		lookups map[string]string
		invalid []string
	}{
		{
			// §1.4: an explicit CIDR beats a tag at an equal prefix.
			name:    "cidr_user_route_beats_tag_route_at_equal_prefix",
			routes:  []Route{rt("internet", SourceDefault, topology.NextHopInternet, "0.0.0.0/0"), storage("tag"), rt("cidr", SourceUser, topology.NextHopVirtualAppliance, "20.1.0.0/16")},
			inGroup: []int{1},
			lookups: map[string]string{"20.1.3.4": "cidr", "20.0.3.4": "tag", "8.8.8.8": "internet"},
		},
		{
			// §1.5 step 3: User beats Default at an equal prefix.
			name:    "tag_route_beats_default_route_at_equal_prefix",
			routes:  []Route{rt("sys", SourceDefault, topology.NextHopNone, "20.2.0.0/24"), storage("tag")},
			inGroup: []int{1},
			lookups: map[string]string{"20.2.0.9": "tag"},
			invalid: []string{"sys"},
		},
		{
			// Equal rank: the route added first wins.
			name:    "equal_rank_first_added_wins_before_group",
			routes:  []Route{tagged(rt("first", SourceUser, topology.NextHopNone, "20.0.0.0/16", "20.1.0.0/16", "20.2.0.0/24"), "Storage"), storage("tag")},
			inGroup: []int{1},
			lookups: map[string]string{"20.0.0.1": "first", "20.2.0.1": "first"},
			invalid: []string{"tag"},
		},
		{
			name:    "equal_rank_first_added_wins_after_group",
			routes:  []Route{storage("tag"), tagged(rt("second", SourceUser, topology.NextHopNone, "20.2.0.0/24"), "Storage")},
			inGroup: []int{0},
			lookups: map[string]string{"20.2.0.1": "tag"},
			invalid: []string{"second"},
		},
		{
			// §1.5 step 4: BGP never beats a service-endpoint route, even
			// more specific, when the endpoint route is the group's.
			name: "gateway_route_inside_group_service_endpoint_route_is_invalid",
			routes: []Route{
				rt("internet", SourceDefault, topology.NextHopInternet, "0.0.0.0/0"),
				tagged(rt("se", SourceDefault, topology.NextHopVirtualNetworkServiceEndpoint, "20.0.0.0/16", "20.1.0.0/16"), "Storage"),
				rt("bgp", SourceGateway, topology.NextHopVirtualNetworkGateway, "20.0.5.0/24"),
				rt("bgp-outside", SourceGateway, topology.NextHopVirtualNetworkGateway, "21.0.5.0/24"),
			},
			inGroup: []int{1},
			lookups: map[string]string{"20.0.5.1": "se", "21.0.5.1": "bgp-outside"},
			invalid: []string{"bgp"},
		},
		{
			// §1.8: a User route of the group at least SummaryBits long
			// summarises a private endpoint route of the table.
			name: "group_user_route_summarises_private_endpoint_route",
			routes: []Route{
				tagged(rt("tag", SourceUser, topology.NextHopVirtualAppliance, "10.1.0.0/16", "10.2.0.0/16"), "AzureCloud"),
				summary(rt("pe", SourceDefault, topology.NextHopInterfaceEndpoint, "10.1.0.4/32"), 16),
				summary(rt("pe-kept", SourceDefault, topology.NextHopInterfaceEndpoint, "10.2.0.4/32"), 24),
			},
			inGroup: []int{0},
			lookups: map[string]string{"10.1.0.4": "tag", "10.2.0.4": "pe-kept"},
			invalid: []string{"pe"},
		},
		{
			name:    "two_group_routes_between_table_routes",
			routes:  []Route{rt("internet", SourceDefault, topology.NextHopInternet, "0.0.0.0/0"), storage("a"), rt("mid", SourceUser, topology.NextHopNone, "20.3.0.0/16"), tagged(rt("b", SourceUser, topology.NextHopNone, "20.0.0.0/16", "20.3.0.0/16"), "AzureMonitor")},
			inGroup: []int{1, 3},
			lookups: map[string]string{"20.0.0.1": "a", "20.3.0.1": "mid", "20.1.0.1": "a"},
			invalid: []string{"b"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inGroup := make([]bool, len(tc.routes))
			for _, id := range tc.inGroup {
				inGroup[id] = true
			}
			tbl, _ := buildGrouped(t, tc.routes, inGroup)
			if tbl.gid == nil {
				t.Fatal("the table did not share the group's trie")
			}
			byName := func(id ID, ok bool) string {
				if !ok {
					return ""
				}
				return tc.routes[id].Name
			}
			for a, want := range tc.lookups {
				if got := byName(tbl.Lookup(mpa(a))); got != want {
					t.Errorf("Lookup(%s) = %q, want %q", a, got, want)
				}
			}
			for id, r := range tc.routes {
				want := Active
				if slices.Contains(tc.invalid, r.Name) {
					want = Invalid
				}
				if got := tbl.State(ID(id)); got != want {
					t.Errorf("route %s: %v, want %v", r.Name, got, want)
				}
				if got := tbl.Route(ID(id)); got.Name != r.Name {
					t.Errorf("route %d is named %q, want %q (a table takes the metadata from AddGroup)", id, got.Name, r.Name)
				}
			}
			checkSameTable(t, tbl, tc.routes, []netip.Prefix{mpp("10.1.0.0/28"), mpp("10.2.0.0/28"), mpp("20.0.5.0/28"), mpp("20.2.0.0/28"), mpp("21.0.5.0/28")})
		})
	}
}

// TestGroupWholeTrie checks the tables that cannot share their group's trie
// — routes of the group added out of order, left out, twice, from two
// groups, or disagreeing with the group in what selection reads, and group
// routes that the table's other routes invalidate by a rule other than
// rank — build their whole trie and answer as the reference does.
func TestGroupWholeTrie(t *testing.T) {
	se := tagged(rt("se", SourceDefault, topology.NextHopVirtualNetworkServiceEndpoint, "20.0.0.0/16", "20.1.0.0/16"), "Storage")
	tag := tagged(rt("tag", SourceUser, topology.NextHopNone, "20.1.0.0/16", "20.2.0.0/16"), "AzureMonitor")
	bgp := rt("bgp", SourceGateway, topology.NextHopVirtualNetworkGateway, "20.0.0.0/24", "20.9.0.0/16")
	pe := summary(rt("pe", SourceDefault, topology.NextHopInterfaceEndpoint, "20.2.0.4/32"), 16)
	g, _ := NewGroup([]Route{se, tag})
	other, _ := NewGroup([]Route{tag})
	withBGP, _ := NewGroup([]Route{bgp})
	withPE, _ := NewGroup([]Route{pe})
	type add struct {
		g *Group // nil: Add
		i int
		r Route
	}
	tests := []struct {
		name string
		adds []add
	}{
		{"out_of_order", []add{{g, 1, tag}, {g, 0, se}}},
		{"one_left_out", []add{{g, 0, se}, {nil, 0, tag}}},
		{"added_twice", []add{{g, 0, se}, {g, 1, tag}, {g, 1, tag}}},
		{"two_groups", []add{{g, 0, se}, {g, 1, tag}, {other, 0, tag}}},
		{"selection_fields_differ", []add{{g, 0, se}, {g, 1, tagged(tag, "")}}},
		{"index_out_of_range", []add{{g, 0, se}, {g, 1, tag}, {g, 7, rt("bad", SourceUser, topology.NextHopNone, "20.1.2.0/24")}}},
		// §1.5 step 4 against a group's gateway route.
		{"group_gateway_route_inside_table_peering_route", []add{{withBGP, 0, bgp}, {nil, 0, rt("peer", SourceDefault, topology.NextHopVNetPeering, "20.0.0.0/16")}}},
		// §1.8 against a group's private endpoint route.
		{"group_endpoint_route_summarised_by_table_user_route", []add{{withPE, 0, pe}, {nil, 0, rt("udr", SourceUser, topology.NextHopNone, "20.2.0.0/16")}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b Builder
			var routes []Route
			for _, a := range tc.adds {
				if a.g == nil {
					b.Add(a.r)
				} else {
					b.AddGroup(a.g, a.i, a.r)
				}
				routes = append(routes, a.r)
			}
			tbl, err := b.Build()
			if (err != nil) != (tc.name == "index_out_of_range") {
				t.Errorf("Build error %v", err)
			}
			if tbl.gid != nil {
				t.Error("the table shares the group's trie; it must build its own")
			}
			checkSameTable(t, tbl, routes, []netip.Prefix{mpp("20.0.0.0/28"), mpp("20.1.0.0/28"), mpp("20.2.0.0/28"), mpp("20.9.0.0/28")})
		})
	}
}

// TestGroupSharesPrefixes checks that a group keeps a canonical sorted
// list by reference, and that every table built with it hands that list
// out through RouteShared, while Route copies it; and that a list that is
// not canonical is copied, so changing it later changes no table.
func TestGroupSharesPrefixes(t *testing.T) {
	ps := cidr.SetOf(mpp("20.0.0.0/16"), mpp("20.1.0.0/24"), mpp("2001:db8::/32")).Prefixes()
	unsorted := []netip.Prefix{mpp("20.5.0.0/16"), mpp("20.4.0.0/16")}
	g, err := NewGroup([]Route{
		{Prefixes: ps, Source: SourceUser, Tag: "Storage", NextHopType: topology.NextHopInternet},
		{Prefixes: unsorted, Source: SourceUser, Tag: "Sql", NextHopType: topology.NextHopInternet},
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		var b Builder
		b.Add(rt("vnet", SourceDefault, topology.NextHopVnetLocal, "10.0.0.0/16"))
		b.AddGroup(g, 0, Route{Source: SourceUser, Tag: "Storage", NextHopType: topology.NextHopInternet, Name: "storage-" + itoa(i)})
		b.AddGroup(g, 1, Route{Source: SourceUser, Tag: "Sql", NextHopType: topology.NextHopInternet, Name: "sql"})
		tbl, _ := b.Build()
		if got := tbl.RouteShared(1).Prefixes; &got[0] != &ps[0] || len(got) != len(ps) {
			t.Errorf("table %d: RouteShared does not hand out the group's list", i)
		}
		if got := tbl.Route(1).Prefixes; &got[0] == &ps[0] || !slices.Equal(got, ps) {
			t.Errorf("table %d: Route returns %v sharing the list, want a copy of %v", i, got, ps)
		}
		if got := tbl.RouteShared(2).Prefixes; &got[0] == &unsorted[0] {
			t.Errorf("table %d: an unsorted list is kept by reference", i)
		}
	}
	unsorted[0] = mpp("30.0.0.0/8")
	var b Builder
	b.AddGroup(g, 0, Route{Source: SourceUser, Tag: "Storage", NextHopType: topology.NextHopInternet})
	b.AddGroup(g, 1, Route{Source: SourceUser, Tag: "Sql", NextHopType: topology.NextHopInternet})
	tbl, _ := b.Build()
	if id, ok := tbl.Lookup(mpa("20.5.0.1")); !ok || id != 1 {
		t.Errorf("Lookup(20.5.0.1) = %d, %v after the caller changed its list; want 1, true", id, ok)
	}
}

// TestGroupLookupsDoNotAllocate holds the lookups of a table sharing a
// group's trie to zero allocations, as TestNoAllocs does for others.
func TestGroupLookupsDoNotAllocate(t *testing.T) {
	routes := []Route{rt("vnet", SourceDefault, topology.NextHopVnetLocal, "10.0.0.0/16"), tagged(rt("tag", SourceUser, topology.NextHopInternet, "20.0.0.0/16", "20.1.0.0/16"), "Storage")}
	tbl, _ := buildGrouped(t, routes, []bool{false, true})
	if tbl.gid == nil {
		t.Fatal("the table did not share the group's trie")
	}
	for _, a := range []netip.Addr{mpa("10.0.0.1"), mpa("20.1.0.1")} {
		if n := testing.AllocsPerRun(100, func() { _, _ = tbl.Lookup(a); _, _, _ = tbl.Match(a) }); n != 0 {
			t.Errorf("Lookup and Match of %v: %v allocations, want 0", a, n)
		}
	}
}

// TestGroupConcurrentTables builds and reads tables of one group from
// several goroutines at once (meaningful under -race): a group is never
// written once made.
func TestGroupConcurrentTables(t *testing.T) {
	g, _ := NewGroup([]Route{tagged(rt("tag", SourceUser, topology.NextHopInternet, "20.0.0.0/16", "20.1.0.0/16"), "Storage")})
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for i := range 8 {
		wg.Go(func() {
			var b Builder
			own := netip.PrefixFrom(netip.AddrFrom4([4]byte{20, 0, byte(i), 0}), 24)
			b.Add(Route{Prefixes: []netip.Prefix{own}, Source: SourceUser, NextHopType: topology.NextHopNone, Name: "own"})
			b.AddGroup(g, 0, Route{Source: SourceUser, Tag: "Storage", NextHopType: topology.NextHopInternet})
			tbl, _ := b.Build()
			for j := range 8 {
				id, _ := tbl.Lookup(netip.AddrFrom4([4]byte{20, 0, byte(j), 1}))
				if want := ID(1); j == i && id != 0 || j != i && id != want {
					errs <- "table " + itoa(i) + ": 20.0." + itoa(j) + ".1 uses route " + itoa(int(id))
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestLookupSetGroupPathMatchesSweep holds LookupSet on tables that share
// a group's trie, where it cuts a set by the group's memoised lookup and
// the table's /0 routes, to the sweep of the whole trie: the same pieces in
// the same order, the first time and from the group's memo.
func TestLookupSetGroupPathMatchesSweep(t *testing.T) {
	universe := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/20"), netip.MustParsePrefix("2001:db8::/116")}
	rng := rand.New(rand.NewPCG(7, 8))
	applied := 0
	for round := range 60 {
		routes := randomRoutes(rng, 1+rng.IntN(40))
		own := len(routes)
		if round%2 == 0 {
			// Each family's /0 to another route: the part of a set no
			// group prefix holds is then cut in two.
			routes = append(routes, rt("fw4", SourceUser, topology.NextHopVirtualAppliance, "0.0.0.0/0"), rt("inet6", SourceDefault, topology.NextHopInternet, "::/0"))
		}
		inGroup := make([]bool, len(routes))
		for id := range routes {
			if inGroup[id] = id < own && rng.IntN(2) == 0; !inGroup[id] {
				continue
			}
			r := &routes[id]
			r.SummaryBits, r.Source = 0, SourceUser
			r.Tag = []string{"Storage", "AzureMonitor", "AzureCloud"}[rng.IntN(3)]
			if r.NextHopType == topology.NextHopInterfaceEndpoint {
				r.NextHopType = topology.NextHopInternet
			}
		}
		tbl, _ := buildGrouped(t, routes, inGroup)
		if tbl.grp == nil {
			continue
		}
		for range 4 {
			var sb cidr.Builder
			for i := range 2 + rng.IntN(4) {
				u := universe[i%2]
				sb.AddPrefix(netip.PrefixFrom(randomAddrIn(rng, u), u.Bits()+rng.IntN(u.Addr().BitLen()-u.Bits()+1)).Masked())
			}
			set := sb.Set()
			if rng.IntN(3) > 0 {
				tbl.LookupSet(set) // makes tbl.own
				set = set.Subtract(tbl.own)
			}
			want := tbl.sweep(set)
			for pass := range 2 {
				got := tbl.LookupSet(set)
				if _, ok := tbl.lookupGroup(set); ok && pass == 0 {
					applied++
				}
				if len(got) != len(want) {
					t.Fatalf("round %d pass %d, set %v: %d pieces, the sweep gives %d: %v vs %v\nroutes %v", round, pass, set, len(got), len(want), got, want, routes)
				}
				for i := range got {
					if got[i].Route != want[i].Route || got[i].OK != want[i].OK || !got[i].Set.Equal(want[i].Set) {
						t.Fatalf("round %d pass %d, set %v, piece %d: %v route %d ok %v; the sweep gives %v route %d ok %v\nroutes %v",
							round, pass, set, i, got[i].Set, got[i].Route, got[i].OK, want[i].Set, want[i].Route, want[i].OK, routes)
					}
				}
			}
		}
	}
	if applied < 40 {
		t.Errorf("the group path applied to %d sets, want at least 40", applied)
	}
	t.Logf("the group path applied to %d sets", applied)
}
