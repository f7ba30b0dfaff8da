package engine_test

import (
	"encoding/json"
	"github.com/vnetpath/vnetpath/answer"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/servicetags"
	"github.com/vnetpath/vnetpath/topology"
)

// checkInvariants asserts what every answer must satisfy (SPEC §5, style
// guide §2.15):
//
//   - the verdict is one of the ten, and Reachable equals
//     Verdict.IsReachable();
//   - the first hop is the source: the subnet it names, or for an address
//     the NIC that holds it or the subnet around it;
//   - every result that is not reachable carries at least one fix, and a
//     reachable one none;
//   - ReturnPath is present only for flows delivered inside a VNet (a hop
//     with action "delivered" that is not the platform, a service or the
//     internet); a reachable flow delivered inside a VNet has one that is
//     OK, and return-path-broken has one that is not;
//   - a loop repeats a hop;
//   - every part has a valid verdict.
func checkInvariants(t testing.TB, eng *engine.Engine, r engine.Result) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("invariant: "+format+"\n%s → %s: %s", append(args, r.Source, r.Destination, describe(r))...)
	}
	if !r.Verdict.IsValid() {
		fail("verdict %q is not one of the ten", r.Verdict)
	}
	if r.Reachable != r.Verdict.IsReachable() {
		fail("reachable %v but verdict %s", r.Reachable, r.Verdict)
	}
	if r.Reason == "" {
		fail("no reason")
	}
	if len(r.Hops) == 0 {
		fail("no hops")
	} else if !firstHopIsSource(eng, r) {
		fail("first hop %s (%s) is not the source %s", r.Hops[0].Node, r.Hops[0].Kind, r.Source)
	}
	if !r.Reachable && len(r.Fixes) == 0 {
		fail("not reachable and no fix")
	}
	if r.Reachable && len(r.Fixes) > 0 {
		fail("reachable but fixes %q", r.Fixes)
	}
	for _, f := range r.Fixes {
		if f.Text == "" || f.Change == "" || !f.Kind.IsValid() {
			fail("fix %+v has no text, change or kind", f)
		}
		if f.Kind.Patchable() != (len(f.Patch) > 0) && f.Kind.Patchable() {
			fail("fix %q of patchable kind %s has no patch", f.Text, f.Kind)
		}
	}
	for _, b := range r.Blockers {
		if !b.Cause.IsValid() || b.Cause.IsOutcome() || b.Fix == nil {
			fail("blocker %+v has no valid cause or no fix", b)
		}
	}
	if !r.Reachable && len(r.Blockers) == 0 {
		fail("not reachable and no blocker")
	}
	path := append(slices.Clone(r.Hops), r.Then...)
	delivered := slices.ContainsFunc(path, func(h answer.Hop) bool {
		return h.Action == "delivered" && h.Kind != "platform" && h.Kind != "service" && h.Kind != "internet"
	})
	if r.ReturnPath != nil && !delivered {
		fail("a return path for a flow that was not delivered inside a VNet")
	}
	if r.Verdict == answer.ReturnPathBroken && (r.ReturnPath == nil || r.ReturnPath.OK) {
		fail("return-path-broken without a broken return path")
	}
	if r.Reachable && r.ReturnPath != nil && !r.ReturnPath.OK {
		fail("reachable with a broken return path")
	}
	if r.Reachable && len(r.Parts) == 0 && delivered && r.ReturnPath == nil {
		fail("delivered inside a VNet without a return path")
	}
	if r.Verdict == answer.Loop {
		seen := map[string]bool{}
		repeats := false
		for _, h := range path {
			k := string(h.Kind) + "|" + topology.Key(h.Node)
			repeats = repeats || seen[k]
			seen[k] = true
		}
		if !repeats {
			fail("loop without a repeated hop")
		}
	}
	for _, p := range r.Parts {
		if !p.Verdict.IsValid() {
			fail("part %s has verdict %q", p.Destinations, p.Verdict)
		}
	}
}

// firstHopIsSource reports whether the first hop of r is its source.
func firstHopIsSource(eng *engine.Engine, r engine.Result) bool {
	h := r.Hops[0]
	a, err := netip.ParseAddr(r.Source)
	if err != nil {
		return (h.Kind == "subnet") && topology.SameID(h.Node, r.Source)
	}
	switch h.Kind {
	case "nic":
		for _, o := range eng.Snapshot().OwnersOf(a) {
			if topology.SameID(o.ID, h.Node) {
				return true
			}
		}
	case "subnet":
		sn, ok := eng.Snapshot().Subnet(h.Node)
		return ok && slices.ContainsFunc(sn.Prefixes, func(p netip.Prefix) bool { return p.Contains(a) })
	}
	return false
}

// sharedDir returns ../shared beside the repository, or skips the test.
func sharedDir(t testing.TB) string {
	t.Helper()
	d := filepath.Join("..", "..", "shared")
	if _, err := os.Stat(d); err != nil {
		t.Skipf("skipping: %s is absent (the shared scenarios live beside the repository)", d)
	}
	return d
}

// TestInvariantsOnScenarios loads every scenario of ../shared/scenarios,
// answers its checks and, when it has a workspace, the whole Azure ML
// profile from every workload subnet, and checks the invariants of every
// answer, without and with the scenario's service-tag catalog.
func TestInvariantsOnScenarios(t *testing.T) {
	shared := sharedDir(t)
	base := filepath.Join(shared, "scenarios")
	dirs, err := os.ReadDir(base)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	catalogs := map[string]*servicetags.Catalog{} // by file name, parsed once
	for _, d := range dirs {
		data, err := os.ReadFile(filepath.Join(base, d.Name(), "expect.json"))
		if err != nil {
			continue
		}
		var ex struct {
			Snapshot    string `json:"snapshot"`
			ServiceTags string `json:"serviceTags"`
			Check       []struct {
				From, To, Protocol, Verdict string
				Port                        int
			} `json:"check"`
		}
		if err := json.Unmarshal(data, &ex); err != nil {
			t.Fatalf("%s: %v", d.Name(), err)
		}
		t.Run(d.Name(), func(t *testing.T) {
			res, err := azure.Load([]string{filepath.Join(base, d.Name(), ex.Snapshot)}, azure.Options{})
			if err != nil {
				t.Fatalf("azure.Load: %v", err)
			}
			tags := ex.ServiceTags
			if tags == "" {
				tags = "ServiceTags_Public_20251028.json"
			}
			cat, ok := catalogs[tags]
			if !ok {
				cat, err = servicetags.ParseFile(filepath.Join(shared, "testdata", "servicetags", tags), servicetags.Options{})
				if err != nil {
					t.Fatalf("servicetags.ParseFile: %v", err)
				}
				catalogs[tags] = cat
			}
			for _, c := range []*servicetags.Catalog{nil, cat} {
				eng := engine.New(res.Snapshot, c)
				for _, q := range ex.Check {
					p, err := engine.ParseProtocol(q.Protocol)
					if err != nil {
						p = engine.Protocol(q.Protocol)
					}
					r := check(t, eng, engine.Query{From: q.From, To: q.To, Port: q.Port, Protocol: p})
					if string(r.Verdict) != q.Verdict {
						t.Errorf("%s → %s: verdict %s, expect.json says %s", q.From, q.To, r.Verdict, q.Verdict)
					}
					n++
				}
				qs, err := eng.ProfileQueries(nil)
				if err != nil {
					continue // no workspace
				}
				rep, err := eng.Run(qs)
				if err != nil {
					t.Fatalf("Run(profile): %v", err)
				}
				if len(rep.Results) != len(qs) {
					t.Fatalf("%d results for %d queries", len(rep.Results), len(qs))
				}
				for _, r := range rep.Results {
					checkInvariants(t, eng, r)
					n++
				}
			}
		})
	}
	if n == 0 {
		t.Fatal("no scenario answered")
	}
}
