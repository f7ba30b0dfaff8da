package route

import (
	"github.com/vnetpath/vnetpath/topology"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"github.com/vnetpath/vnetpath/cidr"
)

// slowTable is a reference for Table: a plain list of routes, with Azure's
// selection rules (reference §1.5, §1.8) applied per destination address by
// a linear scan, written as the reference's pseudocode reads.
type slowTable struct {
	routes []Route
}

type slowCand struct {
	id  int
	pfx netip.Prefix
}

// candidates returns every (route, prefix) holding a that survives the
// BGP and summarisation rules.
func (s *slowTable) candidates(a netip.Addr) []slowCand {
	var all []slowCand
	for id, r := range s.routes {
		for _, p := range r.Prefixes {
			if p.Contains(a) {
				all = append(all, slowCand{id, p})
			}
		}
	}
	var out []slowCand
	for _, c := range all {
		r := s.routes[c.id]
		if r.Source == SourceGateway && s.bgpBlocked(all, c) {
			continue
		}
		if r.Source == SourceDefault && r.NextHopType == topology.NextHopInterfaceEndpoint && r.SummaryBits > 0 && s.summarised(all, c) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// bgpBlocked: some VNet, peering or service endpoint system route holding a
// has a prefix no longer than the BGP route's, so it holds the BGP prefix.
func (s *slowTable) bgpBlocked(all []slowCand, c slowCand) bool {
	for _, o := range all {
		r := s.routes[o.id]
		if r.Source != SourceDefault {
			continue
		}
		switch r.NextHopType {
		case topology.NextHopVnetLocal, topology.NextHopVNetPeering, topology.NextHopVNetGlobalPeering, topology.NextHopVirtualNetworkServiceEndpoint:
			if o.pfx.Bits() <= c.pfx.Bits() {
				return true
			}
		}
	}
	return false
}

// summarised: some User route holds the endpoint's prefix and is at least
// SummaryBits long.
func (s *slowTable) summarised(all []slowCand, c slowCand) bool {
	for _, o := range all {
		r := s.routes[o.id]
		if r.Source == SourceUser && o.pfx.Bits() <= c.pfx.Bits() && o.pfx.Bits() >= s.routes[c.id].SummaryBits {
			return true
		}
	}
	return false
}

func slowRank(r Route) (int, int) {
	src := map[Source]int{SourceUser: 0, SourceGateway: 1, SourceDefault: 2}[r.Source]
	tag := 0
	switch {
	case r.Tag == "":
	case r.Tag == "AzureCloud":
		tag = 4
	case len(r.Tag) > 11 && r.Tag[:11] == "AzureCloud.":
		tag = 3
	case slices.Contains([]byte(r.Tag), '.'):
		tag = 1
	default:
		tag = 2
	}
	return src, tag
}

// better reports whether route i beats route j at an equal prefix.
func (s *slowTable) better(i, j int) bool {
	si, ti := slowRank(s.routes[i])
	sj, tj := slowRank(s.routes[j])
	if si != sj {
		return si < sj
	}
	if ti != tj {
		return ti < tj
	}
	return i < j
}

func (s *slowTable) lookup(a netip.Addr) (int, bool) {
	a = a.Unmap()
	best := -1
	var bestPfx netip.Prefix
	for _, c := range s.candidates(a) {
		switch {
		case best < 0, c.pfx.Bits() > bestPfx.Bits(),
			c.pfx.Bits() == bestPfx.Bits() && s.better(c.id, best):
			best, bestPfx = c.id, c.pfx
		}
	}
	return best, best >= 0
}

// state: a route is Active when, at one of its prefixes, it is the best of
// the routes with that exact prefix that survive the rules.
func (s *slowTable) state(id int) State {
	r := s.routes[id]
	if len(r.Prefixes) == 0 {
		return Active
	}
	for _, p := range r.Prefixes {
		best := -1
		for _, c := range s.candidates(p.Addr()) {
			if c.pfx == p && (best < 0 || s.better(c.id, best)) {
				best = c.id
			}
		}
		if best == id {
			return Active
		}
	}
	return Invalid
}

// randomRoutes returns n routes inside a small universe (10.0.0.0/20 and
// 2001:db8::/116), so random addresses often hit and an exhaustive scan of
// the universe is cheap. Prefixes nest and collide often.
func randomRoutes(rng *rand.Rand, n int) []Route {
	bases := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/20"), netip.MustParsePrefix("2001:db8::/116")}
	tags := []string{"", "", "", "Storage", "Storage.EastUS", "AzureCloud", "AzureCloud.eastus"}
	hops := []topology.NextHopType{topology.NextHopVnetLocal, topology.NextHopVNetPeering, topology.NextHopVNetGlobalPeering, topology.NextHopVirtualNetworkGateway, topology.NextHopInternet,
		topology.NextHopVirtualAppliance, topology.NextHopNone, topology.NextHopVirtualNetworkServiceEndpoint, topology.NextHopInterfaceEndpoint}
	var out []Route
	for range n {
		var r Route
		np := 1
		if rng.IntN(6) == 0 {
			np = rng.IntN(4) // a tag route: zero to three prefixes
		}
		for range np {
			base := bases[rng.IntN(len(bases))]
			bits := base.Bits() + rng.IntN(base.Addr().BitLen()-base.Bits()+1)
			if rng.IntN(8) == 0 {
				bits = rng.IntN(base.Bits() + 1) // a covering route such as 0/0 or 10/8
			}
			a := randomAddrIn(rng, base)
			r.Prefixes = append(r.Prefixes, netip.PrefixFrom(a, bits).Masked())
		}
		r.Source = Source(rng.IntN(3))
		r.NextHopType = hops[rng.IntN(len(hops))]
		if r.Source == SourceUser {
			if np != 1 || rng.IntN(3) == 0 {
				r.Tag = tags[1+rng.IntN(len(tags)-1)]
			}
		}
		if r.Source == SourceDefault && r.NextHopType == topology.NextHopInterfaceEndpoint {
			for i, p := range r.Prefixes {
				r.Prefixes[i] = netip.PrefixFrom(p.Addr(), p.Addr().BitLen())
			}
			switch {
			case rng.IntN(2) == 0:
			case len(r.Prefixes) == 0:
				r.SummaryBits = 16
			default:
				r.SummaryBits = 1 + rng.IntN(r.Prefixes[0].Addr().BitLen()) // a few as long as the host route
			}
		}
		if rng.IntN(3) == 0 {
			r.NextHopIP = randomAddrIn(rng, bases[0])
		}
		out = append(out, r)
	}
	return out
}

func randomAddrIn(rng *rand.Rand, p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		if rng.IntN(2) == 1 {
			b[i/8] |= 0x80 >> (i % 8)
		}
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

func build(t testing.TB, routes []Route) *Table {
	t.Helper()
	var b Builder
	for _, r := range routes {
		b.Add(r)
	}
	tbl, err := b.Build()
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return tbl
}

// bothOrders runs f once with prefixes inserted in ID order and once in
// address order (see sortThreshold).
func bothOrders(t *testing.T, f func(t *testing.T)) {
	saved := sortThreshold
	defer func() { sortThreshold = saved }()
	for _, order := range []struct {
		name      string
		threshold int
	}{{"id_order", 1 << 30}, {"address_order", 0}} {
		sortThreshold = order.threshold
		t.Run(order.name, f)
	}
}

// buildBothOrders builds routes into two tables, inserting prefixes in ID
// order and in address order (see sortThreshold).
func buildBothOrders(t *testing.T, routes []Route) map[string]*Table {
	t.Helper()
	saved := sortThreshold
	defer func() { sortThreshold = saved }()
	out := map[string]*Table{}
	sortThreshold = 1 << 30
	out["id order"] = build(t, routes)
	sortThreshold = 0
	out["address order"] = build(t, routes)
	return out
}

// TestAgainstReference checks Lookup, Match, State and Effective against
// the slow reference on random tables, at every address of the universe.
func TestAgainstReference(t *testing.T) { bothOrders(t, testAgainstReference) }

func testAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	universe := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/20"), netip.MustParsePrefix("2001:db8::/116")}
	for round := range 40 {
		routes := randomRoutes(rng, 1+rng.IntN(60))
		tbl := build(t, routes)
		ref := &slowTable{routes: routes}
		for _, u := range universe {
			for a := u.Addr(); u.Contains(a); a = a.Next() {
				want, wantOK := ref.lookup(a)
				got, ok := tbl.Lookup(a)
				if ok != wantOK || (ok && int(got) != want) {
					t.Fatalf("round %d: Lookup(%v) = %d, %v; want %d, %v\nroutes: %v", round, a, got, ok, want, wantOK, routes)
				}
				mp, mid, mok := tbl.Match(a)
				if mok != ok || mid != got || (ok && (!mp.Contains(a) || !slices.Contains(routes[got].Prefixes, mp))) {
					t.Fatalf("round %d: Match(%v) = %v, %d, %v; Lookup gave %d, %v", round, a, mp, mid, mok, got, ok)
				}
			}
		}
		eff := tbl.Effective()
		if len(eff) != len(routes) {
			t.Fatalf("round %d: Effective has %d entries, want %d", round, len(eff), len(routes))
		}
		for id := range routes {
			if want := ref.state(id); eff[id].State != want || tbl.State(ID(id)) != want {
				t.Fatalf("round %d: route %d (%v): state %v / %v, want %v", round, id, routes[id], eff[id].State, tbl.State(ID(id)), want)
			}
		}
	}
}

// TestLookupSetAgainstReference checks that LookupSet's pieces partition
// random sets exactly, with each address in the piece of its Lookup route,
// one piece per route, in the order of the lowest address.
func TestLookupSetAgainstReference(t *testing.T) { bothOrders(t, testLookupSetAgainstReference) }

func testLookupSetAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	universe := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/20"), netip.MustParsePrefix("2001:db8::/116")}
	for round := range 60 {
		routes := randomRoutes(rng, rng.IntN(50))
		tbl := build(t, routes)
		var sb cidr.Builder
		for range 1 + rng.IntN(6) {
			u := universe[rng.IntN(2)]
			bits := u.Bits() + rng.IntN(u.Addr().BitLen()-u.Bits()+1)
			if rng.IntN(10) == 0 {
				bits = rng.IntN(u.Bits() + 1)
			}
			sb.AddPrefix(netip.PrefixFrom(randomAddrIn(rng, u), bits).Masked())
		}
		set := sb.Set()
		pieces := tbl.LookupSet(set)
		checkPieces(t, tbl, set, pieces, universe)
		if t.Failed() {
			t.Fatalf("round %d: set %v, routes %v", round, set, routes)
		}
	}
}

// checkPieces verifies the pieces against Lookup at every address of the
// universe and checks they cover exactly set (outside the universe too).
func checkPieces(t *testing.T, tbl *Table, set cidr.Set, pieces []Piece, universe []netip.Prefix) {
	t.Helper()
	var union cidr.Builder
	seen := map[pieceKey]bool{}
	var prevLow netip.Addr
	for i, p := range pieces {
		if p.Set.IsEmpty() {
			t.Errorf("piece %d is empty", i)
			continue
		}
		k := pieceKey{uint32(p.Route), p.OK}
		if seen[k] {
			t.Errorf("route %d, %v has two pieces", p.Route, p.OK)
		}
		seen[k] = true
		low := p.Set.Ranges()[0].From
		if i > 0 && !prevLow.Less(low) {
			t.Errorf("piece %d starts at %v, not after %v", i, low, prevLow)
		}
		prevLow = low
		if union.Set().Overlaps(p.Set) {
			t.Errorf("piece %d overlaps an earlier one", i)
		}
		union.AddSet(p.Set)
		if !p.OK && p.Route != 0 {
			t.Errorf("piece %d: no route but Route %d", i, p.Route)
		}
	}
	if !union.Set().Equal(set) {
		t.Errorf("pieces cover %v, want %v", union.Set(), set)
	}
	for _, u := range universe {
		for a := u.Addr(); u.Contains(a); a = a.Next() {
			if !set.Contains(a) {
				continue
			}
			id, ok := tbl.Lookup(a)
			found := false
			for _, p := range pieces {
				if p.Set.Contains(a) {
					found = true
					if p.OK != ok || (ok && p.Route != id) {
						t.Errorf("%v is in the piece of route %d, %v; Lookup gives %d, %v", a, p.Route, p.OK, id, ok)
						return
					}
				}
			}
			if !found {
				t.Errorf("%v is in no piece", a)
				return
			}
		}
	}
	// Outside the universe (e.g. a /0 in the set), a piece must agree with
	// LookupPrefix at its first and last address.
	for _, p := range pieces {
		for _, r := range p.Set.Ranges() {
			for _, a := range []netip.Addr{r.From, r.To} {
				id, ok := tbl.Lookup(a)
				if ok != p.OK || (ok && id != p.Route) {
					t.Errorf("%v (edge of %v) is in the piece of route %d, %v; Lookup gives %d, %v", a, r, p.Route, p.OK, id, ok)
				}
			}
		}
	}
}
