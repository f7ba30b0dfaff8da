package cidr

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

var (
	mpa = netip.MustParseAddr
	mpp = netip.MustParsePrefix
)

func TestParsePrefix(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"10.0.0.0/16", "10.0.0.0/16"},
		{" 10.0.0.0/16\t", "10.0.0.0/16"},
		{"10.0.0.4", "10.0.0.4/32"},
		{"0.0.0.0/0", "0.0.0.0/0"},
		{"255.255.255.255/32", "255.255.255.255/32"},
		{"2001:db8::/64", "2001:db8::/64"},
		{"2001:DB8::1", "2001:db8::1/128"},
		{"::/0", "::/0"},
		{"::ffff:10.0.0.0/104", "10.0.0.0/8"},
		{"::ffff:10.1.2.3", "10.1.2.3/32"},
		{"::ffff:10.1.2.3/128", "10.1.2.3/32"},
	}
	for _, tc := range tests {
		got, err := ParsePrefix(tc.in)
		if err != nil || got.String() != tc.want {
			t.Errorf("ParsePrefix(%q) = %v, %v; want %s", tc.in, got, err, tc.want)
		}
	}
}

func TestParsePrefixErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", `"": empty address`},
		{"blank", "  ", `"  ": empty address`},
		{"non_canonical_names_the_network", "10.0.0.1/24", `"10.0.0.1/24": not canonical: host bits are set (the network is 10.0.0.0/24)`},
		{"non_canonical_ipv6", "2001:db8::1/64", `"2001:db8::1/64": not canonical: host bits are set (the network is 2001:db8::/64)`},
		{"non_canonical_mapped", "::ffff:10.0.0.1/104", `"::ffff:10.0.0.1/104": not canonical: host bits are set (the network is 10.0.0.0/8)`},
		{"bits_too_long", "10.0.0.0/33", `"10.0.0.0/33": not an IP address or CIDR prefix`},
		{"bad_octet", "300.0.0.0/8", `"300.0.0.0/8": not an IP address or CIDR prefix`},
		{"leading_zero", "010.0.0.1", `"010.0.0.1": not an IP address or CIDR prefix`},
		{"star_is_not_a_prefix", "*", `"*": not an IP address or CIDR prefix`},
		{"service_tag", "Storage.EastUS", `"Storage.EastUS": not an IP address or CIDR prefix`},
		{"zone", "fe80::1%eth0", `"fe80::1%eth0": IPv6 zones are not allowed`},
		{"zone_in_prefix", "fe80::%eth0/64", `"fe80::%eth0/64": not an IP address or CIDR prefix`},
		{"mapped_shorter_than_96", "::ffff:0.0.0.0/95", `"::ffff:0.0.0.0/95": IPv4-mapped prefix shorter than /96`},
		{"range", "10.0.0.1-10.0.0.9", `"10.0.0.1-10.0.0.9": not an IP address or CIDR prefix`},
		{"negative_bits", "10.0.0.0/-1", `"10.0.0.0/-1": not an IP address or CIDR prefix`},
		{"long_input_is_cut", strings.Repeat("x", 200), `"` + strings.Repeat("x", 120) + `...": not an IP address or CIDR prefix`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParsePrefix(tc.in)
			if err == nil {
				t.Fatalf("ParsePrefix(%q) = %v, want an error", tc.in, p)
			}
			if err.Error() != tc.want {
				t.Errorf("error %q\nwant  %q", err, tc.want)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Func != "cidr.ParsePrefix" || pe.Input != tc.in {
				t.Errorf("error %#v is not a *ParseError naming the call and input", err)
			}
		})
	}
}

func TestMustParsePrefix(t *testing.T) {
	if got := MustParsePrefix("10.0.0.0/8"); got != mpp("10.0.0.0/8") {
		t.Errorf("MustParsePrefix = %v", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("MustParsePrefix(bad) did not panic")
		}
	}()
	MustParsePrefix("10.0.0.1/8")
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"*", []string{"0.0.0.0/0", "::/0"}},
		{"any", []string{"0.0.0.0/0", "::/0"}},
		{" Any ", []string{"0.0.0.0/0", "::/0"}},
		{"10.0.0.0/8", []string{"10.0.0.0/8"}},
		{"10.0.0.4", []string{"10.0.0.4/32"}},
		{"192.168.1.1-192.168.1.12", []string{"192.168.1.1/32", "192.168.1.2/31", "192.168.1.4/30", "192.168.1.8/30", "192.168.1.12/32"}},
		{"10.0.0.0 - 10.0.0.255", []string{"10.0.0.0/24"}},
		{"10.0.0.7-10.0.0.7", []string{"10.0.0.7/32"}},
		{"2001:db8::-2001:db8::3", []string{"2001:db8::/126"}},
		{"::ffff:10.0.0.0-10.0.0.1", []string{"10.0.0.0/31"}},
	}
	for _, tc := range tests {
		ps, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		var got []string
		for _, p := range ps {
			got = append(got, p.String())
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Parse(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"reversed_range", "10.0.0.9-10.0.0.1", `"10.0.0.9-10.0.0.1": address range is empty, reversed or mixes IPv4 and IPv6`},
		{"mixed_families", "10.0.0.1-2001:db8::1", `"10.0.0.1-2001:db8::1": address range is empty, reversed or mixes IPv4 and IPv6`},
		{"half_range", "10.0.0.1-", `"10.0.0.1-": not an address range FROM-TO`},
		{"non_canonical", "10.0.0.1/24", `"10.0.0.1/24": not canonical: host bits are set (the network is 10.0.0.0/24)`},
		{"empty", "", `"": empty address`},
		{"tag", "AzureCloud", `"AzureCloud": not an IP address or CIDR prefix`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.in)
			if err == nil || err.Error() != tc.want {
				t.Errorf("Parse(%q) error = %v\nwant %s", tc.in, err, tc.want)
			}
		})
	}
}

func TestParseList(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"10.0.0.0/24, 10.0.1.0/24", "10.0.0.0/23"},
		{"10.0.0.4,10.0.0.5", "10.0.0.4/31"},
		{"10.0.0.0/8,10.1.0.0/16", "10.0.0.0/8"},
		{"2001:db8::/32, 10.0.0.0/8", "10.0.0.0/8,2001:db8::/32"},
		{"*", "0.0.0.0/0,::/0"},
		{"10.0.0.1-10.0.0.2", "10.0.0.1,10.0.0.2"},
	}
	for _, tc := range tests {
		s, err := ParseList(tc.in)
		if err != nil || s.String() != tc.want {
			t.Errorf("ParseList(%q) = %v, %v; want %s", tc.in, s, err, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"10.0.0.0/24, 10.0.1.1/24", `"10.0.0.0/24, 10.0.1.1/24": "10.0.1.1/24": not canonical: host bits are set (the network is 10.0.1.0/24)`},
		{"10.0.0.0/24,,10.0.2.0/24", `"10.0.0.0/24,,10.0.2.0/24": "": empty address`},
		{"", `"": empty address`}, // a list of one field says it once
	} {
		_, err := ParseList(tc.in)
		if err == nil || err.Error() != tc.want {
			t.Errorf("ParseList(%q) error = %v\nwant %s", tc.in, err, tc.want)
		}
	}
}

func TestIsAddress(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"10.0.0.0/8", true},
		{"10.0.0.4", true},
		{"10.0.0.1-10.0.0.9", true},
		{"2001:db8::/32", true},
		{"::1", true},
		{"*", true},
		{"Any", true},
		{" 10.0.0.0/8 ", true},
		{"10.0.0.1/24", true}, // looks like an address; parsing rejects it
		{"", false},
		{"AzureCloud", false},
		{"Storage.EastUS", false},
		{"AzureCloud.eastus2", false},
		{"VirtualNetwork", false},
		{"login.microsoftonline.com", false},
		{"1e100.net", false},
		{"3com.example", false},
	}
	for _, tc := range tests {
		if got := IsAddress(tc.in); got != tc.want {
			t.Errorf("IsAddress(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
