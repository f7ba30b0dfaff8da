package engine

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/bench/estategen"
	"github.com/vnetpath/vnetpath/servicetags"
	"github.com/vnetpath/vnetpath/topology"
)

var (
	publicCatOnce sync.Once
	publicCat     *servicetags.Catalog
)

// publicCatalog returns the public service-tag file of ../shared, or nil
// when it is absent.
func publicCatalog(t *testing.T) *servicetags.Catalog {
	t.Helper()
	publicCatOnce.Do(func() {
		p := filepath.Join("..", "..", "shared", "testdata", "servicetags", "ServiceTags_Public_20251028.json")
		if c, err := servicetags.ParseFile(p, servicetags.Options{}); err == nil {
			publicCat = c
		}
	})
	return publicCat
}

// generatedSnapshot loads a bench/estategen estate.
func generatedSnapshot(t *testing.T, o estategen.Options) (*topology.Snapshot, *estategen.Estate) {
	t.Helper()
	est, err := estategen.GenerateWith(o)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	if _, err := est.Render(func(path string, data []byte) error {
		fsys[path] = &fstest.MapFile{Data: data}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	res, err := azure.LoadFS(fsys, azure.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Snapshot, est
}

// TestSharedRunEqualsPerPair holds the shared path of Run (sources and
// destinations analysed once per class, resolutions and routes shared)
// to the per-pair reference: on generated estates of both shapes, several
// seeds, with and without the public service-tag catalog, faults
// included, every answer of the Azure ML profile of every workload subnet
// is JSON-equal to the one the per-pair path gives (Options.PerPair), and
// every seventh to the one a fresh engine gives for that query alone.
func TestSharedRunEqualsPerPair(t *testing.T) {
	type estateCase struct {
		shape  estategen.Shape
		spokes int
		seed   uint64
	}
	estates := []estateCase{
		{estategen.HubSpoke, 12, 1},
		{estategen.HubSpoke, 16, 7},
		{estategen.Transit, 12, 3},
		{estategen.Transit, 18, 11},
	}
	if testing.Short() {
		estates = estates[:1]
	}
	for _, ec := range estates {
		snap, est := generatedSnapshot(t, estategen.Options{Spokes: ec.spokes, Seed: ec.seed, Shape: ec.shape})
		for _, withCat := range []bool{false, true} {
			name := fmt.Sprintf("%s-%d-seed%d-catalog=%v", ec.shape, ec.spokes, ec.seed, withCat)
			t.Run(name, func(t *testing.T) {
				var cat *servicetags.Catalog
				if withCat {
					if cat = publicCatalog(t); cat == nil {
						t.Skip("skipping: ../shared/testdata/servicetags is absent")
					}
				}
				if len(est.Faults()) == 0 {
					t.Errorf("the estate has no faults; the test wants some")
				}
				shared := New(snap, cat)
				qs, err := shared.ProfileQueries(nil)
				if err != nil {
					t.Fatal(err)
				}
				got, err := shared.Run(qs)
				if err != nil {
					t.Fatal(err)
				}
				want, err := NewWithOptions(snap, cat, Options{PerPair: true}).Run(qs)
				if err != nil {
					t.Fatal(err)
				}
				if len(got.Results) != len(qs) || len(want.Results) != len(qs) {
					t.Fatalf("%d and %d results for %d queries", len(got.Results), len(want.Results), len(qs))
				}
				verdicts := map[string]int{}
				bad := 0
				for i, q := range qs {
					g, w := mustJSON(t, got.Results[i]), mustJSON(t, want.Results[i])
					verdicts[string(want.Results[i].Verdict)]++
					if g != w {
						bad++
						if bad <= 3 {
							t.Errorf("query %d (%s → %s %s/%d): shared and per-pair answers differ\nshared:   %s\nper-pair: %s", i, q.From, q.To, q.Protocol, q.Port, g, w)
						}
						continue
					}
					if i%7 == 0 {
						alone := NewWithOptions(snap, cat, Options{PerPair: true})
						src, err := alone.ResolveSource(q.From)
						if err != nil {
							t.Fatal(err)
						}
						r, err := alone.CheckFrom(src, q)
						if err != nil {
							t.Fatal(err)
						}
						if a := mustJSON(t, r); a != g {
							bad++
							t.Errorf("query %d (%s → %s): the run's answer differs from a fresh engine's\nrun:   %s\nalone: %s", i, q.From, q.To, g, a)
						}
					}
				}
				if bad > 0 {
					t.Errorf("%d of %d answers differ", bad, len(qs))
				}
				if g, w := mustJSON(t, got.Warnings), mustJSON(t, want.Warnings); g != w {
					t.Errorf("warnings differ\nshared:   %s\nper-pair: %s", g, w)
				}
				// In segments of two source VNets each, every segment on an
				// engine of its own: the same answers and warnings; and so
				// when the segments share the forwarding states' cores of
				// every VNet with a peering (fwdOf), not only of hubs of
				// many spokes.
				for _, least := range []int{0, 1} {
					seg := NewWithOptions(snap, cat, Options{MemoVNets: 2})
					seg.sharedFwdMin = least
					srcs := map[string]Source{}
					for _, q := range qs {
						srcs[q.From], _ = seg.ResolveSource(q.From)
					}
					if n := len(segments(qs, srcs, 2)); n < 3 {
						t.Fatalf("%d segments: want several", n)
					}
					segmented, err := seg.Run(qs)
					if err != nil {
						t.Fatal(err)
					}
					for i := range qs {
						if g, w := mustJSON(t, segmented.Results[i]), mustJSON(t, want.Results[i]); g != w {
							t.Fatalf("query %d (cores shared from %d peerings): segmented and per-pair answers differ\nsegmented: %s\nper-pair:  %s", i, least, g, w)
						}
					}
					if g, w := mustJSON(t, segmented.Warnings), mustJSON(t, want.Warnings); g != w {
						t.Errorf("warnings differ (cores shared from %d peerings)\nsegmented: %s\nper-pair:  %s", least, g, w)
					}
				}
				// The estates must exercise more than one verdict, or the
				// comparison proves little.
				if len(verdicts) < 3 {
					t.Errorf("verdicts %v: want at least three kinds", verdicts)
				}
				t.Logf("%d queries, verdicts %v", len(qs), verdicts)
			})
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSegments holds where RunEach cuts a run: after n source VNets, and
// not before 4n queries; one segment when n is negative.
func TestSegments(t *testing.T) {
	sub := func(vnet string) Source {
		return Source{Subnet: &topology.Subnet{VNet: "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/" + vnet}}
	}
	srcs := map[string]Source{"a": sub("va"), "b": sub("vb"), "c": sub("vc"), "B": sub("VB")}
	qs := func(from ...string) []Query {
		var out []Query
		for _, f := range from {
			out = append(out, Query{From: f})
		}
		return out
	}
	tests := []struct {
		name string
		qs   []Query
		n    int
		want []int
	}{
		{"a new VNet past n after 4n queries starts a segment", qs("a", "a", "a", "a", "b", "b", "b", "b", "c"), 1, []int{4, 8, 9}},
		{"too few queries: no cut", qs("a", "b", "c"), 1, []int{3}},
		{"VNet names ignore case", qs("b", "b", "b", "b", "B", "a"), 1, []int{5, 6}},
		{"negative n: one segment", qs("a", "a", "a", "a", "b", "b", "b", "b", "c"), -1, []int{9}},
		{"no queries", nil, 1, []int{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := segments(tt.qs, srcs, tt.n); !slices.Equal(got, tt.want) {
				t.Errorf("segments = %v, want %v", got, tt.want)
			}
		})
	}
}
