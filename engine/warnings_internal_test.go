package engine

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/bench/estategen"
	"github.com/vnetpath/vnetpath/topology"
)

// emptyEngine returns an engine of an empty snapshot, for what needs no
// resources: merging warnings.
func emptyEngine(t *testing.T) *Engine {
	t.Helper()
	var b topology.Builder
	snap, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return New(snap, nil)
}

// TestGroupWarnings holds groupWarnings to merging the warnings that say
// the same of several VNets, where the first was, and to leaving every
// other warning as it is.
func TestGroupWarnings(t *testing.T) {
	e := emptyEngine(t)
	w := func(vnet, text string) string { return e.vnetWarning(vnet, text) }
	got := e.groupWarnings([]string{
		"snapshot: something",
		w("spoke-1", "no zone linked to VNet hub covers 10.0.0.4"),
		w("hub", "no zone linked to VNet hub covers 10.0.0.4"),
		w("spoke-1", "the DNS server is not reachable from spoke-1/app"),
		"a rule warning",
		w("spoke-2", "no zone linked to VNet hub covers 10.0.0.4"),
		w("spoke-9", "no zone linked to VNet spoke-9 covers 10.0.0.4; link it to VNet spoke-9"),
		w("spoke-8", "no zone linked to VNet spoke-8 covers 10.0.0.4; link it to VNet spoke-8"),
		w("spoke-7", "no zone linked to VNet spoke-7 covers 10.0.0.4; link it to VNet spoke-7"),
		w("spoke-6", "no zone linked to VNet spoke-6 covers 10.0.0.4; link it to VNet spoke-6"),
		w("spoke-1", "no zone linked to VNet spoke-10 covers 10.0.0.4"),
		w("spoke-2", "no zone linked to VNet spoke-10 covers 10.0.0.4"),
		w("spoke-3", "no zone linked to VNet spoke-3.x covers 10.0.0.4"),
		w("spoke-3", "no zone linked to VNet hub covers 10.0.0.4"), // the same VNet twice counts once
	})
	want := []string{
		"snapshot: something",
		"from 3 VNets (spoke-1, spoke-2 and spoke-3), no zone linked to VNet hub covers 10.0.0.4",
		// the hub says the same of itself as VNets that name themselves do
		"from VNet hub, no zone linked to VNet hub covers 10.0.0.4",
		"from VNet spoke-1, the DNS server is not reachable from spoke-1/app",
		"a rule warning",
		"from 4 VNets (spoke-9, spoke-8, spoke-7 and 1 more, each named in its answers' warnings), no zone linked to each of them covers 10.0.0.4; link it to each of them",
		// spoke-10 is not spoke-1, nor spoke-3.x spoke-3
		"from 2 VNets (spoke-1 and spoke-2), no zone linked to VNet spoke-10 covers 10.0.0.4",
		"from VNet spoke-3, no zone linked to VNet spoke-3.x covers 10.0.0.4",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	if got := e.groupWarnings([]string{w("a", "x"), "y"}); !slices.Equal(got, []string{"from VNet a, x", "y"}) {
		t.Errorf("one VNet's warning: %q, want it as it was", got)
	}
	if got := withoutName("ends with VNet a.", "VNet a"); got != "ends with "+ownName+"." {
		t.Errorf("a name that ends a sentence: %q", got)
	}
}

// TestProfileWarningsCountTheirSubjects holds the warnings of a profile of
// a generated estate, made a few sources and VNets at a time, with and
// without a catalog, to the results: each warning several VNets' or NSG
// rules' results make alike is reported once, counting and naming exactly
// the subjects whose results make it, in the order they came; none is
// left out.
func TestProfileWarningsCountTheirSubjects(t *testing.T) {
	snap, _ := generatedSnapshot(t, estategen.Options{Spokes: 24, Seed: 2, Shape: estategen.HubSpoke})
	for _, c := range []struct {
		chunk, vnets int
		catalog      bool
	}{{0, 0, true}, {5, 0, true}, {0, 3, true}, {5, 0, false}} {
		t.Run(fmt.Sprintf("chunk=%d,vnets=%d,catalog=%v", c.chunk, c.vnets, c.catalog), func(t *testing.T) {
			cat := publicCatalog(t)
			if !c.catalog {
				cat = nil
			}
			eng := NewWithOptions(snap, cat, Options{MemoVNets: c.vnets})
			eng.profileChunk = c.chunk
			type group struct {
				first    subjectWarning
				text     string // the first subject's warning
				subjects []string
			}
			groups := map[string]*group{}
			var order []string
			warnings, err := eng.ProfileEach(ProfileOptions{}, func(*Report) error { return nil }, func(r Result) error {
				for _, s := range r.Warnings {
					w, ok := eng.subjectWarnings.Load(s)
					if !ok {
						continue
					}
					g := groups[w.key]
					if g == nil {
						g = &group{first: w, text: s}
						groups[w.key] = g
						order = append(order, w.key)
					}
					if !slices.Contains(g.subjects, w.subject) {
						g.subjects = append(g.subjects, w.subject)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			merged := 0
			for _, key := range order {
				g := groups[key]
				want := g.text
				if n := len(g.subjects); n > 1 {
					names := countedNames(g.subjects, subjectNames)
					if n > subjectNames {
						names += ", each named in its answers' warnings"
					}
					want = g.first.many(n, names)
					merged++
				}
				if n := count(warnings, want); n != 1 {
					t.Errorf("%q is in the report's warnings %d times, want once", want, n)
				}
			}
			if merged == 0 {
				t.Fatalf("no warning is shared by several subjects: the estate no longer tests merging")
			}
			if !c.catalog && !slices.ContainsFunc(warnings, func(s string) bool { return strings.Contains(s, " NSG rules (") }) {
				t.Errorf("without a catalog, no warning merges the NSG rules that name tags:\n%q", warnings)
			}
		})
	}
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// TestPrivateEndpointNSGWarningsMerge holds the warnings that a subnet's
// NSG does not apply to its private endpoints to one per NSG and subnet,
// naming the endpoints, and a single endpoint's to its own sentence.
func TestPrivateEndpointNSGWarningsMerge(t *testing.T) {
	e := emptyEngine(t)
	const why = ": the subnet's privateEndpointNetworkPolicies are Disabled (reference §3.8)"
	got := e.groupWarnings([]string{
		e.peNSGWarning("nsg-a", "vnet-a/snet-pe", "pe-1"),
		e.peNSGWarning("nsg-b", "vnet-b/snet-pe", "pe-9"),
		e.peNSGWarning("nsg-a", "vnet-a/snet-pe", "pe-2"),
		e.peNSGWarning("nsg-a", "vnet-a/snet-pe", "pe-1"),
		e.peNSGWarning("nsg-a", "vnet-a/snet-other", "pe-3"),
		e.peNSGWarning("nsg-a", "vnet-a/snet-pe", "pe-4"),
	})
	want := []string{
		"NSG nsg-a of vnet-a/snet-pe does not apply to private endpoints pe-1, pe-2 and pe-4" + why,
		"NSG nsg-b of vnet-b/snet-pe does not apply to private endpoint pe-9" + why,
		"NSG nsg-a of vnet-a/snet-other does not apply to private endpoint pe-3" + why,
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}
