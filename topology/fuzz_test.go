package topology_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/vnetpath/vnetpath/topology"
)

// sharedIDs returns the resource IDs of the shared scenario snapshots, or
// nil when ../shared is absent.
func sharedIDs(t testing.TB) []string {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "scenarios", "*", "snapshot.json"))
	var out []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(strings.TrimSpace(line), ":"); ok && k == `"id"` {
				var id string
				if json.Unmarshal([]byte(strings.TrimSuffix(strings.TrimSpace(v), ",")), &id) == nil {
					out = append(out, id)
				}
			}
		}
	}
	return out
}

// FuzzParseResourceID checks that parsing never panics and that a parsed ID
// rebuilt from its parts parses to the same parts.
func FuzzParseResourceID(f *testing.F) {
	f.Add(sub + "/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/subnets/a")
	f.Add("/subscriptions//resourceGroups/x/providers/a/b")
	f.Add("providers/x/y/z")
	for _, id := range sharedIDs(f) {
		f.Add(id)
	}
	f.Add(sub + "/RESOURCEGROUPS/rg/PROVIDERS/x/y/z/")
	f.Add("/subscriptions/s/providers/x/y//z/w")
	f.Add("/subscriptions/s/providers/ /y/z")
	f.Add("/ſubscriptions/s/providers/x/y/z")
	f.Add("/subscriptions/s/resourceGroups/g/providers/x/y/z/w")
	f.Fuzz(func(t *testing.T, id string) {
		r, ok := topology.ParseResourceID(id)
		if got, want := topology.Parent(id), parentByParse(id); got != want {
			t.Fatalf("Parent(%q) = %q; through ParseResourceID it is %q", id, got, want)
		}
		want, wantOK := splitResourceID(id)
		if ok != wantOK || fmt.Sprintf("%q", r) != fmt.Sprintf("%q", want) {
			t.Fatalf("ParseResourceID(%q) = %q, %v; splitting it gives %q, %v", id, r, ok, want, wantOK)
		}
		short := id
		if wantOK {
			short = strings.Join(want.Names, "/")
		}
		if got := topology.ShortName(id); got != short {
			t.Fatalf("ShortName(%q) = %q, want %q", id, got, short)
		}
		if !ok {
			return
		}
		if len(r.Types) == 0 || len(r.Types) != len(r.Names) {
			t.Fatalf("ParseResourceID(%q) = %+v: types and names do not pair", id, r)
		}
		var b strings.Builder
		if r.Subscription != "" {
			b.WriteString("/subscriptions/" + r.Subscription)
		}
		if r.ResourceGroup != "" {
			b.WriteString("/resourceGroups/" + r.ResourceGroup)
		}
		b.WriteString("/providers/" + r.Provider)
		for i := range r.Types {
			b.WriteString("/" + r.Types[i] + "/" + r.Names[i])
		}
		r2, ok := topology.ParseResourceID(b.String())
		// Spaces around the whole ID are trimmed, so a last name may lose
		// trailing spaces in the round trip.
		if !ok || r2.Type() != r.Type() || r2.ShortName() != strings.TrimRightFunc(r.ShortName(), unicode.IsSpace) {
			t.Fatalf("round trip of %q through %q gave %+v, %v", id, b.String(), r2, ok)
		}
		if p := topology.Parent(id); len(r.Names) > 1 {
			if pr, ok := topology.ParseResourceID(p); !ok || len(pr.Names) != len(r.Names)-1 {
				t.Fatalf("Parent(%q) = %q does not parse to the parent", id, p)
			}
		}
	})
}

// parentByParse is Parent through ParseResourceID: the trimmed ID without
// its last type and name, when it parses with at least two.
func parentByParse(id string) string {
	t := strings.TrimRight(strings.TrimSpace(id), "/")
	if r, ok := topology.ParseResourceID(t); !ok || len(r.Names) < 2 {
		return ""
	}
	segs := strings.Split(t, "/")
	return strings.Join(segs[:len(segs)-2], "/")
}

// splitResourceID is ParseResourceID as it was written first, splitting
// the ID at every slash: the parser that splits nothing must agree with it
// on every input.
func splitResourceID(id string) (topology.ResourceID, bool) {
	parts := strings.Split(strings.Trim(strings.TrimSpace(id), "/"), "/")
	var r topology.ResourceID
	i := 0
	for i+1 < len(parts) {
		switch strings.ToLower(parts[i]) {
		case "subscriptions":
			r.Subscription = parts[i+1]
			i += 2
			continue
		case "resourcegroups":
			r.ResourceGroup = parts[i+1]
			i += 2
			continue
		case "providers":
			r.Provider = parts[i+1]
			i += 2
			rest := parts[i:]
			if len(rest) == 0 || len(rest)%2 != 0 || strings.TrimSpace(r.Provider) == "" {
				return topology.ResourceID{}, false
			}
			for j := 0; j < len(rest); j += 2 {
				if strings.TrimSpace(rest[j]) == "" || strings.TrimSpace(rest[j+1]) == "" {
					return topology.ResourceID{}, false
				}
				r.Types = append(r.Types, rest[j])
				r.Names = append(r.Names, rest[j+1])
			}
			return r, true
		}
		return topology.ResourceID{}, false
	}
	return topology.ResourceID{}, false
}

// FuzzKey checks Key against its definition: trimmed of spaces and then of
// trailing slashes, lower-cased as strings.ToLower does.
func FuzzKey(f *testing.F) {
	for _, id := range []string{
		sub + "/resourceGroups/RG-Net/providers/Microsoft.Network/virtualNetworks/Hub",
		" /A/b/ ", "", "/", "//", "abc", "ABC", "\t/X\n", "\u00a0/X/\u00a0", "/X/\u2003", "ſA", "ÀB/", "a\xffB", "\xc2",
		"/subscriptions/S/resourceGroups/G/providers/Microsoft.Network/routeTables/R/routes/İ",
	} {
		f.Add(id)
	}
	f.Fuzz(func(t *testing.T, id string) {
		want := strings.ToLower(strings.TrimRight(strings.TrimSpace(id), "/"))
		if got := topology.Key(id); got != want {
			t.Fatalf("Key(%q) = %q, want %q", id, got, want)
		}
	})
}
