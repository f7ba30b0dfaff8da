package engine

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/topology"
)

// TestPeeringToSpellings holds peeringTo to Azure's case-insensitive IDs
// through its shortcut: a pair of VNets as the snapshot spells them that
// has no peering answers nil without the lower-cased index, and any other
// spelling still finds the peering.
func TestPeeringToSpellings(t *testing.T) {
	const sub = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/"
	var b topology.Builder
	for i, name := range []string{"hub", "spoke", "lonely"} {
		b.AddVNet(topology.VNet{Meta: topology.Meta{ID: sub + name, Name: name}, AddressSpace: []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i), 0, 0}), 16)}})
	}
	// The peering names its VNets in another case than the VNets do.
	upper := strings.ToUpper(sub)
	b.AddPeering(topology.Peering{Meta: topology.Meta{ID: upper + "spoke/virtualNetworkPeerings/to-hub", Name: "to-hub"},
		VNet: upper + "SPOKE", RemoteVNet: upper + "HUB", State: topology.PeeringConnected, AllowVirtualNetworkAccess: true})
	snap, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	e := New(snap, nil)
	for _, c := range []struct {
		from, to string
		want     bool
	}{
		{sub + "spoke", sub + "hub", true},
		{upper + "SPOKE", upper + "HUB", true},
		{sub + "spoke", upper + "HUB/", true},
		{strings.ToLower(sub) + "spoke", sub + "hub", true},
		{sub + "hub", sub + "spoke", false}, // the hub's half is not in the snapshot
		{sub + "spoke", sub + "lonely", false},
		{sub + "lonely", strings.ToLower(sub) + "spoke", false},
	} {
		if got := e.peeringTo(c.from, c.to) != nil; got != c.want {
			t.Errorf("peeringTo(%s, %s) found %v, want %v", topology.ShortName(c.from), topology.ShortName(c.to), got, c.want)
		}
	}
}
