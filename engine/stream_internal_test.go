package engine

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/bench/estategen"
	"github.com/vnetpath/vnetpath/topology"
)

// streamCase is a snapshot the streaming entry points are held to.
type streamCase struct {
	name string
	snap *topology.Snapshot
}

// streamCases returns the examples and generated estates of both shapes,
// faults included.
func streamCases(t *testing.T) []streamCase {
	t.Helper()
	var out []streamCase
	for _, dir := range []string{"contoso"} {
		files, err := filepath.Glob(filepath.Join("..", "examples", dir, "*.json"))
		if err != nil || len(files) == 0 {
			t.Fatalf("examples/%s: no snapshot files (%v)", dir, err)
		}
		res, err := azure.Load(files, azure.Options{})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, streamCase{"examples/" + dir, res.Snapshot})
	}
	for _, o := range []estategen.Options{{Spokes: 12, Seed: 1, Shape: estategen.HubSpoke}, {Spokes: 12, Seed: 3, Shape: estategen.Transit}} {
		snap, _ := generatedSnapshot(t, o)
		out = append(out, streamCase{fmt.Sprintf("%s-%d-seed%d", o.Shape, o.Spokes, o.Seed), snap})
	}
	return out
}

// TestRunEachEqualsEachCheckAlone holds RunEach to the answers of each
// query asked alone, in query order, and its warnings to the snapshot's
// followed by the results' in order, each once (those several subjects
// share merged, see groupWarnings); Run, built on it, returns the same.
func TestRunEachEqualsEachCheckAlone(t *testing.T) {
	for _, sc := range streamCases(t) {
		t.Run(sc.name, func(t *testing.T) {
			eng := New(sc.snap, publicCatalog(t))
			qs, err := eng.ProfileQueries(nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			warnings, err := eng.RunEach(qs, func(i int, r Result) error {
				if i != len(got) {
					t.Fatalf("result of query %d handed out after %d results: want query order", i, len(got))
				}
				got = append(got, mustJSON(t, r))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(qs) {
				t.Fatalf("%d results for %d queries", len(got), len(qs))
			}
			alone := New(sc.snap, publicCatalog(t))
			var wantWarnings []string
			seen := map[string]bool{}
			addWarning := func(s string) {
				if !seen[s] {
					seen[s] = true
					wantWarnings = append(wantWarnings, s)
				}
			}
			for _, f := range sc.snap.Warnings() {
				addWarning(f.Error())
			}
			for i, q := range qs {
				src, err := alone.ResolveSource(q.From)
				if err != nil {
					t.Fatal(err)
				}
				r, err := alone.CheckFrom(src, q)
				if err != nil {
					t.Fatal(err)
				}
				if want := mustJSON(t, r); got[i] != want {
					t.Errorf("query %d (%s → %s): streamed\n%s\nalone\n%s", i, q.From, q.To, got[i], want)
				}
				for _, w := range r.Warnings {
					addWarning(w)
				}
			}
			wantWarnings = alone.groupWarnings(wantWarnings)
			if mustJSON(t, warnings) != mustJSON(t, wantWarnings) {
				t.Errorf("warnings:\n%q\nwant\n%q", warnings, wantWarnings)
			}
			rep, err := eng.Run(qs)
			if err != nil {
				t.Fatal(err)
			}
			if mustJSON(t, rep.Warnings) != mustJSON(t, warnings) {
				t.Errorf("Run's warnings differ from RunEach's")
			}
			for i := range rep.Results {
				if mustJSON(t, rep.Results[i]) != got[i] {
					t.Errorf("Run's result %d differs from RunEach's", i)
				}
			}
		})
	}
}

// TestProfileEachEqualsProfile holds the streamed profile — its head, its
// results in order and its warnings — to Profile's report, with the
// entries' own ports (follow-up SMB checks included) and with --port.
func TestProfileEachEqualsProfile(t *testing.T) {
	for _, sc := range streamCases(t) {
		for _, opts := range []ProfileOptions{{}, {Port: 8443, Protocol: UDP}} {
			t.Run(fmt.Sprintf("%s/port=%d", sc.name, opts.Port), func(t *testing.T) {
				want, err := New(sc.snap, publicCatalog(t)).Profile(opts)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range []struct{ chunk, vnets int }{{0, 0}, {3, 0}, {0, 2}} {
					var got *Report
					// 3: the sources' checks made and answered three sources at
					// a time; 2: stretches of sources in two VNets.
					eng := NewWithOptions(sc.snap, publicCatalog(t), Options{MemoVNets: c.vnets})
					eng.profileChunk = c.chunk
					warnings, err := eng.ProfileEach(opts, func(r *Report) error {
						if got != nil {
							t.Errorf("head called twice")
						}
						got = r
						return nil
					}, func(r Result) error {
						if got == nil {
							t.Fatalf("a result before the head")
						}
						got.Results = append(got.Results, r)
						return nil
					})
					if err != nil {
						t.Fatal(err)
					}
					got.Warnings = warnings
					if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
						t.Errorf("ProfileEach in chunks of %d sources, %d VNets\n%s\nProfile\n%s", c.chunk, c.vnets, g, w)
					}
				}
			})
		}
	}
}

// TestRunEachStopsAtCallbackError holds RunEach to stopping at the first
// error of its callback and returning it, having handed out nothing more.
func TestRunEachStopsAtCallbackError(t *testing.T) {
	snap, _ := generatedSnapshot(t, estategen.Options{Spokes: 12, Seed: 1, Shape: estategen.HubSpoke})
	eng := New(snap, nil)
	qs, err := eng.ProfileQueries(nil)
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("reader gone")
	calls := 0
	_, err = eng.RunEach(qs, func(i int, r Result) error {
		calls++
		if i == 7 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Errorf("err = %v, want the callback's", err)
	}
	if calls != 8 {
		t.Errorf("callback called %d times, want 8 (queries 0 to 7)", calls)
	}
}

// TestRunEachStopsAtInputError holds RunEach to Run's contract: an
// InputError for a query is returned, after the results before it.
func TestRunEachStopsAtInputError(t *testing.T) {
	snap, _ := generatedSnapshot(t, estategen.Options{Spokes: 4, Seed: 1, Shape: estategen.HubSpoke})
	eng := New(snap, nil)
	qs, err := eng.ProfileQueries(nil)
	if err != nil {
		t.Fatal(err)
	}
	bad := len(qs) / 2
	qs[bad].To = "not a destination::"
	qs[bad].FQDN = ""
	var handed []int
	_, err = eng.RunEach(qs, func(i int, r Result) error {
		handed = append(handed, i)
		return nil
	})
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want an *InputError", err)
	}
	if len(handed) != bad {
		t.Errorf("%d results handed out before the bad query %d", len(handed), bad)
	}
}

// TestStretchesAreSegments holds the stretches of sources ProfileEach
// answers at a time to the bounds on sources and VNets, each as long as
// they allow, and to being one segment of RunEach each: a stretch that
// RunEach cut again would be answered on two fresh engines.
func TestStretchesAreSegments(t *testing.T) {
	snap, _ := generatedSnapshot(t, estategen.Options{Spokes: 12, Seed: 1, Shape: estategen.HubSpoke})
	for _, c := range []struct{ n, vnets int }{{5, 3}, {1000, 3}, {7, -1}, {1, 3}} {
		e := NewWithOptions(snap, nil, Options{MemoVNets: c.vnets})
		var from []string
		for _, sn := range e.WorkloadSubnets() {
			from = append(from, sn.ID)
		}
		vnetOf := func(id string) string {
			src, err := e.ResolveSource(id)
			if err != nil {
				t.Fatal(err)
			}
			return topology.Key(src.Subnet.VNet)
		}
		ends := e.stretches(from, c.n)
		if len(ends) < 2 || ends[len(ends)-1] != len(from) {
			t.Fatalf("n=%d vnets=%d: stretches end at %v of %d sources; want several, the last at the end", c.n, c.vnets, ends, len(from))
		}
		p, err := e.profiles()
		if err != nil {
			t.Fatal(err)
		}
		start := 0
		for k, end := range ends {
			if end <= start {
				t.Fatalf("n=%d vnets=%d: stretch %d is [%d, %d)", c.n, c.vnets, k, start, end)
			}
			vnets := map[string]bool{}
			for _, id := range from[start:end] {
				vnets[vnetOf(id)] = true
			}
			if end-start > c.n || c.vnets > 0 && len(vnets) > c.vnets {
				t.Errorf("n=%d vnets=%d: stretch %d has %d sources in %d VNets", c.n, c.vnets, k, end-start, len(vnets))
			}
			if end < len(from) && end-start < c.n && (c.vnets < 0 || len(vnets) < c.vnets || vnets[vnetOf(from[end])]) {
				t.Errorf("n=%d vnets=%d: stretch %d ends at %d, and the next source fits", c.n, c.vnets, k, end)
			}
			qs := e.profileQueries(p, from[start:end])
			srcs := map[string]Source{}
			for _, q := range qs {
				srcs[q.From], _ = e.ResolveSource(q.From)
			}
			if cuts := segments(qs, srcs, c.vnets); len(cuts) != 1 {
				t.Errorf("n=%d vnets=%d: RunEach cuts stretch %d into segments ending at %v", c.n, c.vnets, k, cuts)
			}
			start = end
		}
	}
}

// TestChunksAreRunsOfOneVNet holds the runs workers take to consecutive
// queries from the sources of one VNet each, at most maxChunk long,
// covering every query in order: a VNet's queries cut into runs of one
// source each would have two workers build the VNet's state and walk its
// classes' flows at once, and a run longer than maxChunk would hold more
// results out of order than RunEach promises.
func TestChunksAreRunsOfOneVNet(t *testing.T) {
	vnet := func(v string) *topology.Subnet { return &topology.Subnet{VNet: "/x/virtualNetworks/" + v} }
	srcs := map[string]Source{
		"a1": {Subnet: vnet("A")}, "a2": {Subnet: vnet("a")}, // VNet IDs compare in any case
		"b1": {Subnet: vnet("B")}, "c1": {Subnet: vnet("C")},
	}
	var qs []Query
	add := func(from string, n int) {
		for range n {
			qs = append(qs, Query{From: from})
		}
	}
	add("a1", 3)
	add("a2", 2)
	add("b1", maxChunk+5)
	add("a1", 1)
	add("c1", 2*maxChunk)
	got := chunks(qs, srcs)
	want := []int{0, 5, 5 + maxChunk, 5 + maxChunk + 5, 6 + maxChunk + 5, 6 + 2*maxChunk + 5}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("chunks start at %v, want %v", got, want)
	}
	if len(chunks(nil, srcs)) != 0 {
		t.Errorf("chunks of no queries: %v", chunks(nil, srcs))
	}
}
