package estategen_test

import (
	"bytes"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/bench/estategen"
	"github.com/vnetpath/vnetpath/topology"
)

func load(t *testing.T, spokes int) *topology.Snapshot {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range estategen.Generate(spokes) {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	res, err := azure.LoadFS(fsys, azure.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		t.Errorf("warning: %v", w)
	}
	return res.Snapshot
}

func TestGenerateLoads(t *testing.T) {
	for _, spokes := range []int{0, 1, 17, 300} {
		t.Run(fmt.Sprint(spokes), func(t *testing.T) {
			s := load(t, spokes)
			c := s.Counts()
			want := map[string]int{
				topology.TypeVNet: 1 + spokes, topology.TypeSubnet: 3 + 2*spokes, topology.TypePeering: 2 * spokes,
				topology.TypeRouteTable: spokes, topology.TypeRoute: spokes, topology.TypeNSG: spokes,
				topology.TypeSecurityRule: 10 * spokes, topology.TypeNIC: 2 * spokes, topology.TypePrivateEndpoint: spokes,
				topology.TypeDNSRecordA: spokes, topology.TypeFirewall: 1, topology.TypePublicIP: 1,
				topology.TypePrivateZone: 1, topology.TypeZoneLink: 1,
			}
			for k, v := range want {
				if v == 0 {
					delete(want, k)
				}
			}
			if !maps.Equal(c, want) {
				t.Errorf("Counts() = %v\nwant %v", c, want)
			}
			if spokes == 0 {
				return
			}
			// The last spoke's VM and private endpoint own their addresses.
			last := spokes - 1
			base := netip.AddrFrom4([4]byte{10, byte(last >> 4), byte(last<<4) & 0xf0, 0})
			for _, a := range []netip.Addr{base.Next().Next().Next().Next(), netip.AddrFrom4([4]byte{10, byte(last >> 4), byte(last<<4)&0xf0 | 1, 4})} {
				if o := s.OwnersOf(a); len(o) != 1 {
					t.Errorf("OwnersOf(%s) = %+v", a, o)
				}
			}
		})
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := estategen.Generate(5), estategen.Generate(5)
	if !maps.EqualFunc(a, b, bytes.Equal) {
		t.Error("two runs differ")
	}
}

func TestGenerateRejectsBadSizes(t *testing.T) {
	for _, n := range []int{-1, estategen.MaxSpokes + 1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Generate(%d) did not panic", n)
				}
			}()
			estategen.Generate(n)
		}()
	}
}

func ExampleGenerate() {
	files := estategen.Generate(2)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		fmt.Println(name)
	}
	// Output:
	// azureFirewalls.json
	// networkInterfaces.json
	// networkSecurityGroups.json
	// privateDnsZones-recordSets.json
	// privateDnsZones-virtualNetworkLinks.json
	// privateDnsZones.json
	// privateEndpoints.json
	// publicIPAddresses.json
	// routeTables.json
	// virtualNetworks.json
}
