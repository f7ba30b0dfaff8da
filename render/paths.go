package render

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/topology"
)

// The drawings of a report's paths ([Dot], [Mermaid]) and the SVG of the
// HTML report are made from one model: per source, per answer, a node
// per hop and edges between them, the destination, and the name
// resolution.

// Classes of drawn nodes and edges.
const (
	clsHop     = "hop"
	clsBlocked = "blocked" // where the packet stopped, or the edge that did not carry it
	clsOK      = "ok"      // the destination reached, the last edge of a reachable path
	clsDst     = "dst"     // a destination not reached
	clsDNS     = "dns"
	clsDNSBad  = "dnsBad" // a resolution that fails or bypasses a private endpoint
	clsLegend  = "legend"
)

type drawing struct {
	sources []*drawSource
	quiet   int // sources that reach every endpoint and are not drawn
	grouped int // failed answers a group's drawing stands for, not drawn
	reached int // reachable answers counted, not drawn
}

type drawSource struct {
	id, label string
	answers   []*drawAnswer
}

type drawAnswer struct {
	id, label string
	res       *answer.Result
	nodes     []drawNode
	edges     []drawEdge
}

type drawNode struct {
	id    string
	lines []string
	class string
}

type drawEdge struct {
	from, to, label, class string
}

// draw builds the drawing of a report's paths. A whole estate is drawn
// as the text report shows it: failures that share their cause and fix
// across sources once per group, for its first source, and reachable
// answers only when there are at most maxReachable; the others are
// counted.
func draw(a *answers) *drawing {
	d := &drawing{}
	ms := a.summarize()
	groups, grouped := groupFailures(a, ms)
	for k, fg := range groups {
		first := a.at(fg.members[0])
		src := &drawSource{id: "g" + strconv.Itoa(k), label: fg.headline() + " · for example from " + topology.ShortName(first.Source)}
		if fg.m.workspace != "" {
			src.label = "workspace " + topology.NameOf(fg.m.workspace) + " · " + src.label
		}
		src.answers = append(src.answers, drawResult("r"+strconv.Itoa(fg.members[0]), fg.firstCol, first))
		d.sources = append(d.sources, src)
		d.grouped += len(fg.members) - 1
	}
	// Reachable answers are drawn when the report has at most
	// maxReachable; otherwise those of the sources listed are counted.
	drawOK := a.ok <= maxReachable
	if !drawOK {
		for _, m := range ms {
			for _, rw := range m.rows {
				d.reached += rw.reached(a)
			}
		}
	}
	for _, m := range ms {
		d.quiet += len(m.quiet)
		for _, rw := range m.rows {
			src := &drawSource{id: "s" + strconv.Itoa(len(d.sources)), label: "from " + topology.ShortName(rw.source)}
			if m.workspace != "" {
				src.label = "workspace " + topology.NameOf(m.workspace) + " · " + src.label
			}
			for c, i := range rw.cells {
				if i >= 0 && !grouped[i] && (!a.reachable(i) || drawOK) {
					src.answers = append(src.answers, drawResult("r"+strconv.Itoa(i), c+1, a.at(i)))
				}
			}
			if len(src.answers) > 0 {
				d.sources = append(d.sources, src)
			}
		}
	}
	return d
}

// notDrawn says what a drawing counts instead of drawing, one line each.
func (d *drawing) notDrawn() []string {
	var out []string
	if d.quiet > 0 {
		out = append(out, count(d.quiet, "source reaches", "sources reach")+" every endpoint (not drawn)")
	}
	if d.grouped > 0 {
		out = append(out, count(d.grouped, "more failed answer shares its", "more failed answers share their")+" cause and fix with a drawn one (the group's sources are in its title)")
	}
	if d.reached > 0 {
		out = append(out, count(d.reached, "reachable answer", "reachable answers")+" not drawn (--format json lists every answer, --from SOURCE draws a source's)")
	}
	return out
}

// drawResult draws one answer: its hops in order, the destination, the
// edge that reached it or the blocker that did not, and the resolution.
func drawResult(id string, col int, res *answer.Result) *drawAnswer {
	a := &drawAnswer{id: id, res: res}
	mark := "✓"
	if !res.Reachable {
		mark = "✗ " + strings.ToUpper(string(res.Verdict))
	}
	a.label = fmt.Sprintf("#%d %s: %s", col, mark, endpoint(res))
	hop := func(j int) string { return id + "h" + strconv.Itoa(j) }
	for j, h := range res.Hops {
		lines := []string{string(h.Kind), h.DisplayName()}
		for _, s := range h.Steps {
			switch {
			case s.Egress != nil:
				lines = append(lines, "egress "+egressLabel(s.Egress))
			case s.SNAT != nil:
				lines = append(lines, "source → "+s.SNAT.To)
			}
		}
		cls := clsHop
		if j == len(res.Hops)-1 && !res.Reachable {
			cls = clsBlocked
		}
		a.nodes = append(a.nodes, drawNode{id: hop(j), lines: lines, class: cls})
		if j > 0 {
			a.edges = append(a.edges, drawEdge{from: hop(j - 1), to: hop(j), label: edgeRoute(res.Hops[j-1]), class: clsHop})
		}
	}
	dst := id + "d"
	dl := []string{endpoint(res)}
	if res.Purpose != "" {
		dl = append(dl, res.Purpose)
	}
	if res.Workspace != "" {
		dl = append(dl, "workspace "+topology.NameOf(res.Workspace))
	}
	dcls := clsOK
	if !res.Reachable {
		dcls = clsDst
	}
	a.nodes = append(a.nodes, drawNode{id: dst, lines: dl, class: dcls})
	if n := len(res.Hops); n > 0 {
		if res.Reachable {
			a.edges = append(a.edges, drawEdge{from: hop(n - 1), to: dst, label: edgeRoute(res.Hops[n-1]), class: clsOK})
		} else {
			why := res.Reason
			if len(res.Blockers) > 0 {
				why = blockerLabel(res.Blockers[0])
			}
			a.edges = append(a.edges, drawEdge{from: hop(n - 1), to: dst, label: "✗ " + why, class: clsBlocked})
		}
	}
	drawDNS(a, res)
	return a
}

// edgeRoute labels the edge that leaves a hop with the route it took.
func edgeRoute(h answer.Hop) string {
	if h.Route != nil {
		return routeShort(h.Route)
	}
	return ""
}

// drawDNS draws a resolution: the resolver, each step of its chain (the
// forwarding rule, CNAME, zone record) and the addresses, linked from the
// source.
func drawDNS(a *drawAnswer, res *answer.Result) {
	d := res.DNS
	if d == nil || (len(d.Chain) == 0 && d.Resolver == "") {
		return
	}
	bad := d.Blocker != nil || res.Verdict == answer.DNSUnresolved || res.Verdict == answer.PrivateEndpointBypassed
	prev := a.id + "q"
	a.nodes = append(a.nodes, drawNode{id: prev, lines: []string{"DNS resolver", d.Resolver}, class: clsDNS})
	if len(res.Hops) > 0 {
		a.edges = append(a.edges, drawEdge{from: a.id + "h0", to: prev, label: "resolve " + d.Name, class: clsDNS})
	}
	for k, c := range d.Chain {
		id := a.id + "q" + strconv.Itoa(k)
		a.nodes = append(a.nodes, drawNode{id: id, lines: []string{c.Type + " " + c.Name, "→ " + c.Value, "(" + c.Source + ")"}, class: clsDNS})
		a.edges = append(a.edges, drawEdge{from: prev, to: id, class: clsDNS})
		prev = id
	}
	ans := strings.Join(d.Addresses, ", ")
	switch {
	case d.Public:
		ans = "public address"
		if d.PublicTag != "" {
			ans += " (service tag " + d.PublicTag + ")"
		}
	case ans == "":
		ans = d.Rcode
	}
	lines := []string{ans}
	if len(d.Expected) > 0 && d.Public {
		lines = append(lines, "private endpoint "+topology.NameOf(d.Endpoint)+" at "+strings.Join(d.Expected, ", ")+" not used")
	}
	cls := clsDNS
	if bad {
		cls = clsDNSBad
	}
	id := a.id + "qa"
	a.nodes = append(a.nodes, drawNode{id: id, lines: lines, class: cls})
	a.edges = append(a.edges, drawEdge{from: prev, to: id, label: d.Rcode, class: cls})
}

// dotQuote quotes s as a DOT string: backslashes and quotes escaped,
// newlines as \n.
func dotQuote(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, `"`, `\"`)
	s = strings.ReplaceAll(s, "\n", `\n`)
	return `"` + s + `"`
}

// dotStyles are the DOT attributes of each class.
var dotNodeStyles = map[string]string{
	clsHop:     `shape=box, style="rounded,filled", fillcolor="#ffffff"`,
	clsBlocked: `shape=box, style="rounded,filled,bold", color="#cc0000", fillcolor="#fde8e8"`,
	clsOK:      `shape=ellipse, style=filled, color="#1f7a3a", fillcolor="#e6f4ea"`,
	clsDst:     `shape=ellipse, style="filled,dashed", color="#888888", fillcolor="#f4f4f4"`,
	clsDNS:     `shape=note, style=filled, color="#5566aa", fillcolor="#eef0fb"`,
	clsDNSBad:  `shape=note, style="filled,bold", color="#cc0000", fillcolor="#fde8e8"`,
	clsLegend:  `shape=plaintext`,
}

var dotEdgeStyles = map[string]string{
	clsHop:     `color="#444444"`,
	clsOK:      `color="#1f7a3a", penwidth=2`,
	clsBlocked: `color="#cc0000", fontcolor="#cc0000", style=dashed, penwidth=2`,
	clsDNS:     `color="#5566aa", fontcolor="#5566aa", style=dotted`,
	clsDNSBad:  `color="#cc0000", fontcolor="#cc0000", style=dotted, penwidth=2`,
}

// Dot writes the paths of a report as a Graphviz digraph: a cluster per
// source and within it one per answer, titled with its verdict; a node per
// hop of each path (nodes are never shared between answers), edges
// labelled with the route that took the packet on; the destination, and
// either a green edge that reaches it or a red dashed one labelled with
// the rule, route or peering that stopped the packet at the red hop; the
// name resolution from the source (resolver → forwarding rule, CNAME or
// record → address) and the public IP of egress; and a legend. When more
// than 20 sources reach every endpoint they are counted in the legend and
// not drawn; failures that share their cause and fix across sources are
// drawn once per group, and reachable answers are drawn only when the
// report has at most 200 (the Collector keeps no more whole); beyond,
// they are counted.
func Dot(w io.Writer, r *answer.Report) error { return answersOf(r).dot(w) }

// dot writes the DOT drawing of a's answers (see [Dot]).
func (a *answers) dot(w io.Writer) error {
	ew := &errWriter{w: w}
	d := draw(a)
	ew.printf("digraph vnetpath {\n")
	ew.printf("  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11, nodesep=0.25, ranksep=0.4];\n")
	ew.printf("  node [fontname=\"Helvetica\", fontsize=10];\n")
	ew.printf("  edge [fontname=\"Helvetica\", fontsize=9];\n")
	legend := dotLegend(d)
	ew.printf("%s", legend)
	for _, s := range d.sources {
		ew.printf("  subgraph cluster_%s {\n    label=%s; style=rounded; color=\"#999999\";\n", s.id, dotQuote(s.label))
		for _, a := range s.answers {
			color := `"#1f7a3a"`
			if !a.res.Reachable {
				color = `"#cc0000"`
			}
			ew.printf("    subgraph cluster_%s {\n      label=%s; fontcolor=%s; color=%s; style=\"rounded,dashed\";\n", a.id, dotQuote(a.label), color, color)
			for _, n := range a.nodes {
				ew.printf("      %s [label=%s, %s];\n", n.id, dotQuote(strings.Join(n.lines, "\n")), dotNodeStyles[n.class])
			}
			ew.printf("    }\n")
		}
		ew.printf("  }\n")
	}
	for _, s := range d.sources {
		for _, a := range s.answers {
			for _, e := range a.edges {
				ew.printf("  %s -> %s [label=%s, %s];\n", e.from, e.to, dotQuote(e.label), dotEdgeStyles[e.class])
			}
		}
	}
	ew.printf("}\n")
	return ew.err
}

func dotLegend(d *drawing) string {
	var b strings.Builder
	b.WriteString("  subgraph cluster_legend {\n    label=\"legend\"; style=rounded; color=\"#bbbbbb\";\n")
	fmt.Fprintf(&b, "    legend_hop [label=\"hop\\n(kind, name)\", %s];\n", dotNodeStyles[clsHop])
	fmt.Fprintf(&b, "    legend_ok [label=\"destination reached\", %s];\n", dotNodeStyles[clsOK])
	fmt.Fprintf(&b, "    legend_stop [label=\"hop where the\\npacket stopped\", %s];\n", dotNodeStyles[clsBlocked])
	fmt.Fprintf(&b, "    legend_dst [label=\"destination\\nnot reached\", %s];\n", dotNodeStyles[clsDst])
	fmt.Fprintf(&b, "    legend_dns [label=\"DNS resolver,\\nrecord, address\", %s];\n", dotNodeStyles[clsDNS])
	fmt.Fprintf(&b, "    legend_hop -> legend_ok [label=\"route taken\", %s];\n", dotEdgeStyles[clsOK])
	fmt.Fprintf(&b, "    legend_stop -> legend_dst [label=\"✗ rule, route or\\npeering that blocked\", %s];\n", dotEdgeStyles[clsBlocked])
	for k, l := range d.notDrawn() {
		fmt.Fprintf(&b, "    legend_note%d [label=%s, %s];\n", k, dotQuote(l), dotNodeStyles[clsLegend])
	}
	b.WriteString("  }\n")
	return b.String()
}

// mermaidText escapes s for a quoted Mermaid label: quotes, angle
// brackets and # as entity codes, newlines as <br/>.
func mermaidText(s string) string {
	r := strings.NewReplacer("#", "#35;", `"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", "<br/>")
	return r.Replace(s)
}

// mermaidClassDefs are the Mermaid styles of each class of node.
var mermaidClassDefs = []string{
	"classDef hop fill:#ffffff,stroke:#444444",
	"classDef blocked fill:#fde8e8,stroke:#cc0000,stroke-width:2px",
	"classDef ok fill:#e6f4ea,stroke:#1f7a3a",
	"classDef dst fill:#f4f4f4,stroke:#888888,stroke-dasharray:4 3",
	"classDef dns fill:#eef0fb,stroke:#5566aa",
	"classDef dnsBad fill:#fde8e8,stroke:#cc0000,stroke-width:2px",
	"classDef legend fill:#ffffff,stroke:#bbbbbb",
}

var mermaidLinkStyles = map[string]string{
	clsOK:      "stroke:#1f7a3a,stroke-width:2px",
	clsBlocked: "stroke:#cc0000,stroke-width:2px,stroke-dasharray:5 4",
	clsDNS:     "stroke:#5566aa,stroke-dasharray:2 3",
	clsDNSBad:  "stroke:#cc0000,stroke-width:2px,stroke-dasharray:2 3",
}

// mermaidArrow is the arrow of an edge class: dotted for DNS and
// blockers.
func mermaidArrow(cls string) string {
	switch cls {
	case clsBlocked, clsDNS, clsDNSBad:
		return "-.->"
	}
	return "-->"
}

// MermaidMaxEdges is the most edges a [Mermaid] drawing has: Mermaid
// refuses a flowchart with more than 500 (its maxEdges setting, which a
// diagram cannot raise for itself, so GitHub and mermaid.live refuse it
// too). The two legend edges count.
const MermaidMaxEdges = 500

// limitEdges keeps the answers of d whose edges fit in max, failures
// first (in order), then reachable answers (in order), and returns how
// many answers it left out. Sources left without an answer are dropped.
func limitEdges(d *drawing, max int) int {
	total := 0
	for _, s := range d.sources {
		for _, a := range s.answers {
			total += len(a.edges)
		}
	}
	if total <= max {
		return 0
	}
	keep := map[*drawAnswer]bool{}
	budget := max
	for _, pass := range []bool{false, true} {
		for _, s := range d.sources {
			for _, a := range s.answers {
				if a.res.Reachable == pass && len(a.edges) <= budget {
					keep[a] = true
					budget -= len(a.edges)
				}
			}
		}
	}
	omitted := 0
	var sources []*drawSource
	for _, s := range d.sources {
		var kept []*drawAnswer
		for _, a := range s.answers {
			if keep[a] {
				kept = append(kept, a)
			} else {
				omitted++
			}
		}
		if len(kept) > 0 {
			s.answers = kept
			sources = append(sources, s)
		}
	}
	d.sources = sources
	return omitted
}

// Mermaid writes the paths of a report as a Mermaid flowchart, with what
// [Dot] draws: a subgraph per source and per answer, a node per hop per
// path, the red hop and edge where the packet stopped labelled with the
// rule, route or peering that did it (and, for a private endpoint
// bypassed, the endpoint, workspace and zone), the destination, the name
// resolution and egress, and a legend. A drawing stays within
// [MermaidMaxEdges]: failed answers are drawn first, and the legend
// counts the answers left out (the DOT and HTML drawings have more).
func Mermaid(w io.Writer, r *answer.Report) error { return answersOf(r).mermaid(w) }

// mermaid writes the Mermaid drawing of a's answers (see [Mermaid]).
func (a *answers) mermaid(w io.Writer) error {
	ew := &errWriter{w: w}
	d := draw(a)
	omitted := limitEdges(d, MermaidMaxEdges-2)
	ew.printf("flowchart LR\n")
	var edges []drawEdge
	ew.printf("  subgraph legend[\"legend\"]\n    direction LR\n")
	ew.printf("    legend_hop[\"hop (kind, name)\"]:::hop\n    legend_ok([\"destination reached\"]):::ok\n")
	ew.printf("    legend_stop[\"hop where the packet stopped\"]:::blocked\n    legend_dst([\"destination not reached\"]):::dst\n")
	ew.printf("    legend_dns>\"DNS resolver, record, address\"]:::dns\n")
	for k, l := range d.notDrawn() {
		ew.printf("    legend_note%d[\"%s\"]:::legend\n", k, mermaidText(l))
	}
	if omitted > 0 {
		ew.printf("    legend_omitted[\"%s\"]:::legend\n", mermaidText(count(omitted, "answer", "answers")+
			fmt.Sprintf(" not drawn (failures first; Mermaid draws at most %d edges, --format dot or html draws more)", MermaidMaxEdges)))
	}
	ew.printf("  end\n")
	edges = append(edges, drawEdge{from: "legend_hop", to: "legend_ok", label: "route taken", class: clsOK},
		drawEdge{from: "legend_stop", to: "legend_dst", label: "✗ rule, route or peering that blocked", class: clsBlocked})
	for _, s := range d.sources {
		ew.printf("  subgraph %s[\"%s\"]\n", s.id, mermaidText(s.label))
		for _, a := range s.answers {
			ew.printf("    subgraph %s[\"%s\"]\n", a.id, mermaidText(a.label))
			for _, n := range a.nodes {
				ew.printf("      %s\n", mermaidNode(n))
			}
			ew.printf("    end\n")
			edges = append(edges, a.edges...)
		}
		ew.printf("  end\n")
	}
	styled := map[string][]string{}
	for i, e := range edges {
		if e.label != "" {
			ew.printf("  %s %s|\"%s\"| %s\n", e.from, mermaidArrow(e.class), mermaidText(e.label), e.to)
		} else {
			ew.printf("  %s %s %s\n", e.from, mermaidArrow(e.class), e.to)
		}
		if _, ok := mermaidLinkStyles[e.class]; ok {
			styled[e.class] = append(styled[e.class], strconv.Itoa(i))
		}
	}
	for _, c := range mermaidClassDefs {
		ew.printf("  %s\n", c)
	}
	for _, cls := range []string{clsOK, clsBlocked, clsDNS, clsDNSBad} {
		if ix := styled[cls]; len(ix) > 0 {
			ew.printf("  linkStyle %s %s\n", strings.Join(ix, ","), mermaidLinkStyles[cls])
		}
	}
	return ew.err
}

// mermaidNode writes a node with the shape of its class.
func mermaidNode(n drawNode) string {
	label := mermaidText(strings.Join(n.lines, "\n"))
	switch n.class {
	case clsOK, clsDst:
		return fmt.Sprintf(`%s(["%s"]):::%s`, n.id, label, n.class)
	case clsDNS, clsDNSBad:
		return fmt.Sprintf(`%s>"%s"]:::%s`, n.id, label, n.class)
	}
	return fmt.Sprintf(`%s["%s"]:::%s`, n.id, label, n.class)
}
