package servicetags_test

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vnetpath/vnetpath/servicetags"
)

var (
	mpa = netip.MustParseAddr
	mpp = netip.MustParsePrefix
)

func matchStrings(ms []servicetags.Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Tag+" "+m.Prefix.String())
	}
	return out
}

func TestLookup(t *testing.T) {
	c := mustParse(t, servicetags.MiniJSON)
	tests := []struct {
		addr string
		want []string
	}{
		// Longest prefix first; at equal length regional before global.
		{"20.1.4.200", []string{"AzureActiveDirectory 20.1.4.128/25", "Storage.EastUS 20.1.4.0/24", "AzureCloud.eastus 20.1.0.0/16", "AzureCloud 20.0.0.0/8"}},
		{"20.1.4.1", []string{"Storage.EastUS 20.1.4.0/24", "AzureCloud.eastus 20.1.0.0/16", "AzureCloud 20.0.0.0/8"}},
		{"20.1.5.1", []string{"AzureMachineLearning.EastUS 20.1.5.0/26", "AzureMachineLearning 20.1.5.0/24", "AzureCloud.eastus 20.1.0.0/16", "AzureCloud 20.0.0.0/8"}},
		{"20.2.9.9", []string{"Storage.WestUS 20.2.9.0/24", "AzureCloud.westus 20.2.0.0/16", "AzureCloud 20.0.0.0/8"}},
		{"20.9.9.9", []string{"AzureCloud 20.0.0.0/8"}},
		{"40.126.1.1", []string{"AzureActiveDirectory 40.126.0.0/18"}},
		{"2603:1030:4::5", []string{"Storage.EastUS 2603:1030:4::/48", "AzureCloud.eastus 2603:1030::/32", "AzureCloud 2603:1000::/24"}},
		{"::ffff:20.9.9.9", []string{"AzureCloud 20.0.0.0/8"}}, // IPv4-mapped: looked up as IPv4
		{"10.0.0.1", nil},
		{"2001:db8::1", nil},
	}
	for _, tc := range tests {
		if got := matchStrings(c.Lookup(mpa(tc.addr))); !slices.Equal(got, tc.want) {
			t.Errorf("Lookup(%s) = %q, want %q", tc.addr, got, tc.want)
		}
		buf := make([]servicetags.Match, 1, 8)
		if got := matchStrings(c.AppendLookup(buf, mpa(tc.addr))[1:]); !slices.Equal(got, tc.want) {
			t.Errorf("AppendLookup(%s) = %q, want %q", tc.addr, got, tc.want)
		}
	}
	if got := c.Lookup(netip.Addr{}); got != nil {
		t.Errorf("Lookup(invalid) = %v, want nil", got)
	}
}

func TestLookupPrefix(t *testing.T) {
	c := mustParse(t, servicetags.MiniJSON)
	tests := []struct {
		prefix string
		want   []string
	}{
		{"20.1.4.0/24", []string{"Storage.EastUS 20.1.4.0/24", "AzureCloud.eastus 20.1.0.0/16", "AzureCloud 20.0.0.0/8"}},
		{"20.1.4.0/23", []string{"AzureCloud.eastus 20.1.0.0/16", "AzureCloud 20.0.0.0/8"}}, // only part is in Storage.EastUS
		{"20.1.4.192/26", []string{"AzureActiveDirectory 20.1.4.128/25", "Storage.EastUS 20.1.4.0/24", "AzureCloud.eastus 20.1.0.0/16", "AzureCloud 20.0.0.0/8"}},
		{"20.0.0.0/7", nil},
		{"2603:1030::/32", []string{"AzureCloud.eastus 2603:1030::/32", "AzureCloud 2603:1000::/24"}},
		{"::ffff:20.2.0.0/112", []string{"AzureCloud.westus 20.2.0.0/16", "AzureCloud 20.0.0.0/8"}},
	}
	for _, tc := range tests {
		if got := matchStrings(c.LookupPrefix(mpp(tc.prefix))); !slices.Equal(got, tc.want) {
			t.Errorf("LookupPrefix(%s) = %q, want %q", tc.prefix, got, tc.want)
		}
	}
	// Host bits are masked first.
	if got := matchStrings(c.LookupPrefix(netip.PrefixFrom(mpa("20.2.9.9"), 24))); len(got) != 3 || got[0] != "Storage.WestUS 20.2.9.0/24" {
		t.Errorf("LookupPrefix(20.2.9.9/24) = %q", got)
	}
	if got := c.LookupPrefix(netip.Prefix{}); got != nil {
		t.Errorf("LookupPrefix(invalid) = %v, want nil", got)
	}
}

func TestLookupReport(t *testing.T) {
	c := mustParse(t, servicetags.MiniJSON)
	r := c.LookupReport(mpp("20.1.4.200/32"))
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"address":"20.1.4.200","tags":[` +
		`{"name":"AzureActiveDirectory","region":"","systemService":"AzureAD","prefix":"20.1.4.128/25"},` +
		`{"name":"Storage.EastUS","region":"eastus","systemService":"AzureStorage","prefix":"20.1.4.0/24"},` +
		`{"name":"AzureCloud.eastus","region":"eastus","systemService":"","prefix":"20.1.0.0/16"},` +
		`{"name":"AzureCloud","region":"","systemService":"","prefix":"20.0.0.0/8"}],` +
		`"cloud":"Public","changeNumber":7}`
	if string(b) != want {
		t.Errorf("report JSON\n got %s\nwant %s", b, want)
	}
	r = c.LookupReport(mpp("10.0.0.0/8"))
	if b, _ := json.Marshal(r); string(b) != `{"address":"10.0.0.0/8","tags":[],"cloud":"Public","changeNumber":7}` {
		t.Errorf("report for a miss = %s", b)
	}
}

func TestTag(t *testing.T) {
	c := mustParse(t, servicetags.MiniJSON)
	for _, tc := range []struct{ query, want string }{
		{"Storage.EastUS", "Storage.EastUS"},
		{"storage.eastus", "Storage.EastUS"},
		{"STORAGE.EASTUS", "Storage.EastUS"},
		{"AzureCloud.EastUS", "AzureCloud.eastus"},
		{"azurefrontdoor.frontend", "AzureFrontDoor.Frontend"},
		{"Storage", ""}, // no global entry: Tag does not resolve regions
		{"VirtualNetwork", ""},
		{"", ""},
	} {
		got, ok := c.Tag(tc.query)
		if ok != (tc.want != "") || got.Name != tc.want {
			t.Errorf("Tag(%q) = %q, %v; want %q", tc.query, got.Name, ok, tc.want)
		}
	}
	// The Tag is a copy.
	a, _ := c.Tag("AzureCloud")
	a.Prefixes[0] = mpp("1.0.0.0/8")
	if b, _ := c.Tag("AzureCloud"); b.Prefixes[0] != mpp("20.0.0.0/8") {
		t.Errorf("changing a returned Tag changed the catalog: %v", b.Prefixes)
	}
}

func TestAll(t *testing.T) {
	c := mustParse(t, servicetags.MiniJSON)
	names := tagNames(c)
	if len(names) != c.Len() || !slices.IsSortedFunc(names, func(a, b string) int { return cmp.Compare(strings.ToLower(a), strings.ToLower(b)) }) {
		t.Errorf("All() = %q: want %d names sorted case-insensitively", names, c.Len())
	}
	n := 0
	for range c.All() {
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Errorf("break after 2: ran %d times", n)
	}
}

func TestExpand(t *testing.T) {
	c := mustParse(t, servicetags.MiniJSON)
	tests := []struct {
		name string
		want string // the set's String(), or the error
	}{
		{"Storage.EastUS", "20.1.4.0/24,2603:1030:4::/48"},
		{"storage.eastus", "20.1.4.0/24,2603:1030:4::/48"},
		{"Storage", "20.1.4.0/24,20.2.8.0/23,2603:1030:4::/48"}, // no global entry: the union of its regions
		{"AzureCloud", "20.0.0.0/8,2603:1000::/24"},             // the global entry, not a union
		{"AzureCloud.westus", "20.2.0.0/16"},
		{"AzureFrontDoor.Frontend", "13.107.246.0/24"},
		{"AzureFrontDoor", `"AzureFrontDoor": unknown service tag`},
		{"Storage.Mars", `"Storage.Mars": unknown service tag`},
		{"VirtualNetwork", `"VirtualNetwork": contextual tag: its addresses depend on the subnet and never come from the catalog`},
		{"internet", `"internet": contextual tag: its addresses depend on the subnet and never come from the catalog`},
		{"AzurePlatformDNS", `"AzurePlatformDNS": platform tag: not published in service-tag files`},
	}
	for _, tc := range tests {
		s, err := c.Expand(tc.name)
		got := s.String()
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("Expand(%q) = %s, want %s", tc.name, got, tc.want)
		}
	}
	for _, tc := range []struct {
		name string
		want error
	}{{"Nope", servicetags.ErrUnknownTag}, {"AzureLoadBalancer", servicetags.ErrVirtualTag}, {"azureplatformimds", servicetags.ErrPlatformTag}} {
		_, err := c.Expand(tc.name)
		var te *servicetags.TagError
		if !errors.Is(err, tc.want) || !errors.As(err, &te) || te.Name != tc.name {
			t.Errorf("Expand(%q) error = %v, want a *TagError wrapping %v", tc.name, err, tc.want)
		}
	}
}

func TestResolveUnion(t *testing.T) {
	c := mustParse(t, servicetags.MiniJSON)
	tg, err := c.Resolve("storage")
	if err != nil {
		t.Fatal(err)
	}
	if tg.Name != "Storage" || tg.Region != "" || tg.SystemService != "AzureStorage" || tg.Features.String() != "API,NSG,UDR,FW" {
		t.Errorf("Resolve(storage) = %+v", tg)
	}
	if got := fmt.Sprint(tg.Prefixes); got != "[20.1.4.0/24 20.2.8.0/23 2603:1030:4::/48]" {
		t.Errorf("Resolve(storage) prefixes = %s", got)
	}
	if _, err := c.Resolve("Internet"); !errors.Is(err, servicetags.ErrVirtualTag) {
		t.Errorf("Resolve(Internet) error = %v", err)
	}
}

func TestCheckUse(t *testing.T) {
	c := mustParse(t, servicetags.MiniJSON)
	F := servicetags.FeatureNSG
	tests := []struct {
		name  string
		where servicetags.Feature
		want  string // "" for nil
	}{
		{"AzureCloud", servicetags.FeatureNSG, ""},
		{"AzureCloud", servicetags.FeatureUDR, `service tag "AzureCloud": the tag cannot be used in a route table (the catalog lists API,NSG)`},
		{"AzureCloud.eastus", servicetags.FeatureFW, `service tag "AzureCloud.eastus": the tag cannot be used in an Azure Firewall rule (the catalog lists API,NSG)`},
		{"Storage.EastUS", servicetags.FeatureUDR | servicetags.FeatureFW, ""},
		{"Storage.EastUS", servicetags.FeatureVSE, `service tag "Storage.EastUS": the tag cannot be used in a service endpoint (the catalog lists API,NSG,UDR,FW)`},
		{"Storage", servicetags.FeatureUDR, ""},                     // union: the features all regions list
		{"AzureMachineLearning.EastUS", servicetags.FeatureUDR, ""}, // null: inherits from AzureMachineLearning
		{"LegacyThing", F, `service tag "LegacyThing": the catalog lists no network features for the tag, so it may not be usable in an NSG rule`},
		{"Nope", F, `service tag "Nope": unknown service tag`},
		{"VirtualNetwork", F, ""},
		{"AzureLoadBalancer", F, ""},
		{"Internet", servicetags.FeatureUDR, `service tag "Internet": the tag cannot be used in a route table (the catalog lists NSG)`},
		{"AzurePlatformDNS", F, ""},
		{"AzurePlatformDNS", servicetags.FeatureFW, `service tag "AzurePlatformDNS": the tag cannot be used in an Azure Firewall rule (the catalog lists NSG)`},
		{"AzureCloud", 0, ""},
	}
	for _, tc := range tests {
		err := c.CheckUse(tc.name, tc.where)
		got := ""
		if err != nil {
			got = err.Error()
			var ue *servicetags.UseError
			if !errors.As(err, &ue) || ue.Tag != tc.name || ue.Use != tc.where {
				t.Errorf("CheckUse(%q, %v) = %#v, want a *UseError naming the tag and use", tc.name, tc.where, err)
			}
		}
		if got != tc.want {
			t.Errorf("CheckUse(%q, %v)\n got %s\nwant %s", tc.name, tc.where, got, tc.want)
		}
	}
	if err := c.CheckUse("Nope", F); !errors.Is(err, servicetags.ErrUnknownTag) {
		t.Errorf("unknown tag: %v does not wrap ErrUnknownTag", err)
	}
}

func TestRegion(t *testing.T) {
	for _, tc := range []struct{ name, base, region string }{
		{"Storage.EastUS", "Storage", "EastUS"},
		{"AzureCloud.centralus", "AzureCloud", "centralus"},
		{"Storage", "Storage", ""},
		{"AzureFrontDoor.Frontend", "AzureFrontDoor.Frontend", ""},
		{"AzureFrontDoor.FirstParty", "AzureFrontDoor.FirstParty", ""},
		{"AzureActiveDirectory.ServiceEndpoint", "AzureActiveDirectory.ServiceEndpoint", ""},
		{"AzureMonitor.Core", "AzureMonitor.Core", ""},
		{"Storage.", "Storage.", ""},
		{".eastus", ".eastus", ""},
		{"", "", ""},
	} {
		if b, r := servicetags.Region(tc.name); b != tc.base || r != tc.region {
			t.Errorf("Region(%q) = %q, %q; want %q, %q", tc.name, b, r, tc.base, tc.region)
		}
	}
}

func TestVirtualAndPlatform(t *testing.T) {
	for _, tc := range []struct {
		name              string
		virtual, platform bool
	}{
		{"VirtualNetwork", true, false}, {"virtualnetwork", true, false}, {"INTERNET", true, false},
		{"AzureLoadBalancer", true, false}, {"AzurePlatformDNS", false, true}, {"azureplatformimds", false, true},
		{"AzurePlatformLKM", false, true}, {"AzureCloud", false, false}, {"VirtualNetwork.eastus", false, false},
	} {
		if servicetags.IsVirtual(tc.name) != tc.virtual || servicetags.IsPlatform(tc.name) != tc.platform {
			t.Errorf("%q: IsVirtual %v IsPlatform %v, want %v %v", tc.name,
				servicetags.IsVirtual(tc.name), servicetags.IsPlatform(tc.name), tc.virtual, tc.platform)
		}
	}
}

func TestNilCatalog(t *testing.T) {
	var c *servicetags.Catalog
	if c.Len() != 0 || c.Cloud() != "" || c.ChangeNumber() != 0 || c.Lookup(mpa("1.2.3.4")) != nil ||
		c.LookupPrefix(mpp("1.2.3.0/24")) != nil || c.Warnings() != nil || len(tagNames(c)) != 0 {
		t.Error("a nil catalog is not empty")
	}
	if _, err := c.Expand("Storage"); !errors.Is(err, servicetags.ErrUnknownTag) {
		t.Errorf("nil Expand: %v", err)
	}
	if _, ok := c.Tag("Storage"); ok {
		t.Error("nil Tag found something")
	}
}

// slowLookup is the reference: for every tag, its longest prefix holding
// a; sorted by length, regional first, then name.
func slowLookup(tags []servicetags.Tag, a netip.Addr) []string {
	type m struct {
		t servicetags.Tag
		p netip.Prefix
	}
	var ms []m
	for _, t := range tags {
		best := netip.Prefix{}
		for _, p := range t.Prefixes {
			if p.Contains(a) && (!best.IsValid() || p.Bits() > best.Bits()) {
				best = p
			}
		}
		if best.IsValid() {
			ms = append(ms, m{t, best})
		}
	}
	slices.SortFunc(ms, func(x, y m) int {
		if c := cmp.Compare(y.p.Bits(), x.p.Bits()); c != 0 {
			return c
		}
		if x.t.IsRegional() != y.t.IsRegional() {
			if x.t.IsRegional() {
				return -1
			}
			return 1
		}
		return cmp.Compare(strings.ToLower(x.t.Name), strings.ToLower(y.t.Name))
	})
	var out []string
	for _, x := range ms {
		out = append(out, x.t.Name+" "+x.p.String())
	}
	return out
}

// probes returns n addresses: inside random prefixes of the catalog, at
// their edges, and uniformly random.
func probes(c *servicetags.Catalog, n int, r *rand.Rand) []netip.Addr {
	var ps []netip.Prefix
	for t := range c.All() {
		ps = append(ps, t.Prefixes...)
	}
	out := make([]netip.Addr, 0, n)
	for len(out) < n {
		switch k := r.IntN(4); {
		case k == 0 || len(ps) == 0:
			var b [16]byte
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			if r.IntN(2) == 0 {
				out = append(out, netip.AddrFrom4([4]byte(b[:4])))
			} else {
				out = append(out, netip.AddrFrom16(b))
			}
		default:
			p := ps[r.IntN(len(ps))]
			b := p.Addr().AsSlice()
			for i := p.Bits(); i < len(b)*8; i++ {
				if k == 1 || k == 3 && r.IntN(2) == 0 { // 1: last address; 2: first; 3: random
					b[i/8] |= 0x80 >> (i % 8)
				}
			}
			a, _ := netip.AddrFromSlice(b)
			out = append(out, a)
		}
	}
	return out
}

func checkAgainstReference(t *testing.T, c *servicetags.Catalog, n int) {
	t.Helper()
	tags := slices.Collect(c.All())
	r := rand.New(rand.NewPCG(7, 11))
	for _, a := range probes(c, n, r) {
		want := slowLookup(tags, a)
		if got := matchStrings(c.Lookup(a)); !slices.Equal(got, want) {
			t.Fatalf("Lookup(%s) = %q, reference %q", a, got, want)
		}
		// The same through LookupPrefix on the host prefix.
		if got := matchStrings(c.LookupPrefix(netip.PrefixFrom(a, a.BitLen()))); !slices.Equal(got, want) {
			t.Fatalf("LookupPrefix(%s) = %q, reference %q", a, got, want)
		}
	}
}

func TestLookupAgreesWithReference(t *testing.T) {
	checkAgainstReference(t, mustParse(t, servicetags.MiniJSON), 2000)
	checkAgainstReference(t, mustParse(t, nestedCatalog(40, 9)), 3000)
}

// nestedCatalog builds n tags over deeply nested prefixes (more than fit
// in a trie payload) with repeats inside tags.
func nestedCatalog(n int, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, seed))
	var entries []string
	for i := range n {
		var ps []string
		for range 1 + r.IntN(6) {
			if r.IntN(3) == 0 {
				bits := 48 + r.IntN(80)
				a := netip.AddrFrom16([16]byte{0x26, 0x03, 0x10, byte(r.IntN(2))})
				ps = append(ps, netip.PrefixFrom(a, bits).Masked().String())
				continue
			}
			bits := 8 + r.IntN(25)
			a := netip.AddrFrom4([4]byte{20, byte(r.IntN(2)), byte(r.IntN(4)), byte(r.IntN(256))})
			ps = append(ps, netip.PrefixFrom(a, bits).Masked().String())
		}
		ps = append(ps, ps[0]) // a repeat inside the tag
		region := ""
		name := fmt.Sprintf("T%03d", i)
		if i%3 == 0 {
			region = "eastus"
			name += ".EastUS"
		}
		entries = append(entries, `{"name": "`+name+`", "properties": {"region": "`+region+`", "addressPrefixes": ["`+strings.Join(ps, `", "`)+`"]}}`)
	}
	return one(entries...)
}

func TestManyTags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a catalog of 70,000 tags")
	}
	// More tags than a trie payload can number inline.
	var sb strings.Builder
	sb.WriteString(`{"values": [`)
	for i := range 70000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"name": "T%05d", "properties": {"addressPrefixes": ["10.%d.%d.%d/32", "10.0.0.0/8"]}}`, i, i>>16, i>>8&255, i&255)
	}
	sb.WriteString(`]}`)
	c := mustParse(t, sb.String())
	got := matchStrings(c.Lookup(mpa("10.1.4.9"))) // T66569
	if len(got) != 70000 || got[0] != "T66569 10.1.4.9/32" || got[1] != "T00000 10.0.0.0/8" || got[69999] != "T69999 10.0.0.0/8" {
		t.Errorf("Lookup(10.1.4.9): %d matches, first %q", len(got), got[:min(len(got), 2)])
	}
}

func TestConcurrentLookups(t *testing.T) {
	c := mustParse(t, nestedCatalog(30, 3))
	tags := slices.Collect(c.All())
	ps := probes(c, 200, rand.New(rand.NewPCG(1, 1)))
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i, a := range ps {
				if i%4 != g {
					continue
				}
				if got, want := matchStrings(c.Lookup(a)), slowLookup(tags, a); !slices.Equal(got, want) {
					t.Errorf("Lookup(%s) = %q, want %q", a, got, want)
				}
				if _, err := c.Expand("T000.EastUS"); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}

func TestMarshalRoundTrip(t *testing.T) {
	for _, in := range []string{servicetags.MiniJSON, nestedCatalog(20, 5)} {
		c := mustParse(t, in)
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		assertSameCatalog(t, c, mustParse(t, string(b)))
	}
}

func assertSameCatalog(t *testing.T, a, b *servicetags.Catalog) {
	t.Helper()
	if a.Cloud() != b.Cloud() || a.ChangeNumber() != b.ChangeNumber() || a.Len() != b.Len() {
		t.Fatalf("catalogs differ: %s/%d/%d vs %s/%d/%d", a.Cloud(), a.ChangeNumber(), a.Len(), b.Cloud(), b.ChangeNumber(), b.Len())
	}
	ta, tb := slices.Collect(a.All()), slices.Collect(b.All())
	for i := range ta {
		x, y := ta[i], tb[i]
		if x.Name != y.Name || x.Region != y.Region || x.SystemService != y.SystemService ||
			x.ChangeNumber != y.ChangeNumber || x.Features != y.Features || !slices.Equal(x.Prefixes, y.Prefixes) {
			t.Fatalf("tag %d differs:\n%+v\n%+v", i, x, y)
		}
		for _, use := range []servicetags.Feature{servicetags.FeatureNSG, servicetags.FeatureUDR} {
			if ea, eb := a.CheckUse(x.Name, use), b.CheckUse(x.Name, use); (ea == nil) != (eb == nil) {
				t.Fatalf("CheckUse(%q, %v): %v vs %v", x.Name, use, ea, eb)
			}
		}
	}
}
