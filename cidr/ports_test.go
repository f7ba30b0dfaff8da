package cidr

import (
	"slices"
	"testing"
)

func TestParsePortRange(t *testing.T) {
	tests := []struct {
		in   string
		want PortRange
	}{
		{"*", AllPorts},
		{"any", AllPorts},
		{"Any", AllPorts},
		{"443", PortRange{443, 443}},
		{" 443 ", PortRange{443, 443}},
		{"0", PortRange{0, 0}},
		{"65535", PortRange{65535, 65535}},
		{"80-443", PortRange{80, 443}},
		{"80 - 443", PortRange{80, 443}},
		{"0-65535", AllPorts},
		{"22-22", PortRange{22, 22}},
		{"00443", PortRange{443, 443}},
	}
	for _, tc := range tests {
		got, err := ParsePortRange(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParsePortRange(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestParsePortRangeErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", `"": missing port number`},
		{"too_big", "65536", `"65536": port out of range 0-65535`},
		{"huge", "99999999999999999999", `"99999999999999999999": port out of range 0-65535`},
		{"reversed", "443-80", `"443-80": range is reversed`},
		{"negative", "-1", `"-1": missing port number`},
		{"open_end", "80-", `"80-": missing port number`},
		{"two_dashes", "1-2-3", `"1-2-3": not a port number or range`},
		{"name", "https", `"https": not a port number or range`},
		{"plus", "+80", `"+80": not a port number or range`},
		{"list", "80,443", `"80,443": not a port number or range`},
		{"star_in_range", "*-80", `"*-80": not a port number or range`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParsePortRange(tc.in)
			if err == nil || err.Error() != tc.want {
				t.Errorf("ParsePortRange(%q) = %v, %v\nwant error %s", tc.in, r, err, tc.want)
			}
		})
	}
}

func TestParsePorts(t *testing.T) {
	got, err := ParsePorts("80, 443,8000-8080")
	if want := []PortRange{{80, 80}, {443, 443}, {8000, 8080}}; err != nil || !slices.Equal(got, want) {
		t.Errorf("ParsePorts = %v, %v; want %v", got, err, want)
	}
	for _, tc := range []struct{ in, want string }{
		{"80,,443", `"80,,443": "": missing port number`},
		{"80,70000", `"80,70000": "70000": port out of range 0-65535`},
		{"", `"": missing port number`}, // a list of one field says it once
		{" 70000 ", `" 70000 ": port out of range 0-65535`},
	} {
		if _, err := ParsePorts(tc.in); err == nil || err.Error() != tc.want {
			t.Errorf("ParsePorts(%q) error = %v\nwant %s", tc.in, err, tc.want)
		}
	}
}

func TestPortRange(t *testing.T) {
	tests := []struct {
		r     PortRange
		str   string
		all   bool
		in    []uint16
		notIn []uint16
	}{
		{AllPorts, "*", true, []uint16{0, 443, 65535}, nil},
		{PortRangeFrom(443), "443", false, []uint16{443}, []uint16{442, 444}},
		{PortRange{80, 443}, "80-443", false, []uint16{80, 200, 443}, []uint16{79, 444}},
		{PortRange{}, "0", false, []uint16{0}, []uint16{1}},
	}
	for _, tc := range tests {
		if tc.r.String() != tc.str || tc.r.IsAll() != tc.all {
			t.Errorf("%v: String %q, IsAll %v", tc.r, tc.r.String(), tc.r.IsAll())
		}
		for _, p := range tc.in {
			if !tc.r.Contains(p) {
				t.Errorf("%v does not contain %d", tc.r, p)
			}
		}
		for _, p := range tc.notIn {
			if tc.r.Contains(p) {
				t.Errorf("%v contains %d", tc.r, p)
			}
		}
		back, err := ParsePortRange(tc.r.String())
		if err != nil || back != tc.r {
			t.Errorf("ParsePortRange(%q) = %v, %v", tc.r.String(), back, err)
		}
	}
	rs := []PortRange{{80, 80}, {8000, 8080}}
	for p, want := range map[uint16]bool{80: true, 81: false, 8000: true, 8080: true, 8081: false} {
		if got := PortsContain(rs, p); got != want {
			t.Errorf("PortsContain(%v, %d) = %v", rs, p, got)
		}
	}
	if PortsContain(nil, 80) {
		t.Error("PortsContain(nil, 80) = true")
	}
}
