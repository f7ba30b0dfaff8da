package route

import (
	"math/rand/v2"
	"net/netip"
	"strconv"
	"testing"

	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/topology"
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

// spokeWithTags returns the routes of a spoke whose route table also
// sends four service tags to the firewall (thousands of public prefixes
// in all, as in the generated estates), and which of them are the tag
// routes.
func spokeWithTags() ([]Route, []bool) {
	rs := subnetRoutes()
	inGroup := make([]bool, len(rs), len(rs)+4)
	rng := rand.New(rand.NewPCG(7, 8))
	for i, tag := range []string{"AzureActiveDirectory", "AzureMonitor", "AzureMachineLearning", "BatchNodeManagement.WestEurope"} {
		ps := make([]netip.Prefix, 0, 1000)
		for range 200 + 600*(i%2) {
			a := netip.AddrFrom4([4]byte{byte(20 + rng.IntN(40)), byte(rng.IntN(256)), byte(rng.IntN(256)), 0})
			ps = append(ps, netip.PrefixFrom(a, 16+rng.IntN(13)).Masked())
		}
		rs = append(rs, Route{Prefixes: cidr.SetOfPrefixes(ps).Prefixes(), Tag: tag, Source: SourceUser,
			NextHopType: topology.NextHopVirtualAppliance, NextHopIP: mpa("10.0.1.4"), Name: "tag-" + tag, Origin: "/routeTables/rt"})
		inGroup = append(inGroup, true)
	}
	return rs, inGroup
}

// BenchmarkSpokeWithTags builds a spoke's table with four service-tag
// routes, with Add alone and with the tag routes through a Group made
// beforehand (as the engine shares one among the spokes naming the same
// tags), and looks addresses up in each.
func BenchmarkSpokeWithTags(b *testing.B) {
	rs, inGroup := spokeWithTags()
	var members []Route
	for i, r := range rs {
		if inGroup[i] {
			members = append(members, r)
		}
	}
	g, err := NewGroup(members)
	if err != nil {
		b.Fatal(err)
	}
	builds := map[string]func() *Table{
		"add": func() *Table {
			var bld Builder
			for _, r := range rs {
				bld.Add(r)
			}
			t, _ := bld.Build()
			return t
		},
		"group": func() *Table {
			t, _ := buildWithGroup(g, rs, inGroup)
			return t
		},
	}
	probes := []netip.Addr{mpa("10.20.1.1"), mpa("10.31.2.9"), mpa("8.8.8.8"), mpa("192.168.10.1"),
		rs[len(rs)-1].Prefixes[3].Addr(), rs[len(rs)-3].Prefixes[100].Addr()}
	for _, name := range []string{"add", "group"} {
		b.Run("build/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkTable = builds[name]()
			}
		})
		b.Run("lookup/"+name, func(b *testing.B) {
			t := builds[name]()
			i := 0
			for b.Loop() {
				sinkID, _ = t.Lookup(probes[i%len(probes)])
				i++
			}
		})
	}
}
