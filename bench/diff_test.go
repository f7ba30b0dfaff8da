package bench

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/azure/deploy"
	"github.com/vnetpath/vnetpath/diff"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/topology"
)

// diffCase is a generated estate before and after a change to one spoke's
// route table, and the baseline of its answers before.
type diffCase struct {
	before, after *topology.Snapshot
	touched       []string
	base          *diff.Baseline
	queries       int
}

// routeTableChange is a deployment template's version of the route table
// of spoke i: its default route sent to None.
func routeTableChange(b *testing.B, e *estate, i int) azure.Change {
	name := fmt.Sprintf("rt-spoke-%05d", i)
	for path, f := range e.fsys {
		if !strings.HasSuffix(path, "/routeTables.json") || !strings.Contains(string(f.Data), `"name": "`+name+`"`) {
			continue
		}
		var tables []map[string]any
		if err := json.Unmarshal(f.Data, &tables); err != nil {
			b.Fatal(err)
		}
		for _, t := range tables {
			if t["name"] != name {
				continue
			}
			for _, r := range t["routes"].([]any) {
				if r := r.(map[string]any); r["addressPrefix"] == "0.0.0.0/0" {
					r["nextHopType"], r["nextHopIpAddress"] = "None", nil
				}
			}
			data, err := json.Marshal(t)
			if err != nil {
				b.Fatal(err)
			}
			return azure.Change{Name: "azuredeploy.json", Kind: azure.ChangeTemplate, Result: &deploy.Result{
				Resources: []deploy.Resource{{ID: t["id"].(string), Type: topology.TypeRouteTable, JSON: data}}}}
		}
	}
	b.Fatalf("no route table %s in the generated estate", name)
	return azure.Change{}
}

func newDiffCase(b *testing.B, spokes int) *diffCase {
	e := generated(spokes)
	before, err := azure.LoadFS(e.fsys, azure.Options{})
	if err != nil {
		b.Fatal(err)
	}
	after, err := azure.LoadFS(e.fsys, azure.Options{Changes: []azure.Change{routeTableChange(b, e, spokes/2)}})
	if err != nil {
		b.Fatal(err)
	}
	base, err := diff.NewBaseline(engine.New(before.Snapshot, nil), diff.Options{})
	if err != nil {
		b.Fatal(err)
	}
	qs, err := engine.New(after.Snapshot, nil).ProfileQueries(nil)
	if err != nil {
		b.Fatal(err)
	}
	return &diffCase{before: before.Snapshot, after: after.Snapshot, touched: after.Touched, base: base, queries: len(qs)}
}

// BenchmarkDiff measures `vnetpath diff` of a change to one spoke's route
// table (its default route sent to None) against a full analysis of the
// changed estate, on generated hub-and-spoke estates of 10, 100 and 1,000
// spokes. The full analysis is what `vnetpath check` does once the
// snapshot is loaded: a fresh engine, the Azure ML profile of every
// workspace from every workload subnet. The diff is what `vnetpath diff`
// does once both estates are loaded and the answers before are known (the
// baseline, kept from an earlier run): a fresh engine over the estate
// after, the resources that changed, the places they affect, the answers
// that touched them checked again, the comparison and the causes. Both run
// in each iteration, back to back; x-full is the median of the per-
// iteration ratio diff/full, the figure the target (at most 1/20 at
// 1,000 spokes) is about. Loading is left out of both (see
// BenchmarkLoad).
func BenchmarkDiff(b *testing.B) {
	for _, spokes := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("spokes=%d", spokes), func(b *testing.B) {
			skipLarge(b, spokes)
			if n, ok := fixedIterations(); ok && n > 20 && spokes > 10 {
				// CI runs every benchmark at -benchtime 100x: a hundred
				// full analyses of 100 spokes would take minutes.
				b.Skipf("the %d-spoke estate is skipped at -benchtime %dx; measure it with -benchtime 3x", spokes, n)
			}
			d := newDiffCase(b, spokes)
			var full, incr, ratio []float64
			rechecked := 0
			for b.Loop() {
				t0 := time.Now()
				e := engine.New(d.after, nil)
				qs, err := e.ProfileQueries(nil)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := e.Run(qs); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				rep, err := d.base.Compare(engine.New(d.after, nil), d.touched)
				if err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				if rep.Summary.NoLongerReachable == 0 {
					b.Fatalf("the change broke nothing: %s", rep.Summary.Headline())
				}
				rechecked = rep.Summary.Rechecked
				f, i := t1.Sub(t0).Seconds(), t2.Sub(t1).Seconds()
				full, incr, ratio = append(full, f), append(incr, i), append(ratio, i/f)
			}
			b.ReportMetric(median(full)*1e3, "full-ms")
			b.ReportMetric(median(incr)*1e3, "diff-ms")
			b.ReportMetric(median(ratio), "x-full")
			b.ReportMetric(float64(d.queries), "answers")
			b.ReportMetric(float64(rechecked), "rechecked")
		})
	}
}
