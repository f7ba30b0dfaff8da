package main

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vnetpath/vnetpath/bench/estategen"
)

// textLines checks that no line of out is wider than 100 columns or ends
// in a space, and returns the lines.
func textLines(t *testing.T, out string) []string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for i, l := range lines {
		if n := utf8.RuneCountInString(l); n > 100 {
			t.Errorf("line %d is %d columns wide:\n%s", i+1, n, l)
		}
		if strings.HasSuffix(l, " ") {
			t.Errorf("line %d ends in a space: %q", i+1, l)
		}
	}
	return lines
}

// TestCheckTextSummaryFirst runs the Quick start's command: the summary
// matrix, a row per workload subnet, is within the first 15 lines, no line
// is over 100 columns, and the load summary and warnings are on stderr.
func TestCheckTextSummaryFirst(t *testing.T) {
	code, out, errs := runCLI("check", "--snapshot", contoso)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %q", code, errs)
	}
	lines := textLines(t, out)
	// A row of the first column group (a wide profile is split into groups
	// that fit 100 columns): the source and at least eight cells.
	row := regexp.MustCompile(`^vnet-[a-z-]+/snet-[a-z]+ +(✓|[A-Z?]{1,3})( +(✓|[A-Z?]{1,3})){7,}$`)
	var rows []string
	for i, l := range lines {
		if row.MatchString(l) && !slices.Contains(rows, strings.Fields(l)[0]) {
			if i >= 15 {
				t.Errorf("matrix row %q is line %d; the summary must be within the first 15 lines", l, i+1)
			}
			rows = append(rows, strings.Fields(l)[0])
		}
	}
	if want := []string{"vnet-hub/snet-shared", "vnet-spoke-app/snet-web", "vnet-spoke-data/snet-batch", "vnet-spoke-ml/snet-train"}; !slices.Equal(rows, want) {
		t.Errorf("matrix rows %q, want %q:\n%s", rows, want, out)
	}
	if !strings.HasPrefix(errs, "snapshot: 56 resources") || !strings.Contains(errs, "warning: no service-tag catalog was given") {
		t.Errorf("stderr lacks the load summary and warnings: %q", errs)
	}
	if strings.Contains(out, "warning:") || strings.Contains(out, "snapshot: ") {
		t.Errorf("stdout carries the load summary or warnings:\n%s", out)
	}
	if i, j := strings.Index(out, "Not reachable ("), strings.Index(out, "Reachable ("); i < 0 || j < i {
		t.Errorf("the failures do not come before the reachable answers:\n%s", out)
	}
}

// writtenEstate writes the generated hub-and-spoke estate of n spokes
// (seed 1) to a directory and returns it.
func writtenEstate(t *testing.T, n int) string {
	t.Helper()
	e, err := estategen.GenerateWith(estategen.Options{Spokes: n, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := e.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestCheckTextAtScale checks the text of a generated estate of 520
// spokes (over 2,000 workload subnets) to Entra ID and ARM: the summary comes
// first, and the length follows the failures, not sources × endpoints.
func TestCheckTextAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("the 520-spoke estate is skipped in -short mode")
	}
	dir := writtenEstate(t, 520)
	args := []string{"check", "--snapshot", dir, "--to", "login.microsoftonline.com", "--to", "management.azure.com"}
	var rep struct {
		Results []struct {
			Source    string `json:"source"`
			Reachable bool   `json:"reachable"`
		} `json:"results"`
	}
	runJSON(t, &rep, append(args, "-o", "json")...)
	sources, failures := map[string]bool{}, 0
	for _, r := range rep.Results {
		sources[r.Source] = true
		if !r.Reachable {
			failures++
		}
	}
	if len(sources) < 2000 || failures == 0 {
		t.Fatalf("%d sources, %d failures: the estate is not the one this test needs", len(sources), failures)
	}
	_, out, _ := runCLI(args...)
	lines := textLines(t, out)
	if !strings.Contains(lines[2], "sources × 2 destinations") {
		t.Errorf("line 3 is %q, want the summary's title", lines[2])
	}
	if limit := 40*failures + 60; len(lines) > limit {
		t.Errorf("%d lines for %d failures of %d answers; want at most %d", len(lines), failures, len(rep.Results), limit)
	}
	t.Logf("%d sources, %d answers, %d failures: %d lines", len(sources), len(rep.Results), failures, len(lines))
}

// TestCheckWarningsOncePerEstate checks the warnings of the profile of a
// generated estate, whose spokes resolve through the hub and have no
// reverse zones: the warning every VNet's answers make about a workspace's
// private endpoint addresses is printed once, counting the VNets, in text
// (on stderr) and in JSON alike; no two warnings say the same of different
// VNets.
func TestCheckWarningsOncePerEstate(t *testing.T) {
	dir := writtenEstate(t, 40)
	args := []string{"check", "--snapshot", dir}
	var rep struct {
		Warnings []string `json:"warnings"`
		Results  []struct {
			Source   string   `json:"source"`
			Warnings []string `json:"warnings"`
		} `json:"results"`
	}
	runJSON(t, &rep, append(args, "--format", "json")...)
	// What a warning says of a VNet, with "each of them" for the VNet's
	// own name (the generated names are not prefixes of one another).
	perVNet := regexp.MustCompile(`^from VNet ([^,]+), (.*)$`)
	says := func(m []string) string { return strings.ReplaceAll(m[2], "VNet "+m[1], "each of them") }
	vnets := map[string]map[string]bool{} // what a result's warning says -> the VNets it says it of
	for _, r := range rep.Results {
		for _, w := range r.Warnings {
			if m := perVNet.FindStringSubmatch(w); m != nil {
				if vnets[says(m)] == nil {
					vnets[says(m)] = map[string]bool{}
				}
				vnets[says(m)][m[1]] = true
			}
		}
	}
	merged := regexp.MustCompile(`^from (\d+) VNets \([^)]*\), (.*)$`)
	said := map[string]int{}
	for _, w := range rep.Warnings {
		if m := merged.FindStringSubmatch(w); m != nil {
			if n, _ := strconv.Atoi(m[1]); n != len(vnets[m[2]]) {
				t.Errorf("%q counts %s VNets; the answers say it of %d", w[:80], m[1], len(vnets[m[2]]))
			}
			said[m[2]]++
		} else if m := perVNet.FindStringSubmatch(w); m != nil {
			said[says(m)]++
		}
	}
	many := 0
	for text, vs := range vnets {
		if len(vs) >= 10 {
			many++
		}
		if said[text] != 1 {
			t.Errorf("what %d VNets' answers say is in %d report warnings, want 1: %.100q", len(vs), said[text], text)
		}
	}
	if many == 0 {
		t.Fatal("no warning is made by ten VNets or more: the estate no longer tests merging")
	}
	_, _, stderr := runCLI(args...)
	var printed []string
	for _, l := range strings.Split(stderr, "\n") {
		switch {
		case strings.HasPrefix(l, "warning: "):
			printed = append(printed, strings.TrimPrefix(l, "warning: "))
		case strings.HasPrefix(l, "  ") && len(printed) > 0:
			printed[len(printed)-1] += " " + strings.TrimSpace(l)
		}
	}
	if len(printed) != len(rep.Warnings) || len(printed) > len(rep.Results)/100 {
		t.Errorf("%d warnings on stderr, %d in JSON, for %d answers", len(printed), len(rep.Warnings), len(rep.Results))
	}
}

// TestCheckFailuresOnly checks --failures-only: text keeps the summary of
// every answer and details only the failures; JSON and the drawings hold
// only the failures; the exit status is that of every answer.
func TestCheckFailuresOnly(t *testing.T) {
	base := []string{"check", "--snapshot", contoso, "--failures-only"}
	code, out, _ := runCLI(base...)
	var all cliResult
	runJSON(t, &all, "check", "--snapshot", contoso, "-o", "json")
	if code != 1 || strings.Contains(out, "Reachable (") || !strings.Contains(out, fmt.Sprintf("%d answers: ", len(all.Results))) || !strings.Contains(out, "Not reachable (") {
		t.Errorf("text: exit %d\n%s", code, out)
	}
	var rep cliResult
	if code := runJSON(t, &rep, append(base, "-o", "json")...); code != 1 || len(rep.Results) == 0 {
		t.Fatalf("json: exit %d, %d results", code, len(rep.Results))
	}
	for _, r := range rep.Results {
		if r.Reachable {
			t.Errorf("json --failures-only holds a reachable answer: %+v", r)
		}
	}
	_, dot, _ := runCLI(append(base, "-o", "dot")...)
	if strings.Contains(dot, "✓: login.microsoftonline.com") {
		t.Errorf("dot --failures-only draws a reachable answer")
	}
}

// TestColorOK checks when the text is coloured: never into a pipe or a
// buffer, nor when NO_COLOR is set (no-color.org).
func TestColorOK(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "NO_COLOR" {
				return v
			}
			return ""
		}
	}
	var b strings.Builder
	if colorOK(&b, env("")) {
		t.Error("colour into a buffer")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if colorOK(w, env("")) {
		t.Error("colour into a pipe")
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		if !colorOK(tty, env("")) {
			t.Error("no colour on a terminal")
		}
		if colorOK(tty, env("1")) {
			t.Error("colour on a terminal with NO_COLOR=1")
		}
	}
}

// TestCheckHTML checks check --format html: one page that references
// nothing outside itself, with the matrix and the failures.
func TestCheckHTML(t *testing.T) {
	code, page, errs := runCLI("check", "--snapshot", contoso, "-o", "html")
	if code != 1 || errs != "" {
		t.Fatalf("exit %d, stderr %q; want 1 and the warnings in the page", code, errs)
	}
	for _, want := range []string{"<!DOCTYPE html>", `<table class="matrix"`, `<article class="answer fail"`, "<svg class=\"path\"", "<h3>Warnings ("} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	external := regexp.MustCompile(`(?i)(<script[^>]+src=|<link\b|<img\b|@import|url\(\s*['"]?(https?:|//)|<iframe|(src|href)=["']?(https?:)?//)`)
	if m := external.FindString(page); m != "" {
		t.Errorf("the page references something outside itself: %q", m)
	}
}

// TestCheckHTMLAtScale checks check --format html on the profile of a
// generated estate of 60 spokes: the page shows it as the text does, rows
// with the same marks once, failures that share their cause and fix once
// per group and the reachable answers counted by endpoint; and every
// failed cell still links to an answer on the page.
func TestCheckHTMLAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("the 60-spoke estate is skipped in -short mode")
	}
	dir := writtenEstate(t, 60)
	var rep struct {
		Results []struct {
			Source    string `json:"source"`
			Reachable bool   `json:"reachable"`
		} `json:"results"`
	}
	runJSON(t, &rep, "check", "--snapshot", dir, "--format", "json")
	sources, failures := map[string]bool{}, 0
	for _, r := range rep.Results {
		sources[r.Source] = true
		if !r.Reachable {
			failures++
		}
	}
	code, page, _ := runCLI("check", "--snapshot", dir, "--format", "html")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(`<article class="answer fail" id="(r\d+)"`).FindAllStringSubmatch(page, -1) {
		ids[m[1]] = true
	}
	links := regexp.MustCompile(`<td class="fail"[^>]*><a href="#(r\d+)">`).FindAllStringSubmatch(page, -1)
	for _, m := range links {
		if !ids[m[1]] {
			t.Errorf("a failed cell links to #%s, which the page does not hold", m[1])
		}
	}
	rows := strings.Count(page, "<tr data-source=")
	groups := strings.Count(page, `<section class="group"`)
	if len(links) == 0 || groups == 0 || len(ids) >= failures/4 || rows >= len(sources)/2 {
		t.Errorf("%d failed cells linked, %d groups, %d answers drawn for %d failures, %d matrix rows for %d sources: want the estate summarised",
			len(links), groups, len(ids), failures, rows, len(sources))
	}
	if !strings.Contains(page, fmt.Sprintf("Not reachable (%s answers)", thousands(failures))) || !strings.Contains(page, "Counted by endpoint") ||
		strings.Contains(page, `<tr id="r`) {
		t.Errorf("the page does not count every failure and tally the reachable answers by endpoint")
	}
	t.Logf("%d sources, %d answers, %d failures: %d groups, %d answers drawn, %d rows, %d bytes", len(sources), len(rep.Results), failures, groups, len(ids), rows, len(page))
}

// thousands writes n as reports do: "15,630".
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestGraphCommand checks vnetpath graph in its three formats on the
// example estate.
func TestGraphCommand(t *testing.T) {
	var g struct {
		Nodes []struct{ ID, Type, Name, Parent string } `json:"nodes"`
		Edges []struct {
			Type, From, To, Label string
			Problem               bool
		} `json:"edges"`
	}
	if code := runJSON(t, &g, "graph", "--snapshot", contoso, "-o", "json"); code != 0 {
		t.Fatalf("exit %d", code)
	}
	types := map[string]int{}
	for _, n := range g.Nodes {
		types[n.Type]++
	}
	for typ, want := range map[string]int{"vnet": 4, "subnet": 9, "firewall": 1, "gateway": 1, "natGateway": 1, "privateEndpoint": 1, "privateZone": 2, "dnsResolver": 1, "workspace": 1} {
		if types[typ] != want {
			t.Errorf("%d %s nodes, want %d (%v)", types[typ], typ, want, types)
		}
	}
	peerings := 0
	for _, e := range g.Edges {
		if e.Type == "peering" {
			peerings++
			if !strings.Contains(e.Label, "Connected") || e.Problem {
				t.Errorf("peering %q: the example's peerings are all Connected", e.Label)
			}
		}
	}
	if peerings != 6 {
		t.Errorf("%d peering edges, want 6 (three peerings, both halves)", peerings)
	}
	for format, want := range map[string]string{"dot": "digraph estate {", "mermaid": "flowchart LR", "": "digraph estate {"} {
		args := []string{"graph", "--snapshot", contoso}
		if format != "" {
			args = append(args, "--format", format)
		}
		code, out, errs := runCLI(args...)
		if code != 0 || !strings.HasPrefix(out, want) {
			t.Errorf("graph %s: exit %d, stderr %q, output starts %.40q", format, code, errs, out)
		}
	}
	if code, _, errs := runCLI("graph", "--snapshot", contoso, "-o", "svg"); code != 2 || !strings.Contains(errs, `-o "svg": unknown output format; want dot, mermaid or json`) {
		t.Errorf("graph -o svg: exit %d, stderr %q", code, errs)
	}
}
