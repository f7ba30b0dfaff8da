package bench

import (
	"fmt"
	"github.com/vnetpath/vnetpath/topology"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/gaissmai/bart"
	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/route"
)

// Sinks keep the compiler from dropping the measured work.
var (
	routeSinkID     route.ID
	routeSinkU32    uint32
	routeSinkTable  *route.Table
	routeSinkBart   *bart.Table[uint32]
	routeSinkPieces []route.Piece
	routeSinkAny    any
)

// BenchmarkLookup compares a longest-prefix match in route.Table
// ("vnetpath") with one in a bare bart.Table[uint32] ("bart") over the same
// real Tier-1 table and the same probes: hot (1,024 probes, cache
// resident) and cold (1,048,576 probes), IPv4 and IPv6. The route table
// holds every prefix as a BGP route with its Azure metadata; its lookup
// returns the route ID, which here equals bart's value.
func BenchmarkLookup(b *testing.B) {
	d := tier1Get(b)
	for _, c := range []struct {
		name string
		fam  *tier1Family
		n    int
	}{
		{"v4-hot", &d.v4, tier1Hot},
		{"v4-cold", &d.v4, tier1Probes},
		{"v6-hot", &d.v6, tier1Hot},
		{"v6-cold", &d.v6, tier1Probes},
	} {
		probes, mask := c.fam.probes[:c.n], c.n-1
		b.Run("bart/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			t := c.fam.bart
			var acc uint32
			i := 0
			for b.Loop() {
				v, _ := t.Lookup(probes[i&mask])
				acc += v
				i++
			}
			routeSinkU32 = acc
		})
		b.Run("vnetpath/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			t := c.fam.table
			var acc route.ID
			i := 0
			for b.Loop() {
				id, _ := t.Lookup(probes[i&mask])
				acc += id
				i++
			}
			routeSinkID = acc
		})
	}
	// What an engine does per packet: the lookup and then the next hop.
	b.Run("vnetpath+nexthop/v4-cold", func(b *testing.B) {
		b.ReportAllocs()
		t, probes, mask := d.v4.table, d.v4.probes, tier1Probes-1
		var acc uint32
		i := 0
		for b.Loop() {
			id, _ := t.Lookup(probes[i&mask])
			nh, ip := t.NextHop(id)
			acc += uint32(len(nh)) + uint32(ip.As4()[3])
			i++
		}
		routeSinkU32 = acc
	})
}

// BenchmarkLookupRatio measures the cost of a route.Table lookup relative
// to a bare bart.Table[uint32] lookup in a way that survives a busy,
// shared machine: each op times one block of 4,096 lookups in each table,
// back to back and in alternating order, and the benchmark reports the
// median over all ops of the per-op ratio (vnetpath/bart) and of each
// table's ns per lookup. Cold blocks take fresh probes for every table
// and op, so neither table finds the other's paths in the caches.
func BenchmarkLookupRatio(b *testing.B) {
	d := tier1Get(b)
	const block = 4096
	for _, c := range []struct {
		name string
		fam  *tier1Family
		hot  bool
	}{
		{"v4-hot", &d.v4, true},
		{"v4-cold", &d.v4, false},
		{"v6-hot", &d.v6, true},
		{"v6-cold", &d.v6, false},
	} {
		b.Run(c.name, func(b *testing.B) {
			bt, rt := c.fam.bart, c.fam.table
			w := 0
			window := func() []netip.Addr {
				if c.hot {
					return c.fam.probes[:tier1Hot]
				}
				w = (w + 1) % (tier1Probes / block)
				return c.fam.probes[w*block : (w+1)*block]
			}
			var acc uint32
			timeBart := func(ps []netip.Addr) float64 {
				t0 := time.Now()
				for range block / len(ps) {
					for _, a := range ps {
						v, _ := bt.Lookup(a)
						acc += v
					}
				}
				return float64(time.Since(t0).Nanoseconds()) / block
			}
			timeRoute := func(ps []netip.Addr) float64 {
				t0 := time.Now()
				for range block / len(ps) {
					for _, a := range ps {
						id, _ := rt.Lookup(a)
						acc += uint32(id)
					}
				}
				return float64(time.Since(t0).Nanoseconds()) / block
			}
			var bartNs, routeNs, ratio []float64
			for b.Loop() {
				var x, y float64
				if len(ratio)%2 == 0 {
					x = timeBart(window())
					y = timeRoute(window())
				} else {
					y = timeRoute(window())
					x = timeBart(window())
				}
				bartNs, routeNs, ratio = append(bartNs, x), append(routeNs, y), append(ratio, y/x)
			}
			routeSinkU32 = acc
			b.ReportMetric(median(ratio), "vnetpath/bart")
			b.ReportMetric(median(bartNs), "bart-ns/lookup")
			b.ReportMetric(median(routeNs), "vnetpath-ns/lookup")
		})
	}
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	} else {
		return (s[n/2-1] + s[n/2]) / 2
	}
}

// BenchmarkBuild compares building the full Tier-1 table as a route.Table
// (Builder.Add of every route with its metadata, then Build) with inserting
// the same prefixes into a bart.Table[uint32]: "bart" inserts them in the
// table's (shuffled) order, "bart-addrorder" in the address order that
// Build itself uses for large tables, from a slice already in that order.
// One op is one route. Tables are built whole, again and again, each from
// a freshly collected heap; ns/route is the time per route over the
// complete builds only (a partial build left at the end of the loop does
// not count), and B/route the heap a finished table keeps per route.
func BenchmarkBuild(b *testing.B) {
	d := tier1Get(b)
	for _, c := range []struct {
		name string
		fam  *tier1Family
	}{{"v4", &d.v4}, {"v6", &d.v6}} {
		n := len(c.fam.prefixes)
		sorted := make([]netip.Prefix, n)
		for k, i := range c.fam.order {
			sorted[k] = c.fam.prefixes[i]
		}
		for _, o := range []struct {
			name string
			ps   []netip.Prefix
			val  func(k int) uint32
		}{
			{"bart/", c.fam.prefixes, func(k int) uint32 { return uint32(k) }},
			{"bart-addrorder/", sorted, func(k int) uint32 { return uint32(c.fam.order[k]) }},
		} {
			b.Run(o.name+c.name, func(b *testing.B) {
				b.ReportAllocs()
				heap := tier1HeapPerRoute(n, func() any {
					t := new(bart.Table[uint32])
					for k, p := range o.ps {
						t.Insert(p, o.val(k))
					}
					return t
				})
				ps := o.ps
				var bt builds
				t := new(bart.Table[uint32])
				k := 0
				bt.start(b)
				for b.Loop() {
					t.Insert(ps[k], o.val(k))
					if k++; k == n {
						bt.done(b, n)
						routeSinkBart, t, k = t, new(bart.Table[uint32]), 0
					}
				}
				bt.report(b)
				b.ReportMetric(heap, "B/route")
			})
		}
		b.Run("vnetpath/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			heap := tier1HeapPerRoute(n, func() any { t, _ := c.fam.build(); return t })
			var bt builds
			bld := new(route.Builder)
			i := 0
			bt.start(b)
			for b.Loop() {
				bld.Add(c.fam.route(i))
				if i++; i == n {
					t, err := bld.Build()
					if err != nil {
						b.Fatal(err)
					}
					bt.done(b, n)
					routeSinkTable, bld, i = t, new(route.Builder), 0
				}
			}
			bt.report(b)
			b.ReportMetric(heap, "B/route")
		})
	}
}

// builds times complete table builds inside a benchmark loop, and collects
// the heap between builds (outside the timer) so that each build starts
// from the same state and pays for its own garbage.
type builds struct {
	t0     time.Time
	total  time.Duration
	routes int
}

func (bt *builds) start(b *testing.B) {
	b.StopTimer()
	tier1GC()
	b.StartTimer()
	bt.t0 = time.Now()
}

func (bt *builds) done(b *testing.B, n int) {
	bt.total += time.Since(bt.t0)
	bt.routes += n
	bt.start(b)
}

func (bt *builds) report(b *testing.B) {
	if bt.routes > 0 {
		b.ReportMetric(float64(bt.total.Nanoseconds())/float64(bt.routes), "ns/route")
	}
}

// subnetTable returns a realistic spoke subnet's route table: the system
// routes of a two-range VNet, three hub and spoke peerings, five UDRs
// (a forced tunnel to the hub firewall among them), a few BGP routes from
// the hub gateway, and 100 private endpoint routes (50 of them summarised
// by the UDR for their VNet).
func subnetTable() []route.Route {
	p := netip.MustParsePrefix
	var rs []route.Route
	rs = append(rs, route.SystemRoutes([]netip.Prefix{p("10.20.0.0/16"), p("10.21.0.0/24")}, true)...)
	for i, s := range []string{"10.0.0.0/16", "10.30.0.0/16", "10.31.0.0/16"} {
		rs = append(rs, route.Route{Prefixes: []netip.Prefix{p(s)}, NextHopType: topology.NextHopVNetPeering,
			Origin: fmt.Sprintf("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke/virtualNetworkPeerings/peer-%d", i)})
	}
	fw := netip.MustParseAddr("10.0.1.4")
	for i, s := range []string{"0.0.0.0/0", "10.30.0.0/16", "10.31.0.0/16", "192.168.0.0/16", "172.16.0.0/12"} {
		rs = append(rs, route.Route{Prefixes: []netip.Prefix{p(s)}, NextHopType: topology.NextHopVirtualAppliance, NextHopIP: fw,
			Source: route.SourceUser, Name: fmt.Sprintf("udr-%d", i), Origin: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt-spoke"})
	}
	for _, s := range []string{"192.168.10.0/24", "192.168.20.0/24", "172.16.0.0/16", "10.20.5.0/24"} {
		rs = append(rs, route.Route{Prefixes: []netip.Prefix{p(s)}, NextHopType: topology.NextHopVirtualNetworkGateway,
			NextHopIP: netip.MustParseAddr("10.0.0.4"), Source: route.SourceGateway})
	}
	for i := range 100 {
		vnet := 30 + i%2 // the PEs live in the two peered spokes
		r := route.Route{
			Prefixes:    []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(vnet), 2, byte(4 + i)}), 32)},
			NextHopType: topology.NextHopInterfaceEndpoint,
			Origin:      fmt.Sprintf("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe-%d", i),
		}
		if vnet == 31 {
			r.SummaryBits = 16
		}
		rs = append(rs, r)
	}
	return rs
}

// BenchmarkEffective lists the effective routes of a realistic spoke
// subnet (about 120 routes; see subnetTable), and builds that table.
func BenchmarkEffective(b *testing.B) {
	rs := subnetTable()
	b.Run("list", func(b *testing.B) {
		b.ReportAllocs()
		t, err := tier1Table(rs)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			routeSinkAny = t.Effective()
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(rs)), "ns/route")
	})
	b.Run("build", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			t, err := tier1Table(rs)
			if err != nil {
				b.Fatal(err)
			}
			routeSinkTable = t
		}
	})
}

// BenchmarkLookupSet looks up whole address sets, cut into the pieces that
// use different routes, in the full Tier-1 table ("full", 0.9 M routes)
// and in a realistic subnet table ("subnet", about 120 routes). The cost
// follows the pieces (reported as pieces/op), not the size of the table.
// Each size rotates through 64 sets drawn at random around table prefixes.
func BenchmarkLookupSet(b *testing.B) {
	d := tier1Get(b)
	small, err := tier1Table(subnetTable())
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	sets := func(bits, count int, base []netip.Prefix) []cidr.Set {
		out := make([]cidr.Set, 64)
		for i := range out {
			var sb cidr.Builder
			for range count {
				a := base[rng.IntN(len(base))].Addr()
				sb.AddPrefix(netip.PrefixFrom(a, bits).Masked())
			}
			out[i] = sb.Set()
		}
		return out
	}
	subnetSpace := []netip.Prefix{netip.MustParsePrefix("10.20.0.0/16"), netip.MustParsePrefix("10.30.2.0/24"),
		netip.MustParsePrefix("10.31.2.0/24"), netip.MustParsePrefix("20.0.0.0/8")}
	for _, c := range []struct {
		name  string
		table *route.Table
		sets  []cidr.Set
	}{
		{"full/addr", d.v4.table, sets(32, 1, d.v4.prefixes)},
		{"full/24", d.v4.table, sets(24, 1, d.v4.prefixes)},
		{"full/16", d.v4.table, sets(16, 1, d.v4.prefixes)},
		{"full/12", d.v4.table, sets(12, 1, d.v4.prefixes)},
		{"full/100x24", d.v4.table, sets(24, 100, d.v4.prefixes)},
		{"subnet/addr", small, sets(32, 1, subnetSpace)},
		{"subnet/24", small, sets(24, 1, subnetSpace)},
		{"subnet/16", small, sets(16, 1, subnetSpace)},
		{"subnet/100x24", small, sets(24, 100, subnetSpace)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			pieces, i := 0, 0
			for b.Loop() {
				routeSinkPieces = c.table.LookupSet(c.sets[i&63])
				pieces += len(routeSinkPieces)
				i++
			}
			b.ReportMetric(float64(pieces)/float64(b.N), "pieces/op")
		})
	}
}

// TestLookupAgreesWithBart checks that the route table and bart return the
// same answer for every probe of both families: the benchmarks compare
// equal work.
func TestLookupAgreesWithBart(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the 1 M-prefix Tier-1 table")
	}
	d := tier1Get(t)
	for _, fam := range []*tier1Family{&d.v4, &d.v6} {
		if fam.table.Len() != len(fam.prefixes) {
			t.Fatalf("table has %d routes, want %d", fam.table.Len(), len(fam.prefixes))
		}
		for _, a := range fam.probes {
			want, wantOK := fam.bart.Lookup(a)
			got, ok := fam.table.Lookup(a)
			if ok != wantOK || uint32(got) != want {
				t.Fatalf("Lookup(%v) = %d, %v; bart gives %d, %v", a, got, ok, want, wantOK)
			}
		}
	}
}
