package render

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/bench/estategen"
	"github.com/vnetpath/vnetpath/engine"
)

// TestCollectorKeepsWholeOnlyWhatIsShownInFull holds a Collector of more
// than maxReachable reachable answers to keep whole exactly the failed
// answers the reports show in full — the first answer of each group of
// failures several sources share, and each failure no other source
// shares — in whatever order the answers come.
func TestCollectorKeepsWholeOnlyWhatIsShownInFull(t *testing.T) {
	snap := loadGenerated(t, estategen.Options{Spokes: 70, Seed: 2, Shape: estategen.HubSpoke})
	rep, err := engine.New(snap, nil).Profile(engine.ProfileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	shuffled := slices.Clone(rep.Results)
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for _, results := range [][]answer.Result{rep.Results, shuffled} {
		c := NewCollector(rep)
		for _, r := range results {
			c.Add(r)
		}
		a := c.a
		groups, grouped := groupFailures(a, a.summarize())
		want := map[int]bool{}
		failed := 0
		for i := range a.n() {
			if !a.reachable(i) {
				failed++
				if !grouped[i] {
					want[i] = true
				}
			}
		}
		for _, g := range groups {
			want[g.members[0]] = true
		}
		if len(groups) == 0 || len(want) > failed/2 || a.ok <= maxReachable {
			t.Fatalf("%d groups, %d of %d failures shown in full, %d reachable: the estate no longer tests what is kept", len(groups), len(want), failed, a.ok)
		}
		for i := range a.whole {
			if !want[i] {
				t.Errorf("answer %d (%s, reachable %v) is kept whole but not shown in full", i, a.source(i), a.reachable(i))
			}
		}
		for i := range want {
			if _, ok := a.whole[i]; !ok {
				t.Errorf("answer %d is shown in full but not kept whole", i)
			}
		}
	}
}
