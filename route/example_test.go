package route_test

import (
	"fmt"
	"github.com/vnetpath/vnetpath/topology"
	"net/netip"

	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/route"
)

var (
	mpa = netip.MustParseAddr
	mpp = netip.MustParsePrefix
)

// A spoke subnet with a forced-tunnel UDR to a hub firewall, a peering to
// the hub and a private endpoint route.
func spokeTable() *route.Table {
	var b route.Builder
	for _, r := range route.SystemRoutes([]netip.Prefix{mpp("10.1.0.0/16")}, true) {
		b.Add(r)
	}
	b.Add(route.Route{Prefixes: []netip.Prefix{mpp("10.0.0.0/16")}, NextHopType: topology.NextHopVNetPeering,
		Origin: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke/virtualNetworkPeerings/to-hub"})
	b.Add(route.Route{Prefixes: []netip.Prefix{mpp("0.0.0.0/0")}, NextHopType: topology.NextHopVirtualAppliance,
		NextHopIP: mpa("10.0.1.4"), Source: route.SourceUser, Name: "default-to-fw"})
	b.Add(route.Route{Prefixes: []netip.Prefix{mpp("10.1.2.5/32")}, NextHopType: topology.NextHopInterfaceEndpoint})
	t, err := b.Build()
	if err != nil {
		panic(err)
	}
	return t
}

func ExampleTable_Lookup() {
	t := spokeTable()
	for _, a := range []string{"10.1.7.7", "10.0.1.4", "10.1.2.5", "20.190.160.1", "192.168.1.1"} {
		id, ok := t.Lookup(mpa(a))
		if !ok {
			fmt.Println(a, "no route")
			continue
		}
		nh, ip := t.NextHop(id)
		fmt.Println(a, "→", nh, ip, "via", t.Route(id).Prefixes[0])
	}
	// Output:
	// 10.1.7.7 → VnetLocal invalid IP via 10.1.0.0/16
	// 10.0.1.4 → VNetPeering invalid IP via 10.0.0.0/16
	// 10.1.2.5 → InterfaceEndpoint invalid IP via 10.1.2.5/32
	// 20.190.160.1 → VirtualAppliance 10.0.1.4 via 0.0.0.0/0
	// 192.168.1.1 → VirtualAppliance 10.0.1.4 via 0.0.0.0/0
}

func ExampleTable_LookupSet() {
	t := spokeTable()
	dst, _ := cidr.ParseList("10.1.2.0/29, 10.0.0.0/24, 8.8.8.8, 10.1.9.0/24")
	for _, p := range t.LookupSet(dst) {
		fmt.Println(p.Set, "→", t.Route(p.Route))
	}
	// Output:
	// 8.8.8.8 → 0.0.0.0/0 VirtualAppliance 10.0.1.4 (User default-to-fw)
	// 10.0.0.0/24 → 10.0.0.0/16 VNetPeering (Default)
	// 10.1.2.0/30,10.1.2.4,10.1.2.6/31,10.1.9.0/24 → 10.1.0.0/16 VnetLocal (Default)
	// 10.1.2.5 → 10.1.2.5/32 InterfaceEndpoint (Default)
}

func ExampleTable_Effective() {
	var b route.Builder
	for _, r := range route.SystemRoutes([]netip.Prefix{mpp("10.1.0.0/16")}, false) {
		b.Add(r)
	}
	// A BGP route inside the VNet's own range never wins (reference §1.5).
	b.Add(route.Route{Prefixes: []netip.Prefix{mpp("10.1.5.0/24")}, NextHopType: topology.NextHopVirtualNetworkGateway,
		NextHopIP: mpa("10.0.0.4"), Source: route.SourceGateway})
	b.Add(route.Route{Prefixes: []netip.Prefix{mpp("0.0.0.0/0")}, NextHopType: topology.NextHopVirtualAppliance,
		NextHopIP: mpa("10.0.1.4"), Source: route.SourceUser, Name: "default-to-fw"})
	t, _ := b.Build()
	for _, e := range t.Effective() {
		fmt.Printf("%-7s %v\n", e.State, e.Route)
	}
	// Output:
	// Active  10.1.0.0/16 VnetLocal (Default)
	// Invalid 0.0.0.0/0 Internet (Default)
	// Active  10.0.0.0/8 None (Default)
	// Active  100.64.0.0/10 None (Default)
	// Active  172.16.0.0/12 None (Default)
	// Active  192.168.0.0/16 None (Default)
	// Invalid 10.1.5.0/24 VirtualNetworkGateway 10.0.0.4 (VirtualNetworkGateway)
	// Active  0.0.0.0/0 VirtualAppliance 10.0.1.4 (User default-to-fw)
}

func ExampleSystemRoutes() {
	// A VNet whose second range is exactly 192.168.0.0/16: that block is
	// VnetLocal instead of None.
	for _, r := range route.SystemRoutes([]netip.Prefix{mpp("10.1.0.0/16"), mpp("192.168.0.0/16")}, false) {
		fmt.Println(r)
	}
	// Output:
	// 10.1.0.0/16 VnetLocal (Default)
	// 192.168.0.0/16 VnetLocal (Default)
	// 0.0.0.0/0 Internet (Default)
	// 10.0.0.0/8 None (Default)
	// 100.64.0.0/10 None (Default)
	// 172.16.0.0/12 None (Default)
}

func ExampleBuilder_Build() {
	var b route.Builder
	b.Add(route.Route{Prefixes: []netip.Prefix{netip.PrefixFrom(mpa("10.2.0.9"), 16)},
		NextHopType: topology.NextHopVirtualAppliance, NextHopIP: mpa("10.0.1.4"), Source: route.SourceUser, Name: "spoke2"})
	t, err := b.Build()
	fmt.Println(err)
	fmt.Println(t.Route(0))
	// Output:
	// route.Builder.Add: route 0 "spoke2": "10.2.0.9/16": host bits are set (used as the network 10.2.0.0/16)
	// 10.2.0.0/16 VirtualAppliance 10.0.1.4 (User spoke2)
}
