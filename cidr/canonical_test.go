package cidr_test

import (
	"net/netip"
	"testing"

	"github.com/vnetpath/vnetpath/cidr"
)

func TestCanonical(t *testing.T) {
	tests := []struct {
		name string
		in   netip.Prefix
		want netip.Prefix
	}{
		{"masks host bits", netip.MustParsePrefix("10.0.0.1/24"), netip.MustParsePrefix("10.0.0.0/24")},
		{"keeps a canonical prefix", netip.MustParsePrefix("2001:db8::/32"), netip.MustParsePrefix("2001:db8::/32")},
		{"unmaps an IPv4-mapped prefix", netip.MustParsePrefix("::ffff:10.1.0.0/112"), netip.MustParsePrefix("10.1.0.0/16")},
		{"mapped prefix shorter than /96 has no IPv4 form", netip.MustParsePrefix("::ffff:0.0.0.0/80"), netip.Prefix{}},
		{"invalid stays invalid", netip.Prefix{}, netip.Prefix{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cidr.Canonical(tt.in); got != tt.want {
				t.Errorf("Canonical(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
