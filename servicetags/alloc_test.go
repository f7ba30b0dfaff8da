package servicetags_test

import (
	"net/netip"
	"testing"

	"github.com/vnetpath/vnetpath/servicetags"
)

func TestNoAllocs(t *testing.T) {
	c := mustParse(t, servicetags.MiniJSON)
	hit4, hit6, miss := mpa("20.1.4.200"), mpa("2603:1030:4::5"), mpa("10.0.0.1")
	buf := make([]servicetags.Match, 0, 8)
	tests := []struct {
		name string
		max  float64
		f    func()
	}{
		{"AppendLookup/v4", 0, func() { buf = c.AppendLookup(buf[:0], hit4) }},
		{"AppendLookup/v6", 0, func() { buf = c.AppendLookup(buf[:0], hit6) }},
		{"AppendLookup/miss", 0, func() { buf = c.AppendLookup(buf[:0], miss) }},
		{"Lookup/hit", 1, func() { buf = c.Lookup(hit4) }},
		{"Lookup/miss", 0, func() { buf = c.Lookup(miss) }},
		{"LookupPrefix", 1, func() { buf = c.LookupPrefix(netip.PrefixFrom(hit4, 26)) }},
		{"IsVirtual", 0, func() { _ = servicetags.IsVirtual("virtualnetwork") }},
		{"IsPlatform", 0, func() { _ = servicetags.IsPlatform("AzurePlatformDNS") }},
		{"Region", 0, func() { _, _ = servicetags.Region("Storage.EastUS") }},
		{"ParseFeature", 0, func() { _, _ = servicetags.ParseFeature("udr") }},
		{"CheckUse/ok", 0, func() { _ = c.CheckUse("AzureCloud", servicetags.FeatureNSG) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := testing.AllocsPerRun(1000, tc.f); got > tc.max {
				t.Errorf("%v allocations per run, want at most %v", got, tc.max)
			}
		})
	}
}
