package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/bench/estategen"
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
	estates = append(estates, generatedEstate(t))
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
	got := map[string]answer.Result{}
	for _, r := range after {
		got[strings.Join(queryArgs(r), " ")] = r
	}
	for _, r := range before {
		k := strings.Join(queryArgs(r), " ")
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

// generatedEstate is a hub-and-spoke estate from bench/estategen with
// faults put in on purpose (as patches, so they are data too): an NSG
// rule at the lowest priority that denies Entra ID, a firewall without its ARM rule, a spoke
// whose peering refuses what the hub firewall forwards, a spoke whose half of its
// peering is gone, a user route that drops the DNS server's range, a
// private endpoint's missing DNS record, a private endpoint connection
// still pending, a route to an appliance address nothing holds, and a
// private subnet sent straight to the Internet.
func generatedEstate(t *testing.T) fixEstate {
	const spokes = 8
	gen := estategen.Generate(spokes)
	const (
		net  = estategen.Subscription + "/resourceGroups/rg-net/providers/Microsoft.Network/"
		zone = estategen.Subscription + "/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net"
	)
	spoke := func(i int) string { return fmt.Sprintf("spoke-%04d", i) }
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	faults := []answer.Patch{
		{Op: answer.PatchSet, ID: net + "networkSecurityGroups/nsg-" + spoke(1) + "/securityRules/allow-entra", Property: "properties.access", Value: raw(`"Deny"`)},
		{Op: answer.PatchRemove, ID: net + "azureFirewalls/fw-hub/networkRuleCollections/allow-azure/rules/arm"},
		{Op: answer.PatchSet, ID: net + "virtualNetworks/" + spoke(2) + "/virtualNetworkPeerings/to-hub", Property: "properties.allowForwardedTraffic", Value: raw("false")},
		{Op: answer.PatchRemove, ID: net + "virtualNetworks/" + spoke(3) + "/virtualNetworkPeerings/to-hub"},
		{Op: answer.PatchSet, ID: net + "virtualNetworks/hub/virtualNetworkPeerings/hub-to-" + spoke(3), Property: "properties.peeringState", Value: raw(`"Initiated"`)},
		{Op: answer.PatchAdd, ID: net + "routeTables/rt-" + spoke(4) + "/routes/drop-hub", Type: "Microsoft.Network/routeTables/routes",
			Value: raw(`{"properties": {"addressPrefix": "172.16.0.0/16", "nextHopType": "None"}}`)},
		{Op: answer.PatchRemove, ID: zone + "/A/stspoke0005"},
		{Op: answer.PatchSet, ID: estategen.Subscription + "/resourceGroups/rg-data/providers/Microsoft.Network/privateEndpoints/pe-st0006",
			Property: "properties.privateLinkServiceConnections[0].properties.privateLinkServiceConnectionState.status", Value: raw(`"Pending"`)},
		{Op: answer.PatchSet, ID: net + "routeTables/rt-" + spoke(7) + "/routes/default-to-fw", Property: "properties.nextHopIpAddress", Value: raw(`"172.16.1.5"`)},
		{Op: answer.PatchSet, ID: net + "routeTables/rt-" + spoke(0) + "/routes/default-to-fw", Property: "properties.nextHopType", Value: raw(`"Internet"`)},
		{Op: answer.PatchSet, ID: net + "routeTables/rt-" + spoke(0) + "/routes/default-to-fw", Property: "properties.nextHopIpAddress", Value: raw(`null`)},
		{Op: answer.PatchSet, ID: net + "virtualNetworks/" + spoke(0) + "/subnets/snet-app", Property: "properties.defaultOutboundAccess", Value: raw(`false`)},
	}
	files, err := azure.ApplyPatches(gen, faults)
	if err != nil {
		t.Fatalf("putting the faults in: %v", err)
	}
	var checks [][]string
	for i := range spokes {
		from := spoke(i) + "/snet-app"
		checks = append(checks,
			[]string{"--from", from, "--to", "login.microsoftonline.com"},
			[]string{"--from", from, "--to", "management.azure.com"},
			[]string{"--from", from, "--to", fmt.Sprintf("stspoke%04d.blob.core.windows.net", i)},
			[]string{"--from", from, "--to", fmt.Sprintf("10.0.%d.4", ((i+1)%spokes)*16)},
		)
	}
	es := fixEstate{name: "estategen", files: files, checks: checks}
	// The faults must show: each is a failing answer.
	for _, c := range [][]string{checks[4*0], checks[4*1], checks[4*2+1], checks[4*1+3], checks[4*3], checks[4*4+2], checks[4*5+2], checks[4*6+2], checks[4*7]} {
		if rs := runChecks(t, files, c); len(rs) != 1 || rs[0].Reachable {
			t.Fatalf("fault not seen by %v: %+v", c, rs)
		}
	}
	if reflect.DeepEqual(files, gen) {
		t.Fatal("no fault was put in")
	}
	return es
}
