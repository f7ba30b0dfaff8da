package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// sharedDir returns ../shared (beside the repository) or skips the test.
func sharedDir(t testing.TB) string {
	t.Helper()
	d := filepath.Join("..", "..", "..", "shared")
	if _, err := os.Stat(d); err != nil {
		t.Skipf("skipping: %s is absent (the shared scenarios and test data live beside the repository)", d)
	}
	return d
}

type scenarioExpect struct {
	Description string `json:"description"`
	Snapshot    string `json:"snapshot"`
	ServiceTags string `json:"serviceTags"`
	Check       []struct {
		From           string   `json:"from"`
		To             string   `json:"to"`
		Port           int      `json:"port"`
		Protocol       string   `json:"protocol"`
		Verdict        string   `json:"verdict"`
		HopsInclude    []string `json:"hopsInclude"`
		HopsExclude    []string `json:"hopsExclude"`
		RulesInclude   []string `json:"rulesInclude"`
		EgressPublicIP string   `json:"egressPublicIP"`
		FixesAtLeast   int      `json:"fixesAtLeast"`
	} `json:"check"`
	Routes []struct {
		Subnet  string      `json:"subnet"`
		Exact   bool        `json:"exact"`
		Include []routeWant `json:"include"`
		Exclude []routeWant `json:"exclude"`
	} `json:"routes"`
	Resolve []struct {
		From         string   `json:"from"`
		Name         string   `json:"name"`
		Addresses    []string `json:"addresses"`
		NotAddresses []string `json:"notAddresses"`
		Rcode        string   `json:"rcode"`
	} `json:"resolve"`
}

type routeWant struct {
	AddressPrefix    string `json:"addressPrefix"`
	NextHopType      string `json:"nextHopType"`
	Source           string `json:"source"`
	State            string `json:"state"`
	NextHopIPAddress string `json:"nextHopIpAddress"`
}

type cliResult struct {
	Results []struct {
		Source      string `json:"source"`
		Destination string `json:"destination"`
		FQDN        string `json:"fqdn"`
		Protocol    string `json:"protocol"`
		Port        int    `json:"port"`
		Verdict     string `json:"verdict"`
		Reachable   bool   `json:"reachable"`
		Reason      string `json:"reason"`
		Hops        []struct {
			Route *struct {
				NextHopType string `json:"nextHopType"`
			} `json:"route"`
			Rules []string `json:"rules"`
		} `json:"hops"`
		Egress *struct {
			PublicIP string `json:"publicIP"`
		} `json:"egress"`
		Fixes []struct {
			Text string `json:"text"`
		} `json:"fixes"`
	} `json:"results"`
}

// runJSON runs the CLI and decodes its JSON output.
func runJSON(t *testing.T, out any, args ...string) int {
	t.Helper()
	var stdout, stderr bytes.Buffer
	rc := run(args, &stdout, &stderr)
	if rc == exitUsage {
		t.Fatalf("vnetpath %s: exit %d: %s", strings.Join(args, " "), rc, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		t.Fatalf("vnetpath %s: output is not JSON: %v\n%s", strings.Join(args, " "), err, stdout.String())
	}
	return rc
}

// TestScenarios runs every expectation of ../shared/scenarios through the
// CLI, without a service-tag catalog and again with the newest public one:
// the verdicts must not depend on whether prefixes are known.
func TestScenarios(t *testing.T) {
	shared := sharedDir(t)
	base := filepath.Join(shared, "scenarios")
	dirs, err := os.ReadDir(base)
	if err != nil {
		t.Fatal(err)
	}
	catalog := filepath.Join(shared, "testdata", "servicetags", "ServiceTags_Public_20251028.json")
	for _, withTags := range []bool{false, true} {
		for _, d := range dirs {
			ef := filepath.Join(base, d.Name(), "expect.json")
			data, err := os.ReadFile(ef)
			if err != nil {
				continue
			}
			var ex scenarioExpect
			if err := json.Unmarshal(data, &ex); err != nil {
				t.Fatalf("%s: %v", ef, err)
			}
			snap := filepath.Join(base, d.Name(), ex.Snapshot)
			var tags []string
			name := d.Name()
			switch {
			case ex.ServiceTags != "":
				tags = []string{"--service-tags", filepath.Join(shared, "testdata", "servicetags", ex.ServiceTags)}
			case withTags:
				tags = []string{"--service-tags", catalog}
			}
			if withTags {
				name += "/with-catalog"
			}
			t.Run(name, func(t *testing.T) {
				for _, c := range ex.Check {
					t.Run("check "+c.From+" to "+c.To, func(t *testing.T) {
						var out cliResult
						args := append([]string{"check", "--snapshot", snap, "--from", c.From, "--to", c.To,
							"--port", strconv.Itoa(c.Port), "--protocol", c.Protocol, "--format", "json"}, tags...)
						rc := runJSON(t, &out, args...)
						if len(out.Results) == 0 {
							t.Fatal("no results")
						}
						r := out.Results[0]
						if r.Verdict != c.Verdict {
							t.Errorf("verdict %q, want %q (reason: %s)", r.Verdict, c.Verdict, r.Reason)
						}
						if r.Reachable != (c.Verdict == "reachable") || (rc == exitOK) != r.Reachable {
							t.Errorf("reachable %v and exit %d disagree with verdict %q", r.Reachable, rc, r.Verdict)
						}
						var hops, rules []string
						for _, h := range r.Hops {
							if h.Route != nil {
								hops = append(hops, h.Route.NextHopType)
							}
							rules = append(rules, h.Rules...)
						}
						for _, h := range c.HopsInclude {
							if !slices.Contains(hops, h) {
								t.Errorf("no %s hop in %v", h, hops)
							}
						}
						for _, h := range c.HopsExclude {
							if slices.Contains(hops, h) {
								t.Errorf("unexpected %s hop in %v", h, hops)
							}
						}
						named := strings.Join(rules, " ") + " " + r.Reason
						for _, rn := range c.RulesInclude {
							if !strings.Contains(named, rn) {
								t.Errorf("rule %s not named in %q", rn, named)
							}
						}
						if c.EgressPublicIP != "" && (r.Egress == nil || r.Egress.PublicIP != c.EgressPublicIP) {
							t.Errorf("egress %+v, want %s", r.Egress, c.EgressPublicIP)
						}
						if c.Verdict != "reachable" && len(r.Fixes) == 0 {
							t.Error("no fixes offered")
						}
						if len(r.Fixes) < c.FixesAtLeast {
							t.Errorf("%d fixes, want at least %d: %q", len(r.Fixes), c.FixesAtLeast, r.Fixes)
						}
					})
				}
				for _, rc := range ex.Routes {
					t.Run("routes "+rc.Subnet, func(t *testing.T) {
						var out struct {
							Value []struct {
								AddressPrefix    []string `json:"addressPrefix"`
								NextHopType      string   `json:"nextHopType"`
								Source           string   `json:"source"`
								State            string   `json:"state"`
								NextHopIPAddress []string `json:"nextHopIpAddress"`
							} `json:"value"`
						}
						runJSON(t, &out, append([]string{"routes", "--snapshot", snap, "--subnet", rc.Subnet, "--format", "json"}, tags...)...)
						match := func(w routeWant) bool {
							for _, g := range out.Value {
								if !slices.Contains(g.AddressPrefix, w.AddressPrefix) || g.NextHopType != w.NextHopType {
									continue
								}
								if (w.Source != "" && g.Source != w.Source) || (w.State != "" && g.State != w.State) {
									continue
								}
								if w.NextHopIPAddress != "" && !slices.Contains(g.NextHopIPAddress, w.NextHopIPAddress) {
									continue
								}
								return true
							}
							return false
						}
						for _, w := range rc.Include {
							if !match(w) {
								t.Errorf("missing route %+v", w)
							}
						}
						for _, w := range rc.Exclude {
							if match(w) {
								t.Errorf("unexpected route %+v", w)
							}
						}
						if rc.Exact && len(out.Value) != len(rc.Include) {
							t.Errorf("%d routes, want exactly %d", len(out.Value), len(rc.Include))
						}
					})
				}
				for _, rs := range ex.Resolve {
					t.Run("resolve "+rs.Name+" from "+rs.From, func(t *testing.T) {
						var out struct {
							Addresses []string `json:"addresses"`
							Rcode     string   `json:"rcode"`
						}
						runJSON(t, &out, "resolve", "--snapshot", snap, "--from", rs.From, "--name", rs.Name, "--format", "json")
						for _, a := range rs.Addresses {
							if !slices.Contains(out.Addresses, a) {
								t.Errorf("address %s missing from %v", a, out.Addresses)
							}
						}
						for _, a := range rs.NotAddresses {
							if slices.Contains(out.Addresses, a) {
								t.Errorf("address %s must not be in %v", a, out.Addresses)
							}
						}
						if rs.Rcode != "" && out.Rcode != rs.Rcode {
							t.Errorf("rcode %s, want %s", out.Rcode, rs.Rcode)
						}
					})
				}
			})
		}
	}
}
