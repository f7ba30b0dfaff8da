package route

import (
	"encoding/json"
	"strconv"
	"testing"
)

func TestParseNextHopType(t *testing.T) {
	tests := []struct {
		in   string
		want NextHopType
	}{
		{"None", NextHopNone},
		{"Null", NextHopNone},
		{"VnetLocal", VnetLocal},
		{"VNETLocal", VnetLocal},
		{"VirtualNetwork", VnetLocal},
		{"vnetlocal", VnetLocal},
		{"VNetPeering", VNetPeering},
		{"VirtualNetworkPeering", VNetPeering},
		{"VNetGlobalPeering", VNetGlobalPeering},
		{"VirtualNetworkGateway", VirtualNetworkGateway},
		{"VPNGateway", VirtualNetworkGateway},
		{"Internet", Internet},
		{"INTERNET", Internet},
		{"VirtualAppliance", VirtualAppliance},
		{"VirtualNetworkServiceEndpoint", VirtualNetworkServiceEndpoint},
		{"InterfaceEndpoint", InterfaceEndpoint},
		{"ConnectedGroup", ConnectedGroup},
		{"VirtualApplianceEcmp", VirtualApplianceEcmp},
	}
	for _, tc := range tests {
		got, err := ParseNextHopType(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseNextHopType(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"", "Vnetlocall", " VnetLocal", "MicrosoftEdge", "HyperNetGateway", "0"} {
		_, err := ParseNextHopType(in)
		want := `route.ParseNextHopType(` + strconv.Quote(in) + `): unknown next hop type`
		if err == nil || err.Error() != want {
			t.Errorf("ParseNextHopType(%q) error = %v, want %s", in, err, want)
		}
	}
}

func TestNextHopTypeText(t *testing.T) {
	want := []string{"None", "VnetLocal", "VNetPeering", "VNetGlobalPeering", "VirtualNetworkGateway", "Internet",
		"VirtualAppliance", "VirtualNetworkServiceEndpoint", "InterfaceEndpoint", "ConnectedGroup", "VirtualApplianceEcmp"}
	if len(want) != int(numNextHopTypes) {
		t.Fatalf("%d names for %d types", len(want), numNextHopTypes)
	}
	for i, name := range want {
		nh := NextHopType(i)
		if nh.String() != name {
			t.Errorf("NextHopType(%d).String() = %q, want %q", i, nh, name)
		}
		b, err := json.Marshal(nh)
		if err != nil || string(b) != `"`+name+`"` {
			t.Errorf("json.Marshal(%v) = %s, %v", nh, b, err)
		}
		var back NextHopType = 99
		if err := json.Unmarshal(b, &back); err != nil || back != nh {
			t.Errorf("json round trip of %v gives %v, %v", nh, back, err)
		}
	}
	bad := NextHopType(42)
	if bad.String() != "NextHopType(42)" || bad.IsValid() {
		t.Errorf("NextHopType(42): %q, valid %v", bad, bad.IsValid())
	}
	if _, err := json.Marshal(bad); err == nil {
		t.Error("json.Marshal(NextHopType(42)) succeeded")
	}
	var nh NextHopType = Internet
	if err := nh.UnmarshalText([]byte("")); err == nil || nh != Internet {
		t.Errorf(`UnmarshalText("") = %v, left %v; want an error and no change`, err, nh)
	}
}

func TestAllowedInUDR(t *testing.T) {
	allowed := map[NextHopType]bool{VirtualAppliance: true, VirtualNetworkGateway: true, VnetLocal: true, Internet: true, NextHopNone: true}
	for nh := range numNextHopTypes {
		if got := nh.AllowedInUDR(); got != allowed[nh] {
			t.Errorf("%v.AllowedInUDR() = %v", nh, got)
		}
	}
}

func TestSource(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Source
	}{{"Default", SourceDefault}, {"user", SourceUser}, {"VirtualNetworkGateway", SourceGateway}} {
		got, err := ParseSource(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseSource(%q) = %v, %v", tc.in, got, err)
		}
		b, _ := got.MarshalText()
		var back Source
		if err := back.UnmarshalText(b); err != nil || back != got {
			t.Errorf("text round trip of %v: %v, %v", got, back, err)
		}
	}
	_, err := ParseSource("Unknown")
	if err == nil || err.Error() != `route.ParseSource("Unknown"): unknown route source` {
		t.Errorf("ParseSource(Unknown) error = %v", err)
	}
	if s := Source(7); s.String() != "Source(7)" || s.IsValid() {
		t.Errorf("Source(7) = %q", s)
	}
	if _, err := Source(7).MarshalText(); err == nil {
		t.Error("Source(7).MarshalText succeeded")
	}
}

func TestState(t *testing.T) {
	for _, s := range []State{Active, Invalid} {
		b, err := s.MarshalText()
		var back State = 9
		if err != nil || back.UnmarshalText(b) != nil || back != s {
			t.Errorf("text round trip of %v: %s %v → %v", s, b, err, back)
		}
	}
	if Active.String() != "Active" || Invalid.String() != "Invalid" || State(5).String() != "State(5)" {
		t.Error("State.String")
	}
	if _, err := State(5).MarshalText(); err == nil {
		t.Error("State(5).MarshalText succeeded")
	}
	var s State
	if err := s.UnmarshalText([]byte("Disabled")); err == nil || err.Error() != `route.State.UnmarshalText("Disabled"): unknown route state` {
		t.Errorf("UnmarshalText(Disabled) = %v", err)
	}
}

func TestRouteString(t *testing.T) {
	tests := []struct {
		in   Route
		want string
	}{
		{Route{}, "(no prefixes) None (Default)"},
		{rt("to-fw", SourceUser, VirtualAppliance, "0.0.0.0/0"), "0.0.0.0/0 VirtualAppliance (User to-fw)"},
		{Route{Prefixes: prefixes("10.0.0.0/16"), NextHopType: VirtualAppliance, NextHopIP: mpa("10.0.0.4"), Source: SourceUser, Name: "x"},
			"10.0.0.0/16 VirtualAppliance 10.0.0.4 (User x)"},
		{tagged(rt("st", SourceUser, Internet, "1.0.0.0/8", "2.0.0.0/8", "3.0.0.0/8", "4.0.0.0/8", "5.0.0.0/8"), "Storage"),
			"1.0.0.0/8,2.0.0.0/8,3.0.0.0/8,... 2 more Internet (User st, tag Storage)"},
		{tagged(Route{Source: SourceUser}, "Storage"), "(no prefixes) None (User tag Storage)"},
	}
	for _, tc := range tests {
		if got := tc.in.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}
