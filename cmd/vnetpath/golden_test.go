package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden (review the diff before committing)")

type goldenCase struct {
	name string
	args []string
	code int
	// What the answer must say, whatever the golden file holds: for
	// check, how many results have each verdict; for resolve, the rcode;
	// for routes, how many routes are Active.
	verdicts map[string]int
	rcode    string
	active   int
	text     []string // in the text output of the same command
}

func goldenCases() []goldenCase {
	return []goldenCase{
		{name: "hubspoke-check",
			args: []string{"check", "--snapshot", hubspoke, "--from", "vnet-spoke/snet-app", "--to", "login.microsoftonline.com", "--to", "management.azure.com"},
			code: 1, verdicts: map[string]int{"reachable": 1, "denied-by-firewall": 1},
			text: []string{"✓ login.microsoftonline.com tcp/443: leaves through firewall fw-hub (20.50.0.10)", "DENIED-BY-FIREWALL", "fix: add to policy fwp-hub a network rule", "allowing TCP 443 from 10.1.1.0/24 to service tag AzureResourceManager"}},
		{name: "hubspoke-check-any-protocol",
			args: []string{"check", "--snapshot", hubspoke, "--from", "10.1.1.4", "--to", "10.0.1.4", "--protocol", "any", "--port", "22"},
			code: 0, verdicts: map[string]int{"reachable": 1}},
		{name: "hubspoke-routes-nic",
			args: []string{"routes", "--snapshot", hubspoke, "--nic", "nic-app-01"},
			code: 0, active: 3,
			text: []string{"NIC nic-app-01: the routes of its subnet vnet-spoke/snet-app\n", "User     Active   0.0.0.0/0       VirtualAppliance  10.0.1.4     default-to-fw"}},
		{name: "nsgdeny-check-entra",
			args: []string{"check", "--snapshot", nsgdeny, "--from", "vnet-app/snet-web", "--to", "login.microsoftonline.com"},
			code: 1, verdicts: map[string]int{"denied-by-nsg": 1},
			text: []string{"DENIED-BY-NSG", "NSG nsg-web rule DenyEntraOutbound (priority 200, Outbound, Deny)"}},
		{name: "nsgdeny-check-database",
			args: []string{"check", "--snapshot", nsgdeny, "--from", "rg-app/vnet-app/snet-web", "--to", "10.2.2.10", "--port", "1433"},
			code: 1, verdicts: map[string]int{"denied-by-nsg": 1},
			text: []string{"NSG nsg-web rule DenySqlToDb (priority 300, Outbound, Deny) drops TCP 1433", "fix: in NSG nsg-web, allow outbound TCP 1433 from 10.2.1.0/24 to 10.2.2.10", "or remove or narrow rule DenySqlToDb"}},
		{name: "nsgdeny-check-ssh",
			args: []string{"check", "--snapshot", nsgdeny, "--from", "vnet-app/snet-web", "--to", "10.2.2.0/28", "--port", "22"},
			code: 0, verdicts: map[string]int{"reachable": 1}},
		{name: "dns-check",
			args: []string{"check", "--snapshot", dnsCase, "--to", "stdata.blob.core.windows.net", "--to", "nope.privatelink.blob.core.windows.net"},
			code: 1, verdicts: map[string]int{"reachable": 3, "dns-unresolved": 1},
			text: []string{"DNS-UNRESOLVED", "delivered to pe-stdata"}},
		{name: "dns-resolve-private",
			args: []string{"resolve", "--snapshot", dnsCase, "--from", "vnet-a", "--name", "stdata.blob.core.windows.net"},
			code: 0, rcode: "NOERROR", text: []string{"NOERROR 10.3.1.4"}},
		{name: "dns-resolve-bypassed",
			args: []string{"resolve", "--snapshot", dnsCase, "--from", "vnet-b/snet-app", "--name", "stdata.blob.core.windows.net"},
			code: 1, rcode: "NOERROR",
			text: []string{"is not used because zone privatelink.blob.core.windows.net is not linked to VNet vnet-b", "fix: link private DNS zone privatelink.blob.core.windows.net to VNet vnet-b"}},
		{name: "dns-resolve-nxdomain",
			args: []string{"resolve", "--snapshot", dnsCase, "--from", "vnet-a", "--name", "nope.privatelink.blob.core.windows.net"},
			code: 1, rcode: "NXDOMAIN"},
		{name: "names-check-forward",
			args: []string{"check", "--snapshot", namesCase, "--from", "vnet-fwd/snet-app", "--to", "login.microsoftonline.com", "--to", "stnames.blob.core.windows.net"},
			code: 1, verdicts: map[string]int{"dns-unresolved": 2},
			text: []string{"DNS-UNRESOLVED", "forwarding rule all (.) of ruleset rs-fwd", "fix: point forwarding rule all of ruleset rs-fwd at a DNS server that answers, such as 10.50.1.4"}},
		{name: "names-resolve-ptr",
			args: []string{"resolve", "--snapshot", namesCase, "--from", "vnet-spoke/snet-app", "--name", "10.51.2.4"},
			code: 0, rcode: "NOERROR", text: []string{"4.2.51.10.in-addr.arpa  PTR", "NOERROR " + namesAPI}},
		{name: "names-profile-spoke",
			args: []string{"check", "--snapshot", namesCase, "--from", "vnet-spoke/snet-app", "--named-locations", namedLocations, "--ml-dependencies", mlDependencies},
			code: 0, verdicts: map[string]int{"reachable": 17},
			text: []string{"profile: the Azure ML profile checks Entra ID, ARM, the workspace's own names and the dependencies listed in " + mlDependencies}},
		{name: "dualstack-check",
			args: []string{"check", "--snapshot", dualstack, "--service-tags", pathTags, "--from", "vnet-spoke/snet-app", "--from", "fd00:1:0:1::4", "--from", "vnet-spoke/snet-tag", "--to", "login.microsoftonline.com"},
			code: 1, verdicts: map[string]int{"no-egress": 1, "reachable": 1, "blackhole": 1},
			text: []string{"NO-EGRESS", "IPv6 has no default outbound access", "which carries IPv4 only", "leaves through the public IP of nic-app (2603:1030:20e:3::5)"}},
		{name: "dualstack-routes",
			args: []string{"routes", "--snapshot", dualstack, "--subnet", "vnet-spoke/snet-app"},
			code: 0, active: 6, text: []string{"Default                Active   ::/0"}},
		{name: "edges-check",
			args: []string{"check", "--snapshot", edges, "--from", "10.5.1.4", "--from", "vnet-app/snet-app", "--from", "vnet-app/snet-er", "--to", "20.190.130.1", "--to", "192.168.1.10"},
			code: 1, verdicts: map[string]int{"reachable": 3, "blackhole": 2, "unknown": 1},
			text: []string{"leaves through NAT gateway ng-edge (51.0.0.1)", "which is ExpressRoute; a user route may point only at a VPN gateway",
				"the routes ExpressRoute gateway ergw-nva learns by BGP"}},
		{name: "unmodelled-check",
			args: []string{"check", "--snapshot", unmodelled, "--to", "tag:AzureActiveDirectory"},
			code: 1, verdicts: map[string]int{"unknown": 2, "reachable": 1},
			text: []string{"UNKNOWN", "AVNM security admin configuration baseline of network manager avnm-corp", "is not modelled by vnetpath"}},
		{name: "contoso-profile-batch",
			args: []string{"check", "--snapshot", contoso, "--from", "vnet-spoke-data/snet-batch"},
			code: 1, verdicts: map[string]int{"reachable": 18, "denied-by-nsg": 5},
			text: []string{"workspace mlw-contoso · from vnet-spoke-data/snet-batch: reaches 18 of 23 endpoints"}},
		{name: "contoso-check-web",
			args: []string{"check", "--snapshot", contoso, "--from", "vnet-spoke-app/snet-web", "--to", "login.microsoftonline.com", "--to", workspaceAPI},
			code: 1, verdicts: map[string]int{"reachable": 1, "private-endpoint-bypassed": 1},
			text: []string{"PRIVATE-ENDPOINT-BYPASSED"}},
		{name: "contoso-routes-train",
			args: []string{"routes", "--snapshot", contoso, "--subnet", "vnet-spoke-ml/snet-train"},
			code: 0, active: 6},
		{name: "contoso-resolve-train",
			args: []string{"resolve", "--snapshot", contoso, "--from", "vnet-spoke-ml/snet-train", "--name", workspaceAPI},
			code: 0, rcode: "NOERROR", text: []string{"NOERROR 10.110.2.4"}},
	}
}

// TestGolden runs check, routes and resolve with --format json on the
// estates of testdata and on examples/contoso, and compares the output,
// indented, to testdata/golden/NAME.json. After a change to the answers, rewrite them
// with
//
//	go test ./cmd/vnetpath -run Golden -update
//
// and review the diff. Independently of the files, each case checks its
// exit status, the verdicts, rcode or active routes it must report, and
// a few lines of the text output.
func TestGolden(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCLI(append(tc.args, "--format", "json")...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tc.code, errs)
			}
			if errs != "" {
				t.Errorf("stderr %q, want nothing: JSON output carries the warnings", errs)
			}
			checkAnswer(t, tc, out)
			// check writes one result per line; the golden files hold the
			// same JSON indented, so that a change reads as a diff.
			out = indentJSON(t, out)
			file := filepath.Join("testdata", "golden", tc.name+".json")
			if *update {
				if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (create it with: go test ./cmd/vnetpath -run Golden -update)", err)
			}
			if d := firstDiff(string(want), out); d != "" {
				t.Errorf("output differs from %s (if the change is right: go test ./cmd/vnetpath -run Golden -update, and review the diff)\n%s", file, d)
			}

			tcode, text, _ := runCLI(tc.args...)
			if tcode != code {
				t.Errorf("text mode exits %d, JSON mode %d", tcode, code)
			}
			// Text wraps long lines at word boundaries: compare with runs
			// of white space (a line break and its indentation) as one
			// space.
			flat := strings.Join(strings.Fields(text), " ")
			for _, w := range tc.text {
				if !strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
					t.Errorf("text output lacks %q:\n%s", w, text)
				}
			}
		})
	}
}

// indentJSON returns out indented by two spaces, as encoding/json indents.
func indentJSON(t *testing.T, out string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(out), "", "  "); err != nil {
		t.Fatalf("output is not JSON: %v\n%.300s", err, out)
	}
	return b.String()
}

// checkAnswer checks what a case's JSON must say, independently of the
// golden file.
func checkAnswer(t *testing.T, tc goldenCase, out string) {
	t.Helper()
	var a struct {
		Results []struct {
			Verdict string `json:"verdict"`
		} `json:"results"`
		Rcode string `json:"rcode"`
		Value []struct {
			State string `json:"state"`
		} `json:"value"`
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("output is not JSON: %v\n%.300s", err, out)
	}
	switch tc.args[0] {
	case "check":
		got := map[string]int{}
		for _, r := range a.Results {
			got[r.Verdict]++
		}
		if !maps.Equal(got, tc.verdicts) {
			t.Errorf("verdicts %v, want %v", got, tc.verdicts)
		}
	case "resolve":
		if a.Rcode != tc.rcode {
			t.Errorf("rcode %q, want %q", a.Rcode, tc.rcode)
		}
	case "routes":
		active := 0
		for _, r := range a.Value {
			if r.State == "Active" {
				active++
			}
		}
		if active != tc.active {
			t.Errorf("%d active routes, want %d", active, tc.active)
		}
	}
}

// firstDiff describes the first line where got differs from want, or
// returns "".
func firstDiff(want, got string) string {
	if want == got {
		return ""
	}
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(wl), len(gl)) {
		w, g := "<end>", "<end>"
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want %s\n  got  %s", i+1, w, g)
		}
	}
	return "the files differ"
}

// TestGoldenFilesHaveCases fails on a golden file no case writes, so that
// a renamed case leaves no stale file behind.
func TestGoldenFilesHaveCases(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tc := range goldenCases() {
		names = append(names, tc.name+".json")
	}
	for _, f := range files {
		if !slices.Contains(names, filepath.Base(f)) {
			t.Errorf("%s belongs to no golden case; delete it", f)
		}
	}
	if len(files) == 0 && !*update {
		t.Error("no golden files under testdata/golden")
	}
}

// TestGoldenIsIndented keeps the golden files readable: indented JSON
// ending in a newline.
func TestGoldenIsIndented(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := json.Indent(&buf, b, "", "  "); err != nil || !bytes.Equal(buf.Bytes(), b) {
			t.Errorf("%s is not JSON indented by two spaces (%v)", f, err)
		}
	}
}
