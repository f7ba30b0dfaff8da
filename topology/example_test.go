package topology_test

import (
	"fmt"
	"net/netip"

	"github.com/vnetpath/vnetpath/topology"
)

func ExampleBuilder() {
	const rg = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/"
	var b topology.Builder
	// Children may come before their parents.
	b.AddSubnet(topology.Subnet{
		Meta:     topology.Meta{ID: rg + "virtualNetworks/hub/subnets/snet-shared", Name: "snet-shared"},
		Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.3.0/24")},
	})
	b.AddVNet(topology.VNet{
		Meta:         topology.Meta{ID: rg + "virtualNetworks/hub", Name: "hub"},
		AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")},
	})
	b.AddNIC(topology.NIC{
		Meta: topology.Meta{ID: rg + "networkInterfaces/jump", Name: "jump"},
		IPConfigs: []topology.IPConfig{{
			Meta:      topology.Meta{Name: "ipconfig1"},
			PrivateIP: netip.MustParseAddr("10.0.3.4"),
			Subnet:    rg + "virtualNetworks/hub/subnets/snet-shared",
		}},
	})
	snap, err := b.Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, sn := range snap.FindSubnets("HUB/snet-shared") {
		fmt.Println("subnet:", topology.ShortName(sn.ID), sn.Prefixes)
	}
	for _, o := range snap.OwnersOf(netip.MustParseAddr("10.0.3.4")) {
		fmt.Println("10.0.3.4 is held by", o.Kind, topology.ShortName(o.ID))
	}
	fmt.Println("resources:", snap.Resources())
	// Output:
	// subnet: hub/snet-shared [10.0.3.0/24]
	// 10.0.3.4 is held by networkInterface jump
	// resources: 3
}

func ExampleParseResourceID() {
	r, ok := topology.ParseResourceID("/subscriptions/s/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/hub/subnets/snet-a")
	fmt.Println(ok, r.ResourceGroup, r.Type(), r.ShortName())
	// Output: true rg-net Microsoft.Network/virtualNetworks/subnets hub/snet-a
}

func ExampleParseNextHopType() {
	for _, s := range []string{"VnetLocal", "VirtualNetwork", "VPNGateway", "null", "Vnetlocall"} {
		nh, err := topology.ParseNextHopType(s)
		fmt.Printf("%q %v\n", nh, err)
	}
	// Output:
	// "VnetLocal" <nil>
	// "VnetLocal" <nil>
	// "VirtualNetworkGateway" <nil>
	// "None" <nil>
	// "" topology.ParseNextHopType("Vnetlocall"): unknown next hop type
}
