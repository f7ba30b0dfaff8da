package route

import (
	"github.com/vnetpath/vnetpath/topology"
	"testing"
)

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
		{rt("to-fw", SourceUser, topology.NextHopVirtualAppliance, "0.0.0.0/0"), "0.0.0.0/0 VirtualAppliance (User to-fw)"},
		{Route{Prefixes: prefixes("10.0.0.0/16"), NextHopType: topology.NextHopVirtualAppliance, NextHopIP: mpa("10.0.0.4"), Source: SourceUser, Name: "x"},
			"10.0.0.0/16 VirtualAppliance 10.0.0.4 (User x)"},
		{tagged(rt("st", SourceUser, topology.NextHopInternet, "1.0.0.0/8", "2.0.0.0/8", "3.0.0.0/8", "4.0.0.0/8", "5.0.0.0/8"), "Storage"),
			"1.0.0.0/8,2.0.0.0/8,3.0.0.0/8,... 2 more Internet (User st, tag Storage)"},
		{tagged(Route{Source: SourceUser}, "Storage"), "(no prefixes) None (User tag Storage)"},
	}
	for _, tc := range tests {
		if got := tc.in.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}
