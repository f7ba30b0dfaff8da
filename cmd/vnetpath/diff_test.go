package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const linkAPI = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms/virtualNetworkLinks/link-vnet-hub"

func TestDiffTextLeadsWithTheSummaryAndExits1OnARegression(t *testing.T) {
	code, out, errs := runCLI("diff", "--before", contoso, "--plan", unlinkPlan)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (answers that were reachable no longer are); stderr %s", code, errs)
	}
	lines := strings.Split(out, "\n")
	n := profileAnswers(t, contoso)
	if lines[0] != "9 answers changed: 6 no longer reachable, 3 otherwise changed" ||
		lines[1] != fmt.Sprintf("%d answers compared, %d checked again after the change; 1 resource changed", n, n) {
		t.Errorf("summary:\n%s\n%s", lines[0], lines[1])
	}
	for _, want := range []string{
		"\nNO LONGER REACHABLE  vnet-spoke-ml/snet-train → " + workspaceAPI + " (Azure ML workspace API) tcp/443\n" +
			"  workspace mlw-contoso\n  before: reachable: delivered to pe-mlw-contoso\n  after:  private-endpoint-bypassed: ",
		"\nCHANGED  vnet-spoke-data/snet-batch → " + workspaceAPI,
		"  caused by: privatelink.api.azureml.ms/link-vnet-hub (removed)\n",
		"\nresources changed:\n  removed  " + linkAPI + "\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "caused by:") != 9 {
		t.Errorf("%d entries name their cause, want 9", strings.Count(out, "caused by:"))
	}
}

func TestDiffJSON(t *testing.T) {
	code, out, _ := runCLI("diff", "--before", contoso, "--plan", unlinkPlan, "--from", "vnet-spoke-data/snet-batch", "-o", "json")
	if code != 0 {
		t.Errorf("exit %d, want 0: snet-batch's changed answers were not reachable before", code)
	}
	var rep struct {
		Before struct {
			Inputs   []string
			Snapshot struct{ Resources int }
		}
		After struct {
			Inputs   []string
			Snapshot struct{ Resources int }
		}
		Changed []struct {
			Source, Destination, Protocol string
			Port                          int
			Before, After                 *struct{ Verdict, Reason string }
			Causes                        []string
		}
		Summary struct {
			Compared, Changed, NoLongerReachable, Otherwise int
		}
		Warnings []string
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(rep.Before.Inputs) != 1 || len(rep.After.Inputs) != 2 || rep.After.Inputs[1] != unlinkPlan ||
		rep.Before.Snapshot.Resources != 56 || rep.After.Snapshot.Resources != 55 {
		t.Errorf("estates %+v / %+v", rep.Before, rep.After)
	}
	if rep.Summary.Compared != profileAnswers(t, contoso, "--from", "vnet-spoke-data/snet-batch") || rep.Summary.Changed != 3 || rep.Summary.Otherwise != 3 || rep.Summary.NoLongerReachable != 0 {
		t.Errorf("summary %+v", rep.Summary)
	}
	for _, c := range rep.Changed {
		if c.Before == nil || c.After == nil || c.Before.Verdict != "denied-by-nsg" || c.After.Verdict != "private-endpoint-bypassed" ||
			c.Protocol != "tcp" || c.Port != 443 || len(c.Causes) != 1 || c.Causes[0] != linkAPI {
			t.Errorf("entry %+v", c)
		}
	}
	if !strings.Contains(strings.Join(rep.Warnings, "\n"), "no service-tag catalog was given") {
		t.Errorf("warnings %q", rep.Warnings)
	}
}

// profileAnswers is how many answers check gives for the Azure ML profile
// of an estate, with more arguments such as --from.
func profileAnswers(t *testing.T, snapshot string, args ...string) int {
	t.Helper()
	var rep cliResult
	runJSON(t, &rep, append([]string{"check", "--snapshot", snapshot, "-o", "json"}, args...)...)
	return len(rep.Results)
}

func TestDiffWithoutRegressionExits0(t *testing.T) {
	// The default route to the Internet: the answers change (egress) but
	// stay reachable.
	args := append([]string{"diff", "--before", contoso, "--template", routeTemplate, "--parameter", "nextHopType=Internet"}, contosoScope...)
	code, out, errs := runCLI(args...)
	head := regexp.MustCompile(`^(\d+) answers changed: (\d+) otherwise changed(, (\d+) gone)?\n(\d+) answers compared, (\d+) checked again`).FindStringSubmatch(out)
	if code != 0 || head == nil || head[5] != strconv.Itoa(profileAnswers(t, contoso)) {
		t.Errorf("exit %d, stderr %s\n%s", code, errs, out)
	}
	// Only the training subnet's answers change, for the route: they leave
	// through default outbound access instead of the firewall (its SMB
	// checks, asked because a firewall sat in the path, are gone).
	n := strings.Count(out, "\nCHANGED  ") + strings.Count(out, "\nGONE  ")
	if n == 0 || n != strings.Count(out, "  vnet-spoke-ml/snet-train → ") ||
		n != strings.Count(out, "caused by: rt-spoke-ml/default-to-fw (modified)\n") {
		t.Errorf("%d changed answers; want each from snet-train, caused by the route:\n%s", n, out)
	}
	// The same snapshot on both sides.
	code, out, _ = runCLI("diff", "--before", contoso, "--after", contoso, "--to", "login.microsoftonline.com")
	if code != 0 || !strings.HasPrefix(out, "no answer changed (4 compared)\n") {
		t.Errorf("identical estates: exit %d\n%s", code, out)
	}
}

func TestDiffUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no before", []string{"diff", "--after", contoso}, "vnetpath diff: --before is required"},
		{"no after", []string{"diff", "--before", contoso},
			"vnetpath diff: give the estate after the change: --after PATH, or --template FILE or --plan FILE to apply to --before"},
		{"after and a plan", []string{"diff", "--before", contoso, "--after", contoso, "--plan", unlinkPlan},
			"vnetpath diff: --after is a snapshot of the estate after the change; --template and --plan apply a change to --before instead: give one or the other"},
		{"before from standard input", []string{"diff", "--before", "-", "--plan", unlinkPlan},
			"vnetpath diff: --before - is not supported: give a path (a plan can be read from standard input with --plan -)"},
		{"bad port", []string{"diff", "--before", contoso, "--plan", unlinkPlan, "--port", "0"},
			`vnetpath diff: --port "0": want a port number from 1 to 65535`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCLI(tc.args...)
			first, _, _ := strings.Cut(errs, "\n")
			if code != 2 || out != "" || first != tc.want {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant 2 and %s", code, out, errs, tc.want)
			}
		})
	}
	// A source neither estate holds is an input error naming the flag.
	code, _, errs := runCLI("diff", "--before", contoso, "--plan", unlinkPlan, "--from", "vnet-nowhere/snet-x", "--to", "login.microsoftonline.com")
	if code != 2 || !strings.Contains(errs, `--from "vnet-nowhere/snet-x": no subnet matches, before or after the change`) {
		t.Errorf("exit %d, stderr %s", code, errs)
	}
}

func TestDiffWarningsNameTheEstateTheyAreAbout(t *testing.T) {
	got := sides([]string{"a.json: only before", "shared"}, []string{"shared", "plan.json: assumed: x"})
	want := []string{"before: a.json: only before", "shared", "after: plan.json: assumed: x"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}
