package servicetags

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds are small catalogs, good and bad, in both shapes: the weekly
// download ({"changeNumber", "cloud", "values"}) and the Discovery API
// body (string change numbers, "id", "type", "nextLink"), plus an API
// example wrapping it. Each is a few hundred bytes at most, so the fuzzer
// runs thousands of inputs a second; the real 300 KB to 4 MB files are
// parsed by the ordinary tests (realdata_test.go) instead.
func fuzzSeeds(f *testing.F) {
	for _, s := range []string{
		MiniJSON[:len(MiniJSON)/3] + "]}", // the start of MiniJSON, cut inside an entry
		`{"values": []}`,
		`{"changeNumber": 402, "cloud": "AzureGovernment", "values": [{"name": "ActionGroup", "id": "ActionGroup", "properties": {"changeNumber": 4, "region": "", "regionId": 0, "platform": "Azure", "systemService": "ActionGroup", "addressPrefixes": ["13.72.19.224/28", "2001:db8::/125"], "networkFeatures": ["API", "NSG", "UDR", "FW"]}}, {"name": "ActionGroup.USGovVirginia", "id": "ActionGroup.USGovVirginia", "properties": {"changeNumber": 1, "region": "usgovvirginia", "regionId": 54, "addressPrefixes": ["13.72.19.224/28"], "networkFeatures": null}}]}`,
		`{"name": "Public", "id": "/subscriptions/s/providers/Microsoft.Network/serviceTags/Public", "type": "Microsoft.Network/serviceTags", "changeNumber": "63", "cloud": "Public", "values": [{"name": "ApiManagement", "id": "ApiManagement", "serviceTagChangeNumber": "7", "properties": {"changeNumber": "7", "region": "", "state": "GA", "systemService": "AzureApiManagement", "addressPrefixes": ["13.64.39.16/32", "40.74.146.80/31"]}}], "nextLink": ""}`,
		`{"parameters": {}, "responses": {"200": {"body": {"cloud": "Public", "values": [{"name": "X", "properties": {"addressPrefixes": ["1.2.3.0/24"]}}]}}}}`,
		`{"values": [{"name": "A", "properties": {"addressPrefixes": ["10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.3"]}}, {"name": "a.EastUS", "properties": {"region": "eastus", "addressPrefixes": ["10.1.0.0/16"], "networkFeatures": ["NSG", "X"]}}]}`,
		`{"values": [{"name": "A", "properties": {"addressPrefixes": ["1.2.3.4/33"]}}]}`,
		`{"values": [{"name": "A"}, {"name": "a"}]}`,
		`{"values": [{"name": 1, "properties": {"changeNumber": {}}}]}`,
		`{"values": [{"name": "A", "properties": {"addressPrefixes": ["2603:1030::/32", "::ffff:1.2.3.0/120"]}}`,
		`{"values": [{"name": "\u0041\ud83d\ude00", "properties": {"addressPrefixes": ["1.2.3.0/24"]}}]}`,
		`[]`, ``, `{"values": [}`,
	} {
		f.Add([]byte(s))
	}
}

// FuzzParse checks that Parse never panics, that its errors are
// *ParseError values, that strict and lenient parsing agree on sound
// input, that every prefix is found by a lookup of its first address, and
// that MarshalJSON output parses back to the same catalog.
func FuzzParse(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		strict, err := Parse(bytes.NewReader(data), Options{})
		var pe *ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("error %T is not a *ParseError: %v", err, err)
		}
		lenient, lerr := Parse(bytes.NewReader(data), Options{Lenient: true})
		if err == nil {
			if lerr != nil || lenient.Len() != strict.Len() || len(lenient.Warnings()) != len(strict.Warnings()) {
				t.Fatalf("strict parse succeeded but lenient gives %v, %d tags, warnings %q", lerr, lenient.Len(), lenient.Warnings())
			}
		}
		c := strict
		if c == nil {
			c = lenient
		}
		if c == nil {
			return
		}
		checked := 0
		for i, r := range c.recs {
			for _, p := range r.Prefixes {
				if checked++; checked > 2000 {
					break
				}
				found := false
				for _, m := range c.Lookup(p.Addr()) {
					found = found || m.Tag == r.Name && m.Prefix.Bits() >= p.Bits()
				}
				if !found {
					t.Fatalf("Lookup(%v) misses tag %d %q, which lists %v", p.Addr(), i, r.Name, p)
				}
			}
		}

		// Round trip, when every string survives JSON encoding unchanged.
		for _, r := range c.recs {
			if !utf8.ValidString(r.Name) || !utf8.ValidString(r.Region) || !utf8.ValidString(r.SystemService) {
				return
			}
		}
		if !utf8.ValidString(c.cloud) {
			return
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(bytes.NewReader(out), Options{})
		if err != nil {
			t.Fatalf("MarshalJSON output does not parse: %v\n%s", err, out)
		}
		if back.cloud != c.cloud || back.change != c.change || len(back.recs) != len(c.recs) {
			t.Fatalf("round trip: %q %d %d tags, want %q %d %d", back.cloud, back.change, len(back.recs), c.cloud, c.change, len(c.recs))
		}
		for i, r := range c.recs {
			b := back.recs[i]
			if b.Name != r.Name || b.Region != r.Region || b.SystemService != r.SystemService || b.ChangeNumber != r.ChangeNumber ||
				b.Features != r.Features || b.listed != r.listed || !slices.Equal(b.Prefixes, r.Prefixes) {
				t.Fatalf("round trip changed tag %d:\n%+v\n%+v", i, r, b)
			}
		}
	})
}

// FuzzScan checks the tokenizer against encoding/json on any input.
func FuzzScan(f *testing.F) {
	fuzzSeeds(f)
	for _, s := range scanCases {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got := skipAll(bytes.NewReader(data)) == nil
		if want := json.Valid(data); got != want {
			// The scanner has a depth limit that encoding/json lacks.
			if want && bytes.Count(data, []byte("["))+bytes.Count(data, []byte("{")) > maxDepth {
				return
			}
			t.Fatalf("scanner valid = %v, json.Valid = %v for %q", got, want, data)
		}
	})
}
