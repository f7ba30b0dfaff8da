package topology_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/topology"
)

// TestParseNextHopType checks every spelling of reference §1.3: the
// effective-route names in any case, Network Watcher's and the classic
// model's aliases, and that anything else is an error quoting the input.
func TestParseNextHopType(t *testing.T) {
	tests := []struct {
		in   string
		want topology.NextHopType
	}{
		{"None", topology.NextHopNone},
		{"Null", topology.NextHopNone},
		{"VnetLocal", topology.NextHopVnetLocal},
		{"VNETLocal", topology.NextHopVnetLocal},
		{"VirtualNetwork", topology.NextHopVnetLocal},
		{"vnetlocal", topology.NextHopVnetLocal},
		{"VNetPeering", topology.NextHopVNetPeering},
		{"VirtualNetworkPeering", topology.NextHopVNetPeering},
		{"VNetGlobalPeering", topology.NextHopVNetGlobalPeering},
		{"VirtualNetworkGateway", topology.NextHopVirtualNetworkGateway},
		{"VPNGateway", topology.NextHopVirtualNetworkGateway},
		{"Internet", topology.NextHopInternet},
		{"INTERNET", topology.NextHopInternet},
		{"VirtualAppliance", topology.NextHopVirtualAppliance},
		{"VirtualNetworkServiceEndpoint", topology.NextHopVirtualNetworkServiceEndpoint},
		{"InterfaceEndpoint", topology.NextHopInterfaceEndpoint},
		{"ConnectedGroup", topology.NextHopConnectedGroup},
		{"VirtualApplianceEcmp", topology.NextHopVirtualApplianceEcmp},
	}
	for _, tc := range tests {
		got, err := topology.ParseNextHopType(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseNextHopType(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"", "Vnetlocall", " VnetLocal", "MicrosoftEdge", "HyperNetGateway", "0"} {
		_, err := topology.ParseNextHopType(in)
		want := `topology.ParseNextHopType(` + strconv.Quote(in) + `): unknown next hop type`
		if err == nil || err.Error() != want {
			t.Errorf("ParseNextHopType(%q) error = %v, want %s", in, err, want)
		}
	}
}

// TestEnumText checks that every model enum marshals its constants as
// Azure spells them, parses them back ignoring case, and rejects what is
// not one of them on both ways without changing the target.
func TestEnumText(t *testing.T) {
	type enum interface {
		IsValid() bool
		MarshalText() ([]byte, error)
	}
	tests := []struct {
		name   string
		values []string
		parse  func(string) (enum, error)
		bad    enum
	}{
		{"Direction", []string{"Inbound", "Outbound"},
			func(s string) (enum, error) { v, err := topology.ParseDirection(s); return v, err }, topology.Direction("Sideways")},
		{"Access", []string{"Allow", "Deny"},
			func(s string) (enum, error) { v, err := topology.ParseAccess(s); return v, err }, topology.Access("Maybe")},
		{"PeeringState", []string{"Connected", "Initiated", "Disconnected"},
			func(s string) (enum, error) { v, err := topology.ParsePeeringState(s); return v, err }, topology.PeeringState("Syncing")},
		{"NextHopType", []string{"None", "VnetLocal", "VNetPeering", "VNetGlobalPeering", "VirtualNetworkGateway", "Internet",
			"VirtualAppliance", "VirtualNetworkServiceEndpoint", "InterfaceEndpoint", "ConnectedGroup", "VirtualApplianceEcmp"},
			func(s string) (enum, error) { v, err := topology.ParseNextHopType(s); return v, err }, topology.NextHopType("Nowhere")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, name := range tc.values {
				v, err := tc.parse(strings.ToLower(name))
				if err != nil || !v.IsValid() {
					t.Fatalf("parse(%q) = %v, %v", strings.ToLower(name), v, err)
				}
				b, err := json.Marshal(v)
				if err != nil || string(b) != `"`+name+`"` {
					t.Errorf("json.Marshal(%v) = %s, %v; want %q", v, b, err, name)
				}
			}
			if tc.bad.IsValid() {
				t.Errorf("%v is valid", tc.bad)
			}
			if _, err := json.Marshal(tc.bad); err == nil {
				t.Errorf("json.Marshal(%v) succeeded", tc.bad)
			}
			if _, err := tc.parse(""); err == nil {
				t.Error(`parse("") succeeded`)
			}
		})
	}
	a := topology.AccessAllow
	if err := json.Unmarshal([]byte(`"Maybe"`), &a); err == nil || a != topology.AccessAllow {
		t.Errorf(`Unmarshal("Maybe") = %v, left %v; want an error and no change`, err, a)
	}
	var nh topology.NextHopType
	if err := json.Unmarshal([]byte(`"VPNGateway"`), &nh); err != nil || nh != topology.NextHopVirtualNetworkGateway {
		t.Errorf(`Unmarshal("VPNGateway") = %v, %v`, nh, err)
	}
}

// TestAllowedInUDR follows reference §1.4: a user route may use only
// VirtualAppliance, VirtualNetworkGateway, VnetLocal, Internet and None.
func TestAllowedInUDR(t *testing.T) {
	allowed := map[topology.NextHopType]bool{topology.NextHopVirtualAppliance: true, topology.NextHopVirtualNetworkGateway: true,
		topology.NextHopVnetLocal: true, topology.NextHopInternet: true, topology.NextHopNone: true}
	all := topology.NextHopTypes()
	if len(all) != 11 || all[0] != topology.NextHopNone {
		t.Fatalf("NextHopTypes() = %v", all)
	}
	for _, nh := range all {
		if got := nh.AllowedInUDR(); got != allowed[nh] {
			t.Errorf("%v.AllowedInUDR() = %v", nh, got)
		}
	}
}

// FuzzParseNextHopType checks that ParseNextHopType never panics, that
// whatever it accepts is a declared constant that parses back to itself,
// and that errors quote the input.
func FuzzParseNextHopType(f *testing.F) {
	for _, nh := range topology.NextHopTypes() {
		f.Add(string(nh))
	}
	for _, s := range []string{"VNETLocal", "VirtualNetwork", "VirtualNetworkPeering", "VPNGateway", "Null",
		"vnetlocal", "", " ", "Vnetlocall", "MicrosoftEdge", "None\x00", "ınternet", "VİRTUALAPPLİANCE"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		nh, err := topology.ParseNextHopType(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "topology.ParseNextHopType(") || !strings.HasSuffix(err.Error(), "): unknown next hop type") {
				t.Fatalf("error %q does not name the call", err)
			}
			return
		}
		if !nh.IsValid() {
			t.Fatalf("ParseNextHopType(%q) = %q, not a declared constant", s, nh)
		}
		back, err := topology.ParseNextHopType(string(nh))
		if err != nil || back != nh {
			t.Fatalf("ParseNextHopType(%q) = %v; parsing it again gives %v, %v", s, nh, back, err)
		}
	})
}
