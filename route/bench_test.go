package route

import (
	"github.com/vnetpath/vnetpath/topology"
	"net/netip"
	"strconv"
	"testing"
)

// subnetRoutes returns the routes of a typical spoke subnet: system
// routes, three peerings, five UDRs, four BGP routes and 100 private
// endpoints (half of them summarised).
func subnetRoutes() []Route {
	rs := SystemRoutes([]netip.Prefix{mpp("10.20.0.0/16"), mpp("10.21.0.0/24")}, true)
	for i, s := range []string{"10.0.0.0/16", "10.30.0.0/16", "10.31.0.0/16"} {
		rs = append(rs, Route{Prefixes: []netip.Prefix{mpp(s)}, NextHopType: topology.NextHopVNetPeering, Origin: "/peerings/p" + strconv.Itoa(i)})
	}
	for i, s := range []string{"0.0.0.0/0", "10.30.0.0/16", "10.31.0.0/16", "192.168.0.0/16", "172.16.0.0/12"} {
		rs = append(rs, Route{Prefixes: []netip.Prefix{mpp(s)}, NextHopType: topology.NextHopVirtualAppliance, NextHopIP: mpa("10.0.1.4"),
			Source: SourceUser, Name: "udr-" + strconv.Itoa(i), Origin: "/routeTables/rt"})
	}
	for _, s := range []string{"192.168.10.0/24", "192.168.20.0/24", "172.16.0.0/16", "10.20.5.0/24"} {
		rs = append(rs, Route{Prefixes: []netip.Prefix{mpp(s)}, NextHopType: topology.NextHopVirtualNetworkGateway, NextHopIP: mpa("10.0.0.4"), Source: SourceGateway})
	}
	for i := range 100 {
		vnet := 30 + i%2
		r := Route{Prefixes: []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(vnet), 2, byte(4 + i)}), 32)},
			NextHopType: topology.NextHopInterfaceEndpoint, Origin: "/privateEndpoints/pe-" + strconv.Itoa(i)}
		if vnet == 31 {
			r.SummaryBits = 16
		}
		rs = append(rs, r)
	}
	return rs
}

var (
	sinkTable   *Table
	sinkEntries []Entry
	sinkID      ID
)

func BenchmarkBuildSubnet(b *testing.B) {
	rs := subnetRoutes()
	b.ReportAllocs()
	for b.Loop() {
		var bld Builder
		for _, r := range rs {
			bld.Add(r)
		}
		sinkTable, _ = bld.Build()
	}
}

func BenchmarkEffectiveSubnet(b *testing.B) {
	t := build(b, subnetRoutes())
	b.ReportAllocs()
	for b.Loop() {
		sinkEntries = t.Effective()
	}
}

func BenchmarkLookupSubnet(b *testing.B) {
	t := build(b, subnetRoutes())
	probes := []netip.Addr{mpa("10.20.1.1"), mpa("10.30.2.7"), mpa("10.31.2.9"), mpa("8.8.8.8"), mpa("192.168.10.1"), mpa("10.0.1.4")}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkID, _ = t.Lookup(probes[i%len(probes)])
		i++
	}
}
