package engine

import (
	"net/netip"
	"testing"

	"github.com/vnetpath/vnetpath/cidr"
)

// TestFirewallAtoms holds which sources share a memoised firewall
// evaluation: those inside or outside every rule's source set alike.
func TestFirewallAtoms(t *testing.T) {
	set := func(ps ...string) cidr.Set {
		var out []netip.Prefix
		for _, p := range ps {
			out = append(out, netip.MustParsePrefix(p))
		}
		return cidr.SetOf(out...)
	}
	c := &compiledFW{
		network: []fwRule{{src: matcher{set: set("10.1.0.0/16")}}, {src: matcher{set: set("10.0.0.0/8")}}},
		app:     []fwRule{{src: matcher{set: set("192.168.0.0/24")}}},
	}
	atom := func(s cidr.Set) int {
		a, ok := c.atomOf(s)
		if !ok {
			return -1
		}
		return a
	}
	same := [][2]cidr.Set{
		{set("10.1.2.0/24"), set("10.1.3.0/25")},
		{set("10.2.0.0/24"), set("10.200.0.0/16")},
		{set("11.0.0.0/24"), set("172.16.0.0/24")}, // between 10.0.0.0/8 and 192.168.0.0/24
	}
	for _, p := range same {
		if a, b := atom(p[0]), atom(p[1]); a < 0 || a != b {
			t.Errorf("%s and %s: atoms %d and %d, want one", p[0], p[1], a, b)
		}
	}
	apart := [][2]cidr.Set{
		{set("10.1.2.0/24"), set("10.2.0.0/24")},    // inside 10.1.0.0/16 or not
		{set("10.2.0.0/24"), set("11.0.0.0/24")},    // inside 10.0.0.0/8 or not
		{set("192.168.0.0/25"), set("8.8.8.8/32")},  // the application rule's source
		{set("8.8.8.8/32"), set("2001:db8::/64")},   // families never share an atom
		{set("11.0.0.0/24"), set("192.168.1.0/24")}, // on either side of a rule's range
	}
	for _, p := range apart {
		if a, b := atom(p[0]), atom(p[1]); a < 0 || b < 0 || a == b {
			t.Errorf("%s and %s: atoms %d and %d, want two", p[0], p[1], a, b)
		}
	}
	// A source a rule's set cuts has no atom: its parts are decided apart.
	for _, s := range []cidr.Set{set("10.0.0.0/7"), set("10.1.0.0/15"), set("10.1.0.0/24", "10.2.0.0/24"), {}} {
		if a, ok := c.atomOf(s); ok {
			t.Errorf("%s: atom %d, want none", s, a)
		}
	}
}
