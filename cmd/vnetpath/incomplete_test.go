package main

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
)

// contosoChecks are the checks run on examples/contoso with files taken
// away: the Azure ML profile of every workload subnet, and flows that go
// through the firewall, the gateway and the private endpoint directly.
var contosoChecks = [][]string{
	nil,
	{"--from", "vnet-spoke-data/snet-batch", "--to", "10.110.2.4"},
	{"--from", "vnet-spoke-app/snet-web", "--to", "10.110.2.4"},
	{"--from", "vnet-spoke-app/snet-web", "--to", "192.168.1.10"},
	{"--from", "vnet-spoke-ml/snet-train", "--to", "10.130.1.4"},
	{"--from", "vnet-hub/snet-shared", "--to", "10.110.2.5"},
	{"--from", "vnet-spoke-app/snet-web", "--to", "10.100.4.4", "--protocol", "udp", "--port", "53"},
}

// TestIncompleteExportIsUnknown is the done test of issue 9 on the engine
// side (SPEC §2, §5; reference §10 item 38): on examples/contoso with any
// one exported file taken away, no answer changes to another confident
// verdict: each answer keeps its verdict, or becomes unknown naming, in
// missing, resources of the file taken away, with a blocker of cause
// missingResource and an export fix carrying the az command the snapshot
// lists for it. Without virtualNetworks.json the snapshot is an input
// error (no VNet at all). This holds for answers decided on the path and
// in name resolution alike (a zone, a resolver's inbound endpoint or a
// workspace's private endpoint left out).
func TestIncompleteExportIsUnknown(t *testing.T) {
	files := readSnapshot(t, contoso)
	full := contosoResults(t, files)
	names := slices.Sorted(maps.Keys(files))
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			rest := maps.Clone(files)
			delete(rest, name)
			if name == "virtualNetworks.json" {
				dir := writeFiles(t, rest)
				code, _, errs := runCLI("check", "--snapshot", dir, "--format", "json")
				if code != exitUsage || !strings.Contains(errs, "virtual network") {
					t.Errorf("without %s: exit %d, stderr %q; want the no-VNet input error", name, code, errs)
				}
				return
			}
			removed := resourceIDs(t, files[name])
			missing, rep := contosoReport(t, rest)
			got := map[string]answer.Result{}
			for _, r := range rep {
				got[strings.Join(queryArgs(r), " ")] = r
			}
			changed, dnsLeft := 0, 0
			for k, before := range full {
				after, ok := got[k]
				if !ok {
					// A profile entry of a workspace (or subnet) the file held.
					continue
				}
				if after.Verdict == before.Verdict {
					continue
				}
				if dnsVerdict(before.Verdict) || dnsVerdict(after.Verdict) || !slices.Equal(before.Addresses, after.Addresses) {
					// Decided in name resolution (zones, records,
					// resolvers, the walk to the DNS server).
					dnsLeft++
				} else {
					changed++
				}
				if after.Verdict != answer.Unknown {
					t.Errorf("%s: %s became %s without %s: %s", k, before.Verdict, after.Verdict, name, after.Reason)
					continue
				}
				checkUnknown(t, k, after, removed, missing)
			}
			t.Logf("without %s: %d of %d answers changed on the path and %d in name resolution, all to unknown", name, changed, len(full), dnsLeft)
		})
	}
}

// coversRemoved reports whether id is a collection the snapshot lists as
// missing as a whole (a zone's record sets or links, a resolver's inbound
// endpoints) that holds one of the removed resources.
func coversRemoved(id string, removed map[string]bool) bool {
	c := strings.ToLower(id)
	prefix := c + "/"
	if zone, ok := strings.CutSuffix(c, "/recordsets"); ok {
		prefix = zone + "/" // record sets are zone/A/name, zone/CNAME/name, ...
	}
	for r := range removed {
		if strings.HasPrefix(r, prefix) {
			return true
		}
	}
	return false
}

// checkUnknown checks an unknown answer: it names at least one resource
// of the removed file among its missing IDs, every missing ID is listed
// in the report's snapshot.missing, a blocker says missingResource, and
// each export fix carries the az command snapshot.missing gives.
func checkUnknown(t *testing.T, k string, r answer.Result, removed map[string]bool, missing map[string]answer.MissingResource) {
	t.Helper()
	named := false
	for _, id := range r.Missing {
		if removed[strings.ToLower(id)] || removed[strings.ToLower(parentOf(id))] || coversRemoved(id, removed) {
			named = true
		}
		if _, ok := missing[strings.ToLower(id)]; !ok {
			t.Errorf("%s: missing %s is not in snapshot.missing", k, id)
		}
	}
	if !named {
		t.Errorf("%s: unknown, but missing %v names nothing of the file taken away: %s", k, r.Missing, r.Reason)
	}
	if !slices.ContainsFunc(r.Blockers, func(b answer.Blocker) bool { return b.Cause == answer.CauseMissingResource }) {
		t.Errorf("%s: unknown without a missingResource blocker", k)
	}
	for _, f := range r.Fixes {
		if f.Kind != answer.FixExport {
			continue
		}
		m, ok := missing[strings.ToLower(f.Resource)]
		if ok && m.Export != "" && !strings.Contains(f.Az, m.Export) {
			t.Errorf("%s: export fix az %q lacks %q", k, f.Az, m.Export)
		}
	}
}

// dnsVerdict reports whether v is decided by name resolution.
func dnsVerdict(v answer.Verdict) bool {
	return v == answer.DNSUnresolved || v == answer.PrivateEndpointBypassed
}

// parentOf strips the last type/name pair of an ARM ID.
func parentOf(id string) string {
	for range 2 {
		if i := strings.LastIndexByte(id, '/'); i > 0 {
			id = id[:i]
		}
	}
	return id
}

func contosoResults(t *testing.T, files map[string][]byte) map[string]answer.Result {
	t.Helper()
	_, rs := contosoReport(t, files)
	out := map[string]answer.Result{}
	for _, r := range rs {
		out[strings.Join(queryArgs(r), " ")] = r
	}
	return out
}

// contosoReport runs the contoso checks on files and returns the
// snapshot's missing resources by lower-case ID and the results.
func contosoReport(t *testing.T, files map[string][]byte) (map[string]answer.MissingResource, []answer.Result) {
	t.Helper()
	dir := writeFiles(t, files)
	missing := map[string]answer.MissingResource{}
	var out []answer.Result
	for _, c := range contosoChecks {
		args := append([]string{"check", "--snapshot", dir, "--format", "json"}, c...)
		var stdout, stderr bytes.Buffer
		rc := run(args, &stdout, &stderr)
		if rc == exitUsage {
			if c == nil && strings.Contains(stderr.String(), "no Azure Machine Learning workspace") {
				continue
			}
			if strings.Contains(stderr.String(), "no subnet") {
				continue // the source's VNet file was taken away
			}
			t.Fatalf("vnetpath %s: exit %d: %s", strings.Join(args, " "), rc, stderr.String())
		}
		var rep answer.Report
		if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
			t.Fatalf("output is not a report: %v", err)
		}
		for _, m := range rep.Snapshot.Missing {
			missing[strings.ToLower(m.ID)] = m
		}
		out = append(out, rep.Results...)
	}
	return missing, out
}

// resourceIDs returns the lower-case IDs of the resources a snapshot file
// holds, at any depth (children embedded in their parents too).
func resourceIDs(t *testing.T, b []byte) map[string]bool {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if id, ok := x["id"].(string); ok && strings.HasPrefix(strings.ToLower(id), "/subscriptions/") {
				if _, typed := x["type"]; typed || x["name"] != nil {
					out[strings.ToLower(id)] = true
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// writeFiles writes a snapshot's files to a new directory.
func writeFiles(t *testing.T, files map[string][]byte) string {
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
	return dir
}
