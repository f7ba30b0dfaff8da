package collect_test

import (
	"encoding/json"
	"iter"
	"os"
	"path/filepath"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/collect"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/internal/fakeazure"
	"github.com/vnetpath/vnetpath/topology"
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

// TestRoundTripEveryType collects the full estate and checks, type by type,
// that azure.Load reads from what collect wrote the same resources as from
// the estate's own ARM JSON: public IP prefixes, load balancers, Virtual
// WANs and hubs, network managers with their security admin configurations
// and rule collections, and PTR record sets among them.
func TestRoundTripEveryType(t *testing.T) {
	e, tr := fullEstate()
	m, out, err := runCollect(t, tr, collect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Errors) != 0 {
		t.Errorf("errors: %+v", m.Errors)
	}
	src := t.TempDir()
	b, err := json.Marshal(struct {
		Value []json.RawMessage `json:"value"`
	}{e.Resources()})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "estate.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	orig, err := azure.Load([]string{src}, azure.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := azure.Load([]string{out}, azure.Options{})
	if err != nil {
		t.Fatalf("loading the collected snapshot: %v", err)
	}
	if a, b := orig.Snapshot.Counts(), got.Snapshot.Counts(); !equalCounts(a, b) {
		t.Errorf("counts differ:\n estate    %v\n collected %v", a, b)
	}
	if a, b := orig.Snapshot.Skipped(), got.Snapshot.Skipped(); !equalCounts(a, b) {
		t.Errorf("skipped differ:\n estate    %v\n collected %v", a, b)
	}

	// Each new type by ID: written to its own file, and read back alike.
	zoneOf := func(s *topology.Snapshot, typ, name string) any {
		z, ok := s.PrivateZone(zone)
		if !ok {
			return nil
		}
		for _, r := range z.Records {
			if r.Type == typ && r.Name == name {
				return r
			}
		}
		return nil
	}
	tests := []struct {
		typ, id string
		get     func(s *topology.Snapshot) any
	}{
		{topology.TypePublicIPPrefix, pfxHub, func(s *topology.Snapshot) any { return found(s.PublicIPPrefix(pfxHub)) }},
		{topology.TypeLoadBalancer, lbApp, func(s *topology.Snapshot) any { return found(s.LoadBalancer(lbApp)) }},
		{topology.TypeVirtualWAN, vwanHub, func(s *topology.Snapshot) any { return found(s.VirtualWAN(vwanHub)) }},
		{topology.TypeVirtualHub, vhubSpoke, func(s *topology.Snapshot) any { return first(s.VirtualHubs()) }},
		{topology.TypeNetworkManager, nmHub, func(s *topology.Snapshot) any { return found(s.NetworkManager(nmHub)) }},
		{topology.TypeSecurityAdminConfig, sacHub, func(s *topology.Snapshot) any { return first(s.SecurityAdminConfigurations()) }},
		{topology.TypeAdminRuleCollection, rcDeny, func(s *topology.Snapshot) any { return first(s.AdminRuleCollections()) }},
		{topology.TypeDNSRecordPTR, zone + "/PTR/4", func(s *topology.Snapshot) any { return zoneOf(s, "PTR", "4") }},
	}
	files := map[string]string{}
	for _, tc := range m.Types {
		files[tc.Type] = tc.File
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			file := files[tt.typ]
			if ids := readList(t, out, file); len(ids) != 1 || !topology.SameID(ids[0], tt.id) {
				t.Errorf("%s = %q, want %s", file, ids, tt.id)
			}
			w, h := tt.get(orig.Snapshot), tt.get(got.Snapshot)
			if w == nil || h == nil {
				t.Fatalf("from the estate %v, from the collected snapshot %v", w, h)
			}
			if ws, hs := withoutOrigin(t, w), withoutOrigin(t, h); ws != hs {
				t.Errorf("differs:\n estate    %s\n collected %s", ws, hs)
			}
		})
	}
	if p, ok := got.Snapshot.PublicIPPrefix(pfxHub); !ok || p.Prefix.String() != "20.1.0.0/28" {
		t.Errorf("public IP prefix = %+v, want 20.1.0.0/28", p)
	}
	if pools := got.Snapshot.PoolsOf(nicVM + "/ipConfigurations/ipconfig1"); len(pools) != 1 {
		t.Errorf("pools of nic-vm = %q, want lb-app's pool-app", pools)
	}
}

// found returns v when ok, else nil.
func found[T any](v *T, ok bool) any {
	if !ok {
		return nil
	}
	return v
}

// first returns the first value of seq, or nil.
func first[T any](seq iter.Seq[*T]) any {
	for v := range seq {
		return v
	}
	return nil
}

// withoutOrigin renders a model value as JSON without the file and JSON
// path it was read from, which differ between the two snapshots.
func withoutOrigin(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "File")
	delete(m, "Path")
	b, err = json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
