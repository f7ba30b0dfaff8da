package cidr

import (
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedStrings returns the string values of the given JSON keys (or of
// the strings in arrays under them) in a file of ../shared/testdata, at
// most max of them. It returns nothing when ../shared is absent: the
// fuzzers then start from their written seeds only.
func sharedStrings(rel string, max int, keys ...string) []string {
	data, err := os.ReadFile(filepath.Join("..", "..", "shared", "testdata", filepath.FromSlash(rel)))
	if err != nil {
		return nil
	}
	var doc any
	if json.Unmarshal(data, &doc) != nil {
		return nil
	}
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	var out []string
	var walk func(v any, take bool)
	walk = func(v any, take bool) {
		if len(out) >= max {
			return
		}
		switch v := v.(type) {
		case string:
			if take {
				out = append(out, v)
			}
		case []any:
			for _, e := range v {
				walk(e, take)
			}
		case map[string]any:
			for k, e := range v {
				walk(e, want[k])
			}
		}
	}
	walk(doc, false)
	return out
}

const (
	chinaTags = "servicetags/ServiceTags_China_20260720.json"
	armDir    = "armexamples/network/resource-manager/Microsoft.Network/stable/"
)

// addressSeeds are address tokens as Azure resources carry them: service
// tag prefixes (IPv4 and IPv6), NSG and firewall rule addresses, and
// written edge cases.
func addressSeeds() []string {
	seeds := []string{
		"10.0.0.0/16", "10.0.0.4", "0.0.0.0/0", "*", "any", "2001:db8::/64", "::ffff:10.0.0.0/104",
		"10.0.0.1/24", "192.168.1.1-192.168.1.12", "10.0.0.9-10.0.0.1", "fe80::1%eth0", "", " ",
		"300.1.1.1", "1.2.3.4/33", "::/0", "Storage.EastUS", "10.0.0.0/8,10.1.0.0/16", "-", "/", "1.2.3.4-",
	}
	seeds = append(seeds, sharedStrings(chinaTags, 300, "addressPrefixes")...)
	for _, f := range []string{"2025-03-01/examples/AzureFirewallGet.json", "2025-07-01/examples/NetworkSecurityGroupGet.json",
		"2025-07-01/examples/NetworkInterfaceEffectiveNSGList.json", "2025-03-01/examples/VirtualNetworkGet.json"} {
		seeds = append(seeds, sharedStrings(armDir+f, 100, "sourceAddresses", "destinationAddresses", "addressPrefix",
			"addressPrefixes", "sourceAddressPrefix", "destinationAddressPrefix", "expandedDestinationAddressPrefix")...)
	}
	return seeds
}

// FuzzParsePrefix checks that ParsePrefix never panics, that a prefix it
// accepts is canonical, unmapped and prints as a string that parses back
// to itself, and that an error names the call and the input.
func FuzzParsePrefix(f *testing.F) {
	for _, s := range addressSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePrefix(s)
		if err != nil {
			checkParseError(t, err, "cidr.ParsePrefix", s)
			return
		}
		if !p.IsValid() || p != p.Masked() || p.Addr().Is4In6() || p.Addr().Zone() != "" {
			t.Fatalf("ParsePrefix(%q) = %v: not a canonical prefix", s, p)
		}
		back, err := ParsePrefix(p.String())
		if err != nil || back != p {
			t.Fatalf("ParsePrefix(%q) = %v; ParsePrefix(%q) = %v, %v", s, p, p.String(), back, err)
		}
		if want, err := netip.ParsePrefix(strings.TrimSpace(s)); err == nil && want.Addr().Is4() && want != p {
			t.Fatalf("ParsePrefix(%q) = %v, netip says %v", s, p, want)
		}
	})
}

// FuzzParse checks Parse the same way, and that an address range parses
// to prefixes that cover exactly the range.
func FuzzParse(f *testing.F) {
	for _, s := range addressSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := Parse(s)
		if err != nil {
			checkParseError(t, err, "cidr.Parse", s)
			return
		}
		if len(ps) == 0 {
			t.Fatalf("Parse(%q) returned no prefixes and no error", s)
		}
		var b Builder
		for _, p := range ps {
			back, err := ParsePrefix(p.String())
			if err != nil || back != p {
				t.Fatalf("Parse(%q) gave %v, which does not round-trip: %v, %v", s, p, back, err)
			}
			b.AddPrefix(p)
		}
		set := b.Set()
		if from, to, ok := strings.Cut(strings.TrimSpace(s), "-"); ok {
			r := set.Ranges()
			if len(r) != 1 || r[0].From != netip.MustParseAddr(strings.TrimSpace(from)).Unmap() ||
				r[0].To != netip.MustParseAddr(strings.TrimSpace(to)).Unmap() {
				t.Fatalf("Parse(%q) = %v, which is not exactly the range", s, ps)
			}
		}
		// The union of what Parse accepts round-trips through ParseList.
		if list, err := ParseList(set.String()); err != nil || !list.Equal(set) {
			t.Fatalf("ParseList(%q) = %v, %v; want %v", set.String(), list, err, set)
		}
	})
}

// FuzzParseList checks that ParseList never panics and that its result
// round-trips through String.
func FuzzParseList(f *testing.F) {
	for _, s := range addressSeeds() {
		f.Add(s)
	}
	f.Add("10.0.0.0/24, 10.0.1.0/24,2001:db8::/32")
	f.Fuzz(func(t *testing.T, s string) {
		set, err := ParseList(s)
		if err != nil {
			checkParseError(t, err, "cidr.ParseList", s)
			return
		}
		back, err := ParseList(set.String())
		if set.IsEmpty() {
			t.Fatalf("ParseList(%q) accepted an empty list", s)
		}
		if err != nil || !back.Equal(set) {
			t.Fatalf("ParseList(%q) = %v; parsing %q again gives %v, %v", s, set, set.String(), back, err)
		}
	})
}

// FuzzParsePortRange checks that ParsePortRange never panics and that what
// it accepts prints as a string that parses back to the same range.
func FuzzParsePortRange(f *testing.F) {
	for _, s := range []string{"*", "any", "443", "80-443", "0-65535", "65536", "443-80", "", "-", "1-2-3", " 22 ", "00080", "+1", "1e3"} {
		f.Add(s)
	}
	for _, s := range sharedStrings(armDir+"2025-07-01/examples/NetworkSecurityGroupGet.json", 50,
		"sourcePortRange", "destinationPortRange", "sourcePortRanges", "destinationPortRanges") {
		f.Add(s)
	}
	for _, s := range sharedStrings(armDir+"2025-03-01/examples/AzureFirewallGet.json", 50, "destinationPorts") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParsePortRange(s)
		if err != nil {
			checkParseError(t, err, "cidr.ParsePortRange", s)
			return
		}
		if r.Hi < r.Lo {
			t.Fatalf("ParsePortRange(%q) = %v: reversed", s, r)
		}
		back, err := ParsePortRange(r.String())
		if err != nil || back != r {
			t.Fatalf("ParsePortRange(%q) = %v; parsing %q again gives %v, %v", s, r, r.String(), back, err)
		}
		if ps, err := ParsePorts(s); err != nil || len(ps) != 1 || ps[0] != r {
			t.Fatalf("ParsePorts(%q) = %v, %v; ParsePortRange gave %v", s, ps, err, r)
		}
	})
}

func checkParseError(t *testing.T, err error, fn, in string) {
	t.Helper()
	pe, ok := err.(*ParseError)
	if !ok || pe.Func != fn || pe.Input != in || pe.Msg == "" {
		t.Fatalf("%s(%q): error %#v does not name the call and the input", fn, in, err)
	}
	if !strings.HasPrefix(err.Error(), quote(in)+": ") {
		t.Fatalf("%s(%q): error %q does not start with the input", fn, in, err)
	}
}
