package route

import (
	"encoding/json"
	"github.com/vnetpath/vnetpath/topology"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func prefixes(ss ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range ss {
		out = append(out, mpp(s))
	}
	return out
}

func routeStrings(rs []Route) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.String())
	}
	return out
}

// TestSystemRoutes checks each rule of reference §1.1.
func TestSystemRoutes(t *testing.T) {
	const (
		internet = "0.0.0.0/0 Internet (Default)"
		none10   = "10.0.0.0/8 None (Default)"
		none100  = "100.64.0.0/10 None (Default)"
		none172  = "172.16.0.0/12 None (Default)"
		none192  = "192.168.0.0/16 None (Default)"
	)
	tests := []struct {
		name          string
		space         []netip.Prefix
		hasDefaultUDR bool
		want          []string
	}{
		{
			name:  "range_inside_reserved_block_leaves_both",
			space: prefixes("10.0.0.0/16"),
			want:  []string{"10.0.0.0/16 VnetLocal (Default)", internet, none10, none100, none172, none192},
		},
		{
			name:  "exact_rfc1918_space_flips_None_to_VnetLocal",
			space: prefixes("10.0.0.0/8"),
			want:  []string{"10.0.0.0/8 VnetLocal (Default)", internet, none100, none172, none192},
		},
		{
			name:  "exact_shared_address_space_flips_None_to_VnetLocal",
			space: prefixes("100.64.0.0/10", "192.168.0.0/16"),
			want:  []string{"100.64.0.0/10 VnetLocal (Default)", "192.168.0.0/16 VnetLocal (Default)", internet, none10, none172},
		},
		{
			name:  "superset_range_removes_the_None_route",
			space: prefixes("172.0.0.0/8", "100.0.0.0/8"),
			want:  []string{"172.0.0.0/8 VnetLocal (Default)", "100.0.0.0/8 VnetLocal (Default)", internet, none10, none192},
		},
		{
			name:  "public_space_keeps_every_None_route",
			space: prefixes("20.40.0.0/16"),
			want:  []string{"20.40.0.0/16 VnetLocal (Default)", internet, none10, none100, none172, none192},
		},
		{
			name:          "default_udr_removes_none_routes",
			space:         prefixes("10.0.0.0/16"),
			hasDefaultUDR: true,
			want:          []string{"10.0.0.0/16 VnetLocal (Default)", internet},
		},
		{
			name:          "default_udr_removes_172_16_by_analogy",
			space:         prefixes("192.168.10.0/24"),
			hasDefaultUDR: true,
			want:          []string{"192.168.10.0/24 VnetLocal (Default)", internet},
		},
		{
			name:  "one_route_per_range_in_the_order_given",
			space: prefixes("10.1.0.0/16", "10.0.0.0/16", "172.20.0.0/24"),
			want: []string{"10.1.0.0/16 VnetLocal (Default)", "10.0.0.0/16 VnetLocal (Default)",
				"172.20.0.0/24 VnetLocal (Default)", internet, none10, none100, none172, none192},
		},
		{
			name:  "ipv6_space_adds_default_internet_route",
			space: prefixes("10.0.0.0/16", "fd00:db8::/48"),
			want: []string{"10.0.0.0/16 VnetLocal (Default)", "fd00:db8::/48 VnetLocal (Default)",
				internet, none10, none100, none172, none192, "::/0 Internet (Default)"},
		},
		{
			name:  "invalid_repeated_and_mapped_ranges",
			space: []netip.Prefix{{}, mpp("10.0.0.0/16"), mpp("::ffff:10.0.0.0/112"), netip.PrefixFrom(mpa("10.2.3.4"), 16)},
			want:  []string{"10.0.0.0/16 VnetLocal (Default)", "10.2.0.0/16 VnetLocal (Default)", internet, none10, none100, none172, none192},
		},
		{
			name: "no_space",
			want: []string{internet, none10, none100, none172, none192},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := SystemRoutes(tc.space, tc.hasDefaultUDR)
			if s := routeStrings(got); !slices.Equal(s, tc.want) {
				t.Errorf("SystemRoutes(%v, %v) =\n  %s\nwant\n  %s", tc.space, tc.hasDefaultUDR,
					strings.Join(s, "\n  "), strings.Join(tc.want, "\n  "))
			}
			for _, r := range got {
				if r.Source != SourceDefault || r.Name != "" || len(r.Prefixes) != 1 || r.NextHopIP.IsValid() {
					t.Errorf("route %v: want source Default, no name, one prefix, no next hop IP", r)
				}
			}
		})
	}
}

// TestSystemRoutesWithDefaultUDR checks the effect of reference §1.1's last
// rule end to end: with a 0.0.0.0/0 UDR, unknown private destinations
// follow the UDR instead of being dropped, and the Internet route is
// Invalid.
func TestSystemRoutesWithDefaultUDR(t *testing.T) {
	for _, hasUDR := range []bool{false, true} {
		var b Builder
		for _, r := range SystemRoutes(prefixes("10.0.0.0/16"), hasUDR) {
			b.Add(r)
		}
		if hasUDR {
			b.Add(rt("to-fw", SourceUser, topology.NextHopVirtualAppliance, "0.0.0.0/0"))
		}
		tbl, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		want := topology.NextHopNone
		if hasUDR {
			want = topology.NextHopVirtualAppliance
		}
		for _, a := range []string{"10.9.0.1", "172.16.0.1", "192.168.0.1", "100.64.0.1"} {
			id, ok := tbl.Lookup(mpa(a))
			if nh, _ := tbl.NextHop(id); !ok || nh != want {
				t.Errorf("UDR %v: %s goes to %v, want %v", hasUDR, a, nh, want)
			}
		}
		if id, _ := tbl.Lookup(mpa("10.0.3.3")); tbl.Route(id).NextHopType != topology.NextHopVnetLocal {
			t.Errorf("UDR %v: the VNet itself is not VnetLocal", hasUDR)
		}
		if st := tbl.State(1); (st == Invalid) != hasUDR {
			t.Errorf("UDR %v: the 0.0.0.0/0 Internet route is %v", hasUDR, st)
		}
	}
}

// effectiveRoute is one row of Azure's effective route list (reference
// §1.10), as NetworkInterfaces_GetEffectiveRouteTable returns it.
type effectiveRoute struct {
	Name             string   `json:"name,omitempty"`
	Source           Source   `json:"source"`
	State            State    `json:"state"`
	AddressPrefix    []string `json:"addressPrefix"`
	NextHopIPAddress []string `json:"nextHopIpAddress"`
	NextHopType      string   `json:"nextHopType"`
}

func toEffective(es []Entry) []effectiveRoute {
	out := []effectiveRoute{}
	for _, e := range es {
		r := effectiveRoute{Name: e.Route.Name, Source: e.Route.Source, State: e.State,
			AddressPrefix: []string{}, NextHopIPAddress: []string{}, NextHopType: string(e.Route.NextHopType)}
		for _, p := range e.Route.Prefixes {
			r.AddressPrefix = append(r.AddressPrefix, p.String())
		}
		if e.Route.NextHopIP.IsValid() {
			r.NextHopIPAddress = append(r.NextHopIPAddress, e.Route.NextHopIP.String())
		}
		out = append(out, r)
	}
	return out
}

// exampleEffectiveRoutes is the effective route table of the REST API
// example NetworkInterfaceEffectiveRouteTableList.json (API 2025-07-01): a
// NIC in VNet 172.20.2.0/24 with no route table.
const exampleEffectiveRoutes = `[
 {"source":"Default","state":"Active","addressPrefix":["172.20.2.0/24"],"nextHopType":"VnetLocal","nextHopIpAddress":[]},
 {"source":"Default","state":"Active","addressPrefix":["0.0.0.0/0"],"nextHopType":"Internet","nextHopIpAddress":[]},
 {"source":"Default","state":"Active","addressPrefix":["10.0.0.0/8"],"nextHopType":"None","nextHopIpAddress":[]},
 {"source":"Default","state":"Active","addressPrefix":["100.64.0.0/10"],"nextHopType":"None","nextHopIpAddress":[]},
 {"source":"Default","state":"Active","addressPrefix":["172.16.0.0/12"],"nextHopType":"None","nextHopIpAddress":[]},
 {"source":"Default","state":"Active","addressPrefix":["192.168.0.0/16"],"nextHopType":"None","nextHopIpAddress":[]}
]`

func checkEffective(t *testing.T, wantJSON []byte) {
	t.Helper()
	var want []effectiveRoute
	if err := json.Unmarshal(wantJSON, &want); err != nil {
		t.Fatal(err)
	}
	var b Builder
	for _, r := range SystemRoutes(prefixes("172.20.2.0/24"), false) {
		b.Add(r)
	}
	tbl, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(toEffective(tbl.Effective()))
	wantNorm, _ := json.Marshal(want)
	if string(got) != string(wantNorm) {
		t.Errorf("effective routes\n got %s\nwant %s", got, wantNorm)
	}
}

// TestEffectiveRoutesExample reproduces Azure's documented effective route
// table for a NIC in VNet 172.20.2.0/24 without UDRs. The expectation is
// written out here, so the test runs without ../shared.
func TestEffectiveRoutesExample(t *testing.T) {
	checkEffective(t, []byte(exampleEffectiveRoutes))
}

// TestEffectiveRoutesARMExample reproduces the same table from the REST
// API example file itself, read from ../shared.
func TestEffectiveRoutesARMExample(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "testdata", "armexamples", "network", "resource-manager",
		"Microsoft.Network", "stable", "2025-07-01", "examples", "NetworkInterfaceEffectiveRouteTableList.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("the ARM REST example is not available (%v); it ships in ../shared beside the repository", err)
	}
	var doc struct {
		Responses struct {
			OK struct {
				Body struct {
					Value json.RawMessage `json:"value"`
				} `json:"body"`
			} `json:"200"`
		} `json:"responses"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Responses.OK.Body.Value) == 0 {
		t.Fatalf("%s: no responses.200.body.value", path)
	}
	checkEffective(t, doc.Responses.OK.Body.Value)
}
