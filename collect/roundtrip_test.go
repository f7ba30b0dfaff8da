package collect_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/collect"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/internal/fakeazure"
)

const contosoSub = "11111111-2222-3333-4444-555555555555"

// contosoEstate serves the resources of examples/contoso (az CLI output,
// az rest lists and a Resource Graph answer), turned into the SDK types
// the fake servers answer with.
func contosoEstate(t *testing.T, dir string) *fakeazure.Estate {
	t.Helper()
	e := fakeazure.New()
	e.AddSubscription(contosoSub, "contoso")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no files in %s: %v", dir, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var items []json.RawMessage
		if err := json.Unmarshal(b, &items); err != nil {
			var list struct{ Value, Data []json.RawMessage }
			if err := json.Unmarshal(b, &list); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			items = append(list.Value, list.Data...)
		}
		for _, it := range items {
			e.Add(fakeazure.ARMJSON(it))
		}
	}
	return e
}

// TestRoundTripContoso serves the example estate from the fakes, collects
// it, loads what collect wrote, and checks that the engine gives the same
// answers to the Azure ML profile of every workload subnet (verdict,
// egress, hops) as from the estate's own files.
func TestRoundTripContoso(t *testing.T) {
	dir := filepath.Join("..", "examples", "contoso")
	tr := fakeazure.NewTransport(contosoEstate(t, dir))
	m, out, err := runCollect(t, tr, collect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Errors) != 0 {
		t.Errorf("errors: %+v", m.Errors)
	}

	orig, err := azure.Load([]string{dir}, azure.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := azure.Load([]string{out}, azure.Options{})
	if err != nil {
		t.Fatalf("loading the collected snapshot: %v", err)
	}
	if a, b := orig.Snapshot.Counts(), got.Snapshot.Counts(); !equalCounts(a, b) {
		t.Errorf("counts differ:\n example   %v\n collected %v", a, b)
	}
	if len(got.Warnings) != len(orig.Warnings) {
		t.Errorf("warnings: %d from the example, %d from the collected snapshot: %v", len(orig.Warnings), len(got.Warnings), got.Warnings)
	}

	want := answers(t, orig)
	have := answers(t, got)
	if len(want) == 0 || len(want) != len(have) {
		t.Fatalf("%d answers from the example, %d from the collected snapshot", len(want), len(have))
	}
	verdicts := map[answer.Verdict]int{}
	for i := range want {
		verdicts[want[i].Verdict]++
		w, h := essence(t, want[i]), essence(t, have[i])
		if w != h {
			t.Errorf("answer %d differs:\n example   %s\n collected %s", i, w, h)
		}
	}
	t.Logf("%d answers, verdicts %v, missing %d, files %d", len(want), verdicts, len(m.Missing), len(m.Types))
	// The example's faults are in both: not every answer is reachable.
	if len(verdicts) < 2 {
		t.Errorf("verdicts = %v; the example estate has deliberate faults", verdicts)
	}
}

// answers runs the default Azure ML profile over a loaded snapshot.
func answers(t *testing.T, res *azure.Result) []answer.Result {
	t.Helper()
	eng := engine.New(res.Snapshot, nil)
	qs, err := eng.ProfileQueries(nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := eng.Run(qs)
	if err != nil {
		t.Fatal(err)
	}
	return rep.Results
}

// essence is what must not change between the two snapshots.
func essence(t *testing.T, r answer.Result) string {
	b, err := json.Marshal(struct {
		Source, Destination, Protocol string
		Port                          int
		Verdict                       answer.Verdict
		Egress                        *answer.Egress
		Hops                          []answer.Hop
	}{r.Source, r.Destination, r.Protocol, r.Port, r.Verdict, r.Egress, r.Hops})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
