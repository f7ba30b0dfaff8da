package render

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/topology"
)

// Options tune the reports written for people ([TextWith], [HTML]).
type Options struct {
	// FailuresOnly leaves out the answers that are reachable; the
	// summary still counts them.
	FailuresOnly bool
	// Color marks ✓ and the verdict codes with ANSI colours (text only).
	// Set it when writing to a terminal and NO_COLOR is unset.
	Color bool
}

// ANSI colours of the text report.
const (
	ansiGreen = "\x1b[32m"
	ansiRed   = "\x1b[1;31m"
	ansiReset = "\x1b[0m"
)

// Text writes a report for people, with the default [Options]; see
// [TextWith].
func Text(w io.Writer, r *answer.Report) error { return TextWith(w, r, Options{}) }

// TextWith writes a report for people, leading with the answer:
//
//   - a headline counting the answers by verdict, and when the snapshot
//     lacks resources it references, how many and the az commands that
//     export them;
//   - a summary matrix per workspace (or one for checks not from a
//     profile): a row per source, a numbered column per endpoint, ✓ or
//     the verdict's short code ([VerdictCode]) in each cell, a legend and
//     the endpoints by number. Columns are split into groups when a row
//     would not fit in [Width] columns. When more than 20 sources reach
//     every endpoint, they are counted rather than listed; when more than
//     40 rows remain, rows with the same marks are shown once, the first
//     source's name followed by "+N" for the N more it stands for;
//   - what failed. Answers from several sources that share their cause and
//     fix — the same verdict, the same deciding blocker and the same fixes
//     but for each source's own name and prefix — are a group, shown once,
//     largest first, then in the order of the verdicts: the number of
//     answers, the endpoints and the sources (runs of numbered VNets per
//     subnet name, then counted), the first answer in full, and the
//     prefixes its fix is repeated for. The other failures follow by
//     workspace and source: the verdict, the reason, the hops with the
//     route, rules and steps at each (✗ where the packet stopped), where it
//     would go once the blocker is lifted, egress, DNS, assumptions, and
//     every fix with its az commands laid out to paste into a shell;
//   - the reachable answers, one line each, or when there are more than
//     200, counted by endpoint with the commonest ways they arrive (left
//     out with Options.FailuresOnly).
//
// Lines fit in [Width] columns: long values wrap at word boundaries with
// indentation, and no line ends in a space. The snapshot summary and the
// warnings are not part of it: see [SnapshotText].
func TextWith(w io.Writer, r *answer.Report, o Options) error { return answersOf(r).text(w, o) }

// text writes the text report of a's answers (see [TextWith]).
func (a *answers) text(w io.Writer, o Options) error {
	t := &textReport{ew: &errWriter{w: w}, o: o, a: a}
	t.header()
	ms := a.summarize()
	if a.n() > 1 {
		// One answer needs no matrix.
		for _, m := range ms {
			t.matrix(m)
		}
	}
	t.failures(ms)
	if !o.FailuresOnly {
		t.reachable(ms)
	}
	return t.ew.err
}

// SnapshotText writes what was loaded: the resources read and skipped,
// the service-tag catalog, and the warnings, one per line, wrapped at
// [Width] columns. The CLI writes it to standard error in text mode.
func SnapshotText(w io.Writer, r *answer.Report) error {
	ew := &errWriter{w: w}
	s := fmt.Sprintf("snapshot: %d resources", r.Snapshot.Resources)
	if len(r.Snapshot.Skipped) > 0 {
		s += ", skipped: " + countList(r.Snapshot.Skipped)
	}
	lines := wrap(s, Width, "", "  ")
	if r.ServiceTags != nil {
		lines = append(lines, fmt.Sprintf("service tags: %s, change %d, %d tags", r.ServiceTags.Cloud, r.ServiceTags.ChangeNumber, r.ServiceTags.Tags))
	} else {
		lines = append(lines, "service tags: none given; tags are matched by name")
	}
	for _, wng := range r.Warnings {
		lines = append(lines, wrap(wng, Width, "warning: ", "  ")...)
	}
	for _, l := range lines {
		ew.printf("%s\n", l)
	}
	return ew.err
}

type textReport struct {
	ew *errWriter
	o  Options
	a  *answers
}

func (t *textReport) line(s string) { t.ew.printf("%s\n", strings.TrimRight(s, " ")) }

func (t *textReport) lines(ls []string) {
	for _, l := range ls {
		t.line(l)
	}
}

// para writes s wrapped: the first line after first, the others after
// rest.
func (t *textReport) para(s, first, rest string) { t.lines(wrap(s, Width, first, rest)) }

// code is a verdict's code, coloured when asked.
func (t *textReport) code(v answer.Verdict) string { return t.paint(VerdictCode(v), v) }

func (t *textReport) paint(s string, v answer.Verdict) string {
	if !t.o.Color {
		return s
	}
	if v.IsReachable() {
		return ansiGreen + s + ansiReset
	}
	return ansiRed + s + ansiReset
}

func (t *textReport) header() {
	t.para(headline(t.a), "", "  ")
	if p := t.a.head.Profile; p != nil && p.Text != "" {
		t.para(p.Text, "profile: ", "  ")
	}
	for _, mn := range t.a.head.ManagedNetworks {
		t.line("")
		t.para(mn.Summary, "managed network of "+topology.NameOf(mn.Workspace)+" ("+mn.IsolationMode+"): ", "  ")
		for _, f := range mn.Fixes {
			t.para(f.Text, "  fix: ", "    ")
			if f.Az != "" {
				t.lines(shellLines(f.Az, Width, "    "))
			}
		}
	}
	missing := t.a.head.Snapshot.Missing
	if len(missing) == 0 {
		return
	}
	t.line("")
	t.para(fmt.Sprintf("The snapshot lacks %s that it references; answers that depend on them are unknown. Export them and load them with the snapshot:",
		count(len(missing), "resource", "resources")), "", "")
	var cmds []string
	for _, m := range missing {
		if m.Export != "" && !slices.Contains(cmds, m.Export) {
			cmds = append(cmds, m.Export)
		}
	}
	for _, c := range cmds {
		t.lines(shellLines(c, Width, "  "))
	}
	if len(cmds) < len(missing) {
		for _, m := range missing {
			if m.Export == "" {
				t.para(m.ID, "  (no export command) ", "    ")
			}
		}
	}
}

// matrix writes a summary matrix, split into column groups when its rows
// would not fit, then its legend and its columns by number.
func (t *textReport) matrix(m *matrix) {
	t.line("")
	t.para(m.title(), "", "  ")
	rows, merged := m.shownRows(t.a)
	nameW := 8
	for _, rw := range rows {
		nameW = max(nameW, runes(rw.name))
	}
	nameW = min(nameW, 40) + 2
	cellW := max(4, len(strconv.Itoa(len(m.cols)))+1)
	for _, v := range m.verdicts {
		cellW = max(cellW, runes(VerdictCode(v))+1)
	}
	per := max(1, (Width-nameW)/cellW)
	for lo := 0; lo < len(m.cols); lo += per {
		hi := min(lo+per, len(m.cols))
		if lo > 0 {
			t.line("")
		}
		var b strings.Builder
		b.WriteString(strings.Repeat(" ", nameW))
		for c := lo; c < hi; c++ {
			n := strconv.Itoa(c + 1)
			b.WriteString(n + strings.Repeat(" ", cellW-len(n)))
		}
		t.line(b.String())
		for _, rw := range rows {
			b.Reset()
			name := rw.name
			if runes(name) > nameW-2 {
				t.para(name, "", "  ")
				name = ""
			}
			b.WriteString(name + strings.Repeat(" ", nameW-runes(name)))
			for c := lo; c < hi; c++ {
				code, v := "-", answer.Verdict("")
				if i := rw.cells[c]; i >= 0 {
					v = t.a.verdict(i)
					code = VerdictCode(v)
				}
				pad := strings.Repeat(" ", cellW-runes(code))
				if v != "" {
					code = t.paint(code, v)
				}
				b.WriteString(code + pad)
			}
			t.line(b.String())
		}
	}
	if q := m.quietLine(); q != "" {
		t.para(q, t.paint("✓", answer.Reachable)+" ", "  ")
	}
	if merged > 0 {
		t.para(mergedNote(merged), "", "  ")
	}
	var legend []string
	for _, v := range m.verdicts {
		legend = append(legend, t.code(v)+" "+string(v))
	}
	t.para(strings.Join(legend, " · "), "", "")
	numW := len(strconv.Itoa(len(m.cols)))
	for c, col := range m.cols {
		n := strconv.Itoa(c + 1)
		s := col.String()
		if col.purpose != "" {
			s += " · " + col.purpose
		}
		s += m.colWorkspaces(col)
		t.para(s, strings.Repeat(" ", numW-len(n))+n+" ", strings.Repeat(" ", numW+3))
	}
}

// groupTitle is "workspace W · from S: reaches 11 of 16 endpoints".
func groupTitle(m *matrix, rw row, a *answers) string {
	ok := rw.reached(a)
	n := ok + rw.failed
	what := "destination"
	s := "from " + topology.ShortName(rw.source)
	if m.workspace != "" {
		what = "endpoint"
		s = m.label() + " · " + s
	}
	return fmt.Sprintf("%s: reaches %d of %s", s, ok, count(n, what, what+"s"))
}

// ungroupedTitle is the title of a row's failed answers that no group
// holds ("... reaches 11 of 16 endpoints; 3 more not reachable in the
// groups above"), and false when every one of them is in a group.
func ungroupedTitle(m *matrix, rw row, a *answers, grouped map[int]bool) (string, bool) {
	left := 0
	for _, i := range rw.cells {
		if i >= 0 && !a.reachable(i) && !grouped[i] {
			left++
		}
	}
	if left == 0 {
		return "", false
	}
	title := groupTitle(m, rw, a)
	if left < rw.failed {
		title += "; " + thousands(rw.failed-left) + " more not reachable in the groups above"
	}
	return title, true
}

func (t *textReport) failures(ms []*matrix) {
	n := t.a.n() - t.a.ok
	if n == 0 {
		return
	}
	t.line("")
	t.line("Not reachable (" + count(n, "answer", "answers") + ")")
	groups, grouped := groupFailures(t.a, ms)
	if len(groups) > 0 {
		t.line("")
		t.para(fmt.Sprintf("%s share their cause and fix with answers from other sources: each such group is shown once, for one of its sources, largest first.",
			count(len(grouped), "answer", "answers")), "", "")
		for _, fg := range groups {
			t.failGroup(fg)
		}
	}
	if len(grouped) == n {
		return
	}
	if len(groups) > 0 {
		t.line("")
		t.line("The other " + count(n-len(grouped), "answer", "answers") + ", by source:")
	}
	for _, m := range ms {
		for _, rw := range m.rows {
			title, ok := ungroupedTitle(m, rw, t.a, grouped)
			if !ok {
				continue
			}
			t.line("")
			t.para(title, "", "  ")
			g := &group{paths: map[string]int{}, az: map[string]int{}}
			for c, i := range rw.cells {
				if i >= 0 && !t.a.reachable(i) && !grouped[i] {
					t.result(g, c+1, t.a.at(i))
				}
			}
		}
	}
}

// Bounds of what a group of failures lists.
const (
	maxSourceLines = 6  // lines of a group's sources
	maxPrefixes    = 64 // source prefixes of a fix that names each source's own
)

// failGroup writes a group of failures: how many answers, the verdict,
// endpoints and sources, then its first answer in full, and how its fix
// applies to the others.
func (t *textReport) failGroup(fg *failGroup) {
	t.line("")
	v := strings.ToUpper(string(fg.verdict))
	ls := wrap(fg.headline(), Width, "", "  ")
	ls[0] = strings.Replace(ls[0], v, t.paint(v, fg.verdict), 1)
	t.lines(ls)

	entries, counts := sourceRuns(fg.sources)
	var srcLines []string
	for k := 1; k <= len(entries); k++ {
		list := entries[:k]
		if k < len(entries) {
			shown := 0
			for _, c := range counts[:k] {
				shown += c
			}
			list = append(slices.Clip(list), fmt.Sprintf("and %s more (--format json lists every answer)", thousands(len(fg.sources)-shown)))
		}
		try := wrap(strings.Join(list, "; "), Width, "  sources: ", "    ")
		if len(try) > maxSourceLines && srcLines != nil {
			break
		}
		srcLines = try
	}
	t.lines(srcLines)

	first := t.a.at(fg.members[0])
	t.para("for example from "+topology.ShortName(first.Source)+":", "  ", "    ")
	t.result(&group{paths: map[string]int{}, az: map[string]int{}}, fg.firstCol, first)
	if s := fg.each(t.a); s != "" {
		t.para(s, ind1+"each: ", ind2)
	}
}

// group remembers what a source's answers printed already, so that a path
// or az command shared by several answers is printed once.
type group struct {
	paths map[string]int // path lines → the column that printed them
	az    map[string]int
}

// Indents of an answer's details.
const (
	ind1 = "     "   // reason, labels
	ind2 = "       " // under a label
)

func (t *textReport) result(g *group, col int, res *answer.Result) {
	what := endpoint(res)
	if res.Purpose != "" {
		what += " (" + res.Purpose + ")"
	}
	// Wrap without the colour codes, then put them in.
	v := strings.ToUpper(string(res.Verdict))
	ls := wrap(what, Width, "  #"+strconv.Itoa(col)+" "+v+"  ", ind1)
	ls[0] = strings.Replace(ls[0], v, t.paint(v, res.Verdict), 1)
	t.lines(ls)
	t.para(res.Reason, ind1, ind1)

	path := pathLines(res.Hops, !res.Reachable)
	if len(res.Then) > 0 {
		path = append(path, "once the blocker is lifted, it would go on:")
		path = append(path, pathLines(res.Then, false)...)
	}
	if len(path) > 0 {
		key := strings.Join(path, "\n")
		if c, ok := g.paths[key]; ok {
			t.line(ind1 + "path: as for #" + strconv.Itoa(c) + " above")
		} else {
			g.paths[key] = col
			t.line(ind1 + "path:")
			for _, l := range path {
				t.para(strings.TrimLeft(l, " "), ind2+leading(l), ind2+leading(l)+"    ")
			}
		}
	}
	if e := res.Egress; e != nil {
		ip := e.PublicIP
		if ip == "" {
			ip = "an address Azure chooses"
		}
		t.para(fmt.Sprintf("%s via %s (%s)", ip, topology.NameOf(e.Via), e.Method), ind1+"egress: ", ind2)
	}
	if rp := res.ReturnPath; rp != nil && !rp.OK {
		t.para(rp.Reason, ind1+"return path: broken: ", ind2)
	}
	t.dns(res)
	for _, p := range res.Parts {
		t.para(fmt.Sprintf("%s: %s: %s", p.Destinations, p.Verdict, p.Reason), ind1+"part ", ind2)
	}
	for _, id := range res.Missing {
		t.para(id, ind1+"missing: ", ind2)
	}
	for _, a := range res.Assumptions {
		t.para(a, ind1+"assumes: ", ind2)
	}
	for _, f := range res.Fixes {
		t.para(f.Text, ind1+"fix: ", ind2)
		if f.Az == "" {
			continue
		}
		if c, ok := g.az[f.Az]; ok {
			t.line(ind2 + "az: as for #" + strconv.Itoa(c) + " above")
			continue
		}
		g.az[f.Az] = col
		t.lines(shellLines(f.Az, Width, ind2))
	}
}

// leading returns the spaces s starts with.
func leading(s string) string { return s[:len(s)-len(strings.TrimLeft(s, " "))] }

// pathLines lists hops, one line per hop ("✗ subnet vnet/snet") and one
// per step under it, indented by two. A hop is marked ✗ where a step
// stopped the packet, and so is the last when failed is set: the last hop
// of a failed answer is where its verdict was decided.
func pathLines(hops []answer.Hop, failed bool) []string {
	var out []string
	for i, h := range hops {
		mark := "  "
		stopped := stops(h.Action) || failed && i == len(hops)-1
		for _, s := range h.Steps {
			stopped = stopped || stops(s.Action)
		}
		if stopped {
			mark = "✗ "
		}
		l := mark + hopTitle(h)
		if h.Action != "" {
			l += ": " + string(h.Action)
		}
		out = append(out, l)
		if len(h.Steps) == 0 {
			// No steps: what the hop says of itself.
			if h.Route != nil {
				out = append(out, "    route "+routeLabel(h.Route))
			}
			for _, r := range h.Rules {
				out = append(out, "    rule "+r)
			}
			continue
		}
		for _, s := range h.Steps {
			m := "    "
			if stops(s.Action) {
				m = "  ✗ "
			}
			l := stepLabel(s)
			if s.Type == answer.StepPeering && s.Peering != nil && topology.SameID(s.Peering.ID, h.Node) {
				// The hop is the peering: say only its state.
				l = "state " + string(s.Peering.State)
				if s.Action != "" {
					l += ": " + string(s.Action)
				}
			}
			out = append(out, m+l)
		}
	}
	return out
}

// dns writes the resolution of a result: one line, and its chain when
// the verdict is about names.
func (t *textReport) dns(res *answer.Result) {
	d := res.DNS
	if d == nil || (len(d.Chain) == 0 && d.Resolver == "") {
		return
	}
	s := d.Rcode + " via " + d.Resolver
	switch {
	case len(d.Addresses) > 0:
		s += " → " + strings.Join(d.Addresses, ", ")
	case d.Public:
		s += " → public address"
	}
	t.para(s, ind1+"dns: ", ind2)
	if d.Blocker == nil && res.Verdict != answer.DNSUnresolved && res.Verdict != answer.PrivateEndpointBypassed {
		return
	}
	// Each step answers for the name the previous one gave; a step for
	// another name says which.
	prev := d.Name
	for _, c := range d.Chain {
		s := fmt.Sprintf("%s %s (%s)", c.Type, c.Value, c.Source)
		if !strings.EqualFold(c.Name, prev) {
			s = c.Name + ": " + s
		}
		t.para(s, ind2, ind2+"    ")
		prev = c.Value
	}
}

func (t *textReport) reachable(ms []*matrix) {
	n := t.a.ok
	if n == 0 {
		return
	}
	t.line("")
	t.line("Reachable (" + count(n, "answer", "answers") + ")")
	if n > maxReachable {
		t.reachableByColumn(ms)
		return
	}
	for _, m := range ms {
		for _, rw := range slices.Concat(m.rows, m.quietRows) {
			if rw.reached(t.a) == 0 {
				continue
			}
			t.line("")
			t.para(groupTitle(m, rw, t.a), "", "  ")
			numW := 3 + len(strconv.Itoa(len(m.cols)))
			for c, i := range rw.cells {
				if i < 0 || !t.a.reachable(i) {
					continue
				}
				res := t.a.at(i)
				n := "#" + strconv.Itoa(c+1)
				ls := wrap(endpoint(res)+": "+outcome(res), Width, strings.Repeat(" ", numW-len(n))+n+" ✓ ", ind1)
				ls[0] = strings.Replace(ls[0], "✓", t.paint("✓", answer.Reachable), 1)
				t.lines(ls)
				if ca := res.ConditionalAccess; ca != nil {
					t.para(ca.Reason, ind1+"conditional access: ", ind1+"  ")
				}
			}
		}
	}
}

// maxReachable is how many reachable answers a report lists (text, HTML)
// or draws (DOT, Mermaid) one by one; beyond that, it counts them.
const maxReachable = 200

// maxOutcomes is how many different outcomes of one endpoint a tally
// names (see columnTallies).
const maxOutcomes = 3

// reachableByColumn counts the reachable answers of each endpoint and
// names their commonest outcomes, and says how to see each answer.
func (t *textReport) reachableByColumn(ms []*matrix) {
	t.line("")
	t.para(byColumnNote, "", "")
	for _, m := range ms {
		numW := 3 + len(strconv.Itoa(len(m.cols)))
		for _, ct := range m.columnTallies(t.a) {
			t.line("")
			num := "#" + strconv.Itoa(ct.col+1)
			ls := wrap(ct.head, Width, strings.Repeat(" ", numW-len(num))+num+" ✓ ", ind1)
			ls[0] = strings.Replace(ls[0], "✓", t.paint("✓", answer.Reachable), 1)
			t.lines(ls)
			for _, tl := range ct.top {
				t.para(tl.outcome, ind1+thousands(tl.n)+": ", ind2)
			}
			if ct.rest != "" {
				t.para(ct.rest, ind1, ind2)
			}
		}
	}
}
