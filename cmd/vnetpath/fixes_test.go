package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/bench/estategen"
	"github.com/vnetpath/vnetpath/topology"
)

// maxFixRounds is how many times a failing answer's fixes are applied:
// a blocker behind a dropped packet shows only once the first is lifted.
const maxFixRounds = 3

// fixEstate is a snapshot (its files by name) and the checks to run on it:
// each a list of CLI arguments after --snapshot (nil: the default Azure ML
// profile).
type fixEstate struct {
	name   string
	files  map[string][]byte
	checks [][]string
}

// TestFixesApply is the fix-application test of issue 13: for every answer
// that is neither reachable nor unknown, over the shared scenarios, the
// example estate and a generated estate with faults put in on purpose, it
// applies the patches of every fix to a copy of the snapshot files with
// azure.ApplyPatches, checks the same query again through the CLI, and
// requires it reachable within maxFixRounds rounds (applying the fixes the
// new answer gives each round). A fix of a patchable kind without a patch
// fails the test; an answer with a fix a person must make (deploy a gateway,
// export a resource) is left out with a logged reason. Applying the fixes of
// all answers of an estate at once must not make any answer that was
// reachable unreachable.
func TestFixesApply(t *testing.T) {
	var estates []fixEstate
	estates = append(estates, scenarioEstates(t)...)
	contoso := readSnapshot(t, filepath.Join("..", "..", "examples", "contoso"))
	estates = append(estates, fixEstate{"examples/contoso", contoso, [][]string{
		nil,
		{"--from", "vnet-spoke-data/snet-batch", "--to", "10.110.2.4"},
		{"--from", "vnet-spoke-data/snet-batch", "--to", "10.120.1.4"},
		{"--from", "vnet-spoke-app/snet-web", "--to", "10.110.2.4"},
		{"--from", "vnet-spoke-ml/snet-train", "--to", "tag:AzureMachineLearning", "--protocol", "udp", "--port", "5831"},
	}})
	estates = append(estates, fixEstate{"names", readSnapshot(t, namesCase), [][]string{
		nil,
		{"--from", "vnet-fwd/snet-app", "--to", "login.microsoftonline.com"},
		{"--from", "vnet-spoke/snet-app", "--to", "10.51.2.4"},
	}})
	estates = append(estates, generatedEstate(t))
	// The path rules of reference §10 items 32-44: new blockers whose fix is
	// a data edit must be lifted by it.
	tags, err := filepath.Abs(pathTags)
	if err != nil {
		t.Fatal(err)
	}
	estates = append(estates,
		fixEstate{"testdata/dualstack", readSnapshot(t, dualstack), [][]string{
			{"--service-tags", tags, "--from", "vnet-spoke/snet-tag", "--to", "login.microsoftonline.com"},
			{"--from", "10.1.1.4", "--to", "fd00:99::10"},
		}},
		fixEstate{"testdata/edges", readSnapshot(t, edges), [][]string{
			{"--from", "vnet-app/snet-er", "--to", "192.168.1.10"},
			{"--from", "vnet-sp/snet-x", "--to", "20.190.130.1"},
			{"--from", "vnet-edge/snet-priv", "--to", "20.190.130.1"},
		}})
	for _, es := range estates {
		t.Run(es.name, func(t *testing.T) { checkFixesApply(t, es) })
	}
}

func checkFixesApply(t *testing.T, es fixEstate) {
	var before []answer.Result
	for _, c := range es.checks {
		before = append(before, runChecks(t, es.files, c)...)
	}
	var all []answer.Patch
	fixed, excluded := 0, 0
	for _, r := range before {
		if r.Reachable || r.Verdict == answer.Unknown {
			continue
		}
		q := queryArgs(r)
		if why := unpatchable(t, r); why != "" {
			excluded++
			t.Logf("%s: %s; left out: %s", strings.Join(q, " "), r.Verdict, why)
			continue
		}
		all = append(all, patchesOf(r)...)
		rounds, ok := fixRounds(t, es.files, q, r)
		if ok {
			fixed++
			t.Logf("%s: %s, reachable after %d round(s) of fixes", strings.Join(q, " "), r.Verdict, rounds)
		}
	}
	t.Logf("%d answers: %d fixed by their patches, %d left out", len(before), fixed, excluded)

	// Every fix at once must not break what worked.
	files, err := azure.ApplyPatches(es.files, dedupe(all))
	if err != nil {
		t.Fatalf("applying the fixes of every answer: %v", err)
	}
	var after []answer.Result
	for _, c := range es.checks {
		after = append(after, runChecks(t, files, c)...)
	}
	// A workspace's own names (the inference name every workspace of a
	// region shares) are asked per workspace: the key names it.
	got := map[string]answer.Result{}
	for _, r := range after {
		got[strings.Join(queryArgs(r), " ")+" "+r.Workspace] = r
	}
	for _, r := range before {
		k := strings.Join(queryArgs(r), " ") + " " + r.Workspace
		if a, ok := got[k]; r.Reachable && (!ok || !a.Reachable) {
			t.Errorf("%s was reachable and is %s once every fix is applied: %s", k, a.Verdict, a.Reason)
		}
	}
}

// fixRounds applies the fixes of r to files and checks the query again,
// up to maxFixRounds times, and reports how many rounds made it reachable.
func fixRounds(t *testing.T, files map[string][]byte, q []string, r answer.Result) (int, bool) {
	t.Helper()
	for round := 1; round <= maxFixRounds; round++ {
		var err error
		files, err = azure.ApplyPatches(files, dedupe(patchesOf(r)))
		if err != nil {
			t.Errorf("%s: round %d: %v\nfixes: %s", strings.Join(q, " "), round, err, fixList(r))
			return round, false
		}
		rs := runChecks(t, files, q)
		if len(rs) != 1 {
			t.Errorf("%s: %d results", strings.Join(q, " "), len(rs))
			return round, false
		}
		prev := r
		r = rs[0]
		if r.Reachable {
			return round, true
		}
		if why := unpatchable(t, r); why != "" || r.Verdict == answer.Unknown || round == maxFixRounds {
			t.Errorf("%s: still %s after %d round(s): %s%s\nthe fixes applied last: %s\nthe fixes now: %s",
				strings.Join(q, " "), r.Verdict, round, r.Reason, why, fixList(prev), fixList(r))
			return round, false
		}
	}
	return maxFixRounds, false
}

// unpatchable returns why an answer's fixes cannot all be applied as
// patches: a fix of a kind a person must make (the answer is left out),
// or "" when every fix has a patch. A fix of a patchable kind without one
// fails the test.
func unpatchable(t *testing.T, r answer.Result) string {
	t.Helper()
	for _, f := range r.Fixes {
		if !f.Kind.Patchable() {
			return "fix " + strconv.Quote(f.Text) + " is of kind " + string(f.Kind)
		}
		if len(f.Patch) == 0 {
			t.Errorf("%s → %s: fix %q of kind %s has no patch", r.Source, r.Destination, f.Text, f.Kind)
			return "a fix without a patch"
		}
	}
	return ""
}

func patchesOf(r answer.Result) []answer.Patch {
	var out []answer.Patch
	for _, f := range r.Fixes {
		out = append(out, f.Patch...)
	}
	return out
}

// dedupe drops patches equal to an earlier one: the same change reached
// from two blockers.
func dedupe(ps []answer.Patch) []answer.Patch {
	var out []answer.Patch
	for _, p := range ps {
		dup := false
		for _, q := range out {
			if q.Op == p.Op && strings.EqualFold(q.ID, p.ID) && q.Property == p.Property && bytes.Equal(q.Value, p.Value) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, p)
		}
	}
	return out
}

func fixList(r answer.Result) string {
	var b strings.Builder
	for _, f := range r.Fixes {
		fmt.Fprintf(&b, "\n  - %s [%s]", f.Text, f.Kind)
	}
	return b.String()
}

// queryArgs returns the CLI arguments that ask r's question again.
func queryArgs(r answer.Result) []string {
	return []string{"--from", r.Source, "--to", r.Destination, "--port", strconv.Itoa(r.Port), "--protocol", r.Protocol}
}

// runChecks writes files to a directory and runs `vnetpath check` on it
// with args, returning the results. A profile check (args nil) of a
// snapshot without a workspace gives none.
func runChecks(t *testing.T, files map[string][]byte, args []string) []answer.Result {
	t.Helper()
	dir := t.TempDir()
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	full := append([]string{"check", "--snapshot", dir, "--format", "json"}, args...)
	var stdout, stderr bytes.Buffer
	rc := run(full, &stdout, &stderr)
	if rc == exitUsage {
		if args == nil && strings.Contains(stderr.String(), "no Azure Machine Learning workspace") {
			return nil
		}
		t.Fatalf("vnetpath %s: exit %d: %s", strings.Join(full, " "), rc, stderr.String())
	}
	var out answer.Report
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("vnetpath %s: output is not a report: %v\n%s", strings.Join(full, " "), err, stdout.String())
	}
	return out.Results
}

// readSnapshot reads a snapshot file, or the *.json files of a directory,
// by name relative to it.
func readSnapshot(t *testing.T, path string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(strings.ToLower(p), ".json") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(path, p)
		if rel == "." {
			rel = filepath.Base(p)
		}
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// scenarioEstates returns the shared scenarios, each with its checks and
// its Azure ML profile; none when ../shared is absent.
func scenarioEstates(t *testing.T) []fixEstate {
	d := filepath.Join("..", "..", "..", "shared", "scenarios")
	dirs, err := os.ReadDir(d)
	if err != nil {
		t.Logf("skipping the shared scenarios: %s is absent", d)
		return nil
	}
	var out []fixEstate
	for _, e := range dirs {
		data, err := os.ReadFile(filepath.Join(d, e.Name(), "expect.json"))
		if err != nil {
			continue
		}
		var ex scenarioExpect
		if err := json.Unmarshal(data, &ex); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		es := fixEstate{name: e.Name(), files: readSnapshot(t, filepath.Join(d, e.Name(), ex.Snapshot)), checks: [][]string{nil}}
		for _, c := range ex.Check {
			es.checks = append(es.checks, []string{"--from", c.From, "--to", c.To, "--port", strconv.Itoa(c.Port), "--protocol", c.Protocol})
		}
		out = append(out, es)
	}
	return out
}

// generatedEstate is a hub-and-spoke estate from bench/estategen with the
// faults the generator puts in (an unlinked zone, a spoke left out of the
// firewall's IP group, Disconnected and Initiated peerings, a None route,
// an NSG denying ARM), and three more put in as patches (so they are data
// too): a private endpoint connection still pending, a default route to an
// appliance address nothing holds, and a private subnet sent straight to
// the Internet (checked with a destination no service-tag route of the
// spoke takes, so the default route decides). Each fault is checked from its spoke's app subnet to the
// destinations it breaks.
func generatedEstate(t *testing.T) fixEstate {
	e, err := estategen.GenerateWith(estategen.Options{Spokes: 10, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	gen := e.Files()
	faulty := map[int]bool{}
	var checks [][]string
	app := func(i int) string { return topology.NameOf(e.VNetID(i)) + "/snet-app" }
	for _, f := range e.Faults() {
		faulty[f.Spoke] = true
		for _, x := range f.Expect {
			checks = append(checks, []string{"--from", app(f.Spoke), "--to", x.To})
		}
	}
	// Spokes without a fault of their own, for the patched faults; the
	// pending connection needs one with a storage private endpoint.
	var clean []int
	peSpoke := -1
	for i := range 10 {
		if faulty[i] {
			continue
		}
		pe := fmt.Sprintf("%s/providers/Microsoft.Network/privateEndpoints/pe-st%05dspoke-blob", resourceGroupOf(e.VNetID(i)), i)
		if peSpoke < 0 && bytes.Contains(joined(gen), []byte(pe+`"`)) {
			peSpoke = i
			continue
		}
		clean = append(clean, i)
	}
	if peSpoke < 0 || len(clean) < 2 {
		t.Fatalf("the generated estate has no clean spoke with a storage endpoint (%d) or too few clean spokes (%v)", peSpoke, clean)
	}
	rt := func(i int) string {
		return strings.Replace(e.VNetID(i), "/virtualNetworks/vnet-", "/routeTables/rt-", 1) + "/routes/default-to-fw"
	}
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	peRG := resourceGroupOf(e.VNetID(peSpoke))
	faults := []answer.Patch{
		{Op: answer.PatchSet, ID: fmt.Sprintf("%s/providers/Microsoft.Network/privateEndpoints/pe-st%05dspoke-blob", peRG, peSpoke),
			Property: "properties.privateLinkServiceConnections[0].properties.privateLinkServiceConnectionState.status", Value: raw(`"Pending"`)},
		{Op: answer.PatchSet, ID: rt(clean[0]), Property: "properties.nextHopIpAddress", Value: raw(`"172.16.15.250"`)},
		{Op: answer.PatchSet, ID: rt(clean[1]), Property: "properties.nextHopType", Value: raw(`"Internet"`)},
		{Op: answer.PatchSet, ID: rt(clean[1]), Property: "properties.nextHopIpAddress", Value: raw(`null`)},
		{Op: answer.PatchSet, ID: e.VNetID(clean[1]) + "/subnets/snet-app", Property: "properties.defaultOutboundAccess", Value: raw(`false`)},
	}
	files, err := azure.ApplyPatches(gen, faults)
	if err != nil {
		t.Fatalf("putting the faults in: %v", err)
	}
	patched := [][]string{
		{"--from", app(peSpoke), "--to", fmt.Sprintf("st%05dspoke.blob.core.windows.net", peSpoke)},
		{"--from", app(clean[0]), "--to", "tag:MicrosoftContainerRegistry"},
		{"--from", app(clean[1]), "--to", "tag:MicrosoftContainerRegistry"},
	}
	// The faults must show: each is a failing answer.
	for _, c := range append(slices.Clone(checks), patched...) {
		if rs := runChecks(t, files, c); len(rs) != 1 || rs[0].Reachable {
			t.Fatalf("fault not seen by %v: %+v", c, rs)
		}
	}
	if reflect.DeepEqual(files, gen) {
		t.Fatal("no fault was put in")
	}
	return fixEstate{name: "estategen", files: files, checks: append(checks, patched...)}
}

// resourceGroupOf is the resource group part of an ARM ID.
func resourceGroupOf(id string) string { return id[:strings.Index(id, "/providers/")] }

// joined is every file of a snapshot, one after the other.
func joined(files map[string][]byte) []byte {
	var b []byte
	for _, f := range files {
		b = append(b, f...)
	}
	return b
}
