package render_test

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/render"
	"github.com/vnetpath/vnetpath/topology"
)

// TestDrawingsCarryTheAnswer checks the drawings of a profile from two
// sources: a cluster per source and per answer titled with its verdict;
// a node per hop per path, so two paths through the Internet have two
// Internet nodes; the hop where the packet stopped red, with the rule
// that stopped it on the red edge to the destination; the private
// endpoint bypassed named with its workspace; the DNS chain to the
// address; egress with its public IP; a legend; no node defined twice.
func TestDrawingsCarryTheAnswer(t *testing.T) {
	srcs := sourcesN(2)
	r := profile(srcs, map[string]bool{srcs[0]: true}, map[string]bool{srcs[1]: true})
	var dot, mer strings.Builder
	if err := render.Dot(&dot, r); err != nil {
		t.Fatal(err)
	}
	if err := render.Mermaid(&mer, r); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		out  string
		def  *regexp.Regexp
		want []string
	}{
		{"dot", dot.String(), regexp.MustCompile(`(?m)^\s*(\w+) \[label=`), []string{
			"digraph vnetpath {",
			`subgraph cluster_s0 {` + "\n" + `    label="workspace mlw-a · from spoke-0000/snet-app"`,
			`label="#2 ✗ PRIVATE-ENDPOINT-BYPASSED: ` + apiFQ + ` tcp/443"`,
			`label="✗ resolves publicly, bypassing private endpoint pe-mlw-a of workspace mlw-a (zone privatelink.api.azureml.ms)", color="#cc0000"`,
			`label="✗ denied by nsg-a/deny-arm", color="#cc0000"`,
			`label="internet\nInternet\negress 20.10.10.10 (azureFirewall)"`,
			`label="0.0.0.0/0 → VirtualAppliance 10.0.1.4"`,
			`label="DNS resolver\nAzure-provided DNS (168.63.129.16) in VNet spoke"`,
			`label="A ` + strings.Replace(apiFQ, ".api.", ".privatelink.api.", 1) + `\n→ 10.2.0.5\n(private zone privatelink.api.azureml.ms)"`,
			`label="10.2.0.5"`,
			"subgraph cluster_legend",
		}},
		{"mermaid", mer.String(), regexp.MustCompile(`(?m)^\s*(\w+)(?:\[|\(\[|>)"`), []string{
			"flowchart LR",
			`subgraph s0["workspace mlw-a · from spoke-0000/snet-app"]`,
			`-.->|"✗ resolves publicly, bypassing private endpoint pe-mlw-a of workspace mlw-a (zone privatelink.api.azureml.ms)"|`,
			`-.->|"✗ denied by nsg-a/deny-arm"|`,
			`["internet<br/>Internet<br/>egress 20.10.10.10 (azureFirewall)"]:::hop`,
			`workspace mlw-a"]):::dst`,
			`subgraph legend["legend"]`,
			"linkStyle ",
		}},
	} {
		for _, w := range tc.want {
			if !strings.Contains(tc.out, w) {
				t.Errorf("%s lacks %q:\n%s", tc.name, w, tc.out)
			}
		}
		onceEach(t, tc.name, tc.out, tc.def)
		// Each answer that goes to the Internet has its own Internet node.
		if n := strings.Count(tc.out, "Internet"); n < 4 {
			t.Errorf("%s: %d Internet nodes for 4 paths through it", tc.name, n)
		}
		// The blocked hops are red: one per failed answer.
		blocked := strings.Count(tc.out, `color="#cc0000", fillcolor="#fde8e8"`) + strings.Count(tc.out, ":::blocked")
		if blocked < 2 {
			t.Errorf("%s: %d red hops, want one per failed answer (2)", tc.name, blocked)
		}
	}
}

// TestDrawingsQuietSources checks that sources that reach every endpoint
// are counted in the legend, not drawn, when there are more than 20.
func TestDrawingsQuietSources(t *testing.T) {
	srcs := sourcesN(30)
	r := profile(srcs, map[string]bool{srcs[3]: true}, nil)
	var dot strings.Builder
	if err := render.Dot(&dot, r); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(dot.String(), "subgraph cluster_s"); n != 1 {
		t.Errorf("%d source clusters, want 1 (the failing source)", n)
	}
	if !strings.Contains(dot.String(), "29 sources reach every endpoint (not drawn)") {
		t.Errorf("the quiet sources are not counted:\n%.2000s", dot.String())
	}
}

// TestDrawingEscapes checks that quotes, backslashes and angle brackets
// in values cannot break out of a label.
func TestDrawingEscapes(t *testing.T) {
	r := &answer.Report{Results: []answer.Result{{Source: snetA, Destination: `a"b\c<d>#e`, Protocol: "tcp", Port: 1,
		Verdict: answer.Unknown, Reason: "x", Hops: []answer.Hop{{Node: snetA, Kind: answer.HopSubnet, Name: `n"\`}}}}}
	var dot, mer strings.Builder
	if err := render.Dot(&dot, r); err != nil {
		t.Fatal(err)
	}
	if err := render.Mermaid(&mer, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dot.String(), `a\"b\\c<d>#e`) || !strings.Contains(dot.String(), `n\"\\"`) {
		t.Errorf("DOT does not escape quotes and backslashes:\n%s", dot.String())
	}
	if strings.ContainsAny(strings.Join(regexp.MustCompile(`"[^"]*"`).FindAllString(mer.String(), -1), ""), "<>") &&
		strings.Contains(mer.String(), "<d>") {
		t.Errorf("Mermaid does not escape angle brackets:\n%s", mer.String())
	}
	if !strings.Contains(mer.String(), "a#quot;b\\c#lt;d#gt;#35;e") {
		t.Errorf("Mermaid does not escape the destination:\n%s", mer.String())
	}
}

// TestMermaidEdgeLimit checks that a Mermaid drawing stays within the
// edges Mermaid accepts, draws every failed answer before any reachable
// one, and says in the legend how many answers it left out.
func TestMermaidEdgeLimit(t *testing.T) {
	srcs := sourcesN(60)
	r := profile(srcs, nil, allOf(srcs))
	// Each source denied by its own NSG, so that no two failures share
	// their cause and each is drawn.
	for i := range r.Results {
		if res := &r.Results[i]; res.Verdict == answer.DeniedByNSG {
			res.Blockers = slices.Clone(res.Blockers)
			res.Blockers[0].Resource += "-" + strconv.Itoa(i)
		}
	}
	var dot, mer strings.Builder
	if err := render.Dot(&dot, r); err != nil {
		t.Fatal(err)
	}
	if err := render.Mermaid(&mer, r); err != nil {
		t.Fatal(err)
	}
	edges := regexp.MustCompile(`(?m)^\s*\w+ (?:-->|-\.->)`)
	if n := len(edges.FindAllString(dot.String(), -1)) + strings.Count(dot.String(), " -> "); n <= render.MermaidMaxEdges {
		t.Fatalf("the DOT drawing has %d edges; the test needs more than %d", n, render.MermaidMaxEdges)
	}
	n := len(edges.FindAllString(mer.String(), -1))
	if n > render.MermaidMaxEdges || n < render.MermaidMaxEdges/2 {
		t.Errorf("Mermaid drawing has %d edges, want at most %d and not far below", n, render.MermaidMaxEdges)
	}
	if got := strings.Count(mer.String(), `-.->|"✗ denied by nsg-a/deny-arm"|`); got != len(srcs) {
		t.Errorf("%d failed answers drawn, want all %d", got, len(srcs))
	}
	if !regexp.MustCompile(`legend_omitted\["\d+ answers not drawn \(failures first; Mermaid draws at most 500 edges`).MatchString(mer.String()) {
		t.Errorf("the legend does not count the answers left out:\n%.1500s", mer.String())
	}
}

// TestDrawingsOfAnEstate checks that DOT and Mermaid draw a whole estate
// as the text report shows it: failures that share their cause and fix
// across sources once, for the first source, with the group in its title,
// and more than 200 reachable answers counted in the legend, not drawn.
func TestDrawingsOfAnEstate(t *testing.T) {
	srcs := sourcesN(120)
	r := profile(srcs, nil, allOf(srcs))
	var dot, mer strings.Builder
	if err := render.Dot(&dot, r); err != nil {
		t.Fatal(err)
	}
	if err := render.Mermaid(&mer, r); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"DOT": dot.String(), "Mermaid": mer.String()} {
		if n := strings.Count(out, "✗ denied by nsg-a/deny-arm"); n != 1 {
			t.Errorf("%s draws the shared denial %d times, want once", name, n)
		}
		for _, want := range []string{"120 answers · DENIED-BY-NSG · endpoint ", "3 from 120 sources · for example from " + topology.ShortName(srcs[0]),
			"119 more failed answers share their cause and fix with a drawn one", "240 reachable answers not drawn"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q:\n%.3000s", name, want, out)
			}
		}
		if strings.Contains(out, "#1 ✓") {
			t.Errorf("%s draws reachable answers beyond 200", name)
		}
	}
}

// allOf is a set of every source.
func allOf(srcs []string) map[string]bool {
	m := make(map[string]bool, len(srcs))
	for _, s := range srcs {
		m[s] = true
	}
	return m
}
