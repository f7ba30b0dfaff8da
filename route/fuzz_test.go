package route

import (
	"encoding/binary"
	"github.com/vnetpath/vnetpath/topology"
	"net/netip"
	"testing"
)

// FuzzTable builds a table from routes decoded from the fuzzer's bytes and
// checks Lookup, LookupSet and the states against the slow reference,
// built with Add alone or with some routes through a Group.
func FuzzTable(f *testing.F) {
	f.Add([]byte{0x0a, 0, 0, 0, 16, 0x10, 0x0a, 0, 1, 0, 24, 0x21, 0x0a, 0, 1, 4, 32, 0x02}, uint32(0x0a000104))
	f.Add([]byte{0, 0, 0, 0, 0, 0x01, 0x0a, 0, 0, 0, 8, 0x20, 0x0a, 0, 0, 0, 16, 0x13}, uint32(0x0a000001))
	f.Fuzz(func(t *testing.T, data []byte, probe uint32) {
		// Each route is 6 bytes: IPv4 address, prefix length, and a byte
		// whose bits pick source, next hop type and summarisation.
		var routes []Route
		for len(data) >= 6 && len(routes) < 64 {
			bits := int(data[4]) % 33
			p := netip.PrefixFrom(netip.AddrFrom4([4]byte(data[:4])), bits).Masked()
			k := data[5]
			r := Route{Prefixes: []netip.Prefix{p}, Source: Source(k>>4) % numSources}
			r.NextHopType = []topology.NextHopType{topology.NextHopVnetLocal, topology.NextHopVNetPeering, topology.NextHopVirtualNetworkServiceEndpoint, topology.NextHopInternet,
				topology.NextHopVirtualAppliance, topology.NextHopNone, topology.NextHopInterfaceEndpoint, topology.NextHopVirtualNetworkGateway}[k&7]
			if k&8 != 0 {
				r.SummaryBits = 8 + int(k>>6)*8
			}
			routes = append(routes, r)
			data = data[6:]
		}
		saved := sortThreshold
		if probe&1 == 1 {
			sortThreshold = 0 // insert in address order
		}
		tbl := build(t, routes)
		if probe&2 == 2 {
			// A third of the routes through a Group.
			inGroup := make([]bool, len(routes))
			for id := range routes {
				inGroup[id] = (int(probe>>2)+id)%3 == 0
			}
			tbl, _ = buildGrouped(t, routes, inGroup)
		}
		sortThreshold = saved
		ref := &slowTable{routes: routes}
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], probe)
		for _, a := range []netip.Addr{netip.AddrFrom4(b), netip.AddrFrom4([4]byte{10, 0, 1, 4})} {
			want, wantOK := ref.lookup(a)
			got, ok := tbl.Lookup(a)
			if ok != wantOK || (ok && int(got) != want) {
				t.Fatalf("Lookup(%v) = %d, %v; want %d, %v", a, got, ok, want, wantOK)
			}
		}
		for id := range routes {
			if got, want := tbl.State(ID(id)), ref.state(id); got != want {
				t.Fatalf("route %d %v: %v, want %v", id, routes[id], got, want)
			}
		}
		q := netip.PrefixFrom(netip.AddrFrom4(b), 20+int(probe%13)).Masked()
		set := setOf(q.String())
		checkPieces(t, tbl, set, tbl.LookupSet(set), []netip.Prefix{q})
	})
}
