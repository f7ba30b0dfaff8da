package render

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/topology"
)

// maxQuiet is how many sources that reach every endpoint a summary lists
// one by one; beyond that it counts them, so that a report on thousands
// of sources is as long as its failures, not as its sources.
const maxQuiet = 20

// matrix is the summary of the results of the Azure ML profile of the
// snapshot's workspaces (or of every result not from a profile): sources ×
// endpoints. A check that several workspaces need (Entra ID, ARM, the
// service tags) is one column, checked once.
type matrix struct {
	workspace string   // the first workspace's ID, "" for checks not from a profile
	all       []string // every workspace of the profile, in the order they first appear
	cols      []column
	rows      []row    // the sources listed, in the order they first appear
	quiet     []string // sources that reach every endpoint and are not listed
	quietRows []row    // their rows
	verdicts  []answer.Verdict
}

// column is one endpoint: a destination, protocol and port.
type column struct {
	destination, fqdn, protocol, purpose string
	port                                 int
	workspaces                           []string // the workspaces whose profile needs it
}

// workspacesOf returns the workspaces a profile result is for.
func workspacesOf(res *answer.Result) []string {
	if len(res.Workspaces) > 0 {
		return res.Workspaces
	}
	if res.Workspace != "" {
		return []string{res.Workspace}
	}
	return nil
}

// workspaceNames is "mlw-a, mlw-b and mlw-c".
func workspaceNames(ids []string) string {
	ns := make([]string, len(ids))
	for i, id := range ids {
		ns[i] = topology.NameOf(id)
	}
	if len(ns) < 2 {
		return strings.Join(ns, "")
	}
	return strings.Join(ns[:len(ns)-1], ", ") + " and " + ns[len(ns)-1]
}

// colWorkspaces is " (mlw-a)" for a column only some of the profile's
// workspaces need, "" otherwise.
func (m *matrix) colWorkspaces(col column) string {
	if len(m.all) > 1 && len(col.workspaces) < len(m.all) {
		return " (" + workspaceNames(col.workspaces) + ")"
	}
	return ""
}

// label names the profile's workspaces: "workspace mlw-contoso",
// "workspaces mlw-a, mlw-b and mlw-c".
func (m *matrix) label() string {
	if len(m.all) > 1 {
		return "workspaces " + workspaceNames(m.all)
	}
	return "workspace " + topology.NameOf(m.workspace)
}

// row is one source and its result per column.
type row struct {
	source string
	cells  []int // the index of its answer (in report order) by column, -1 where none
	failed int
}

// reached counts the row's reachable answers.
func (rw row) reached(a *answers) int {
	n := 0
	for _, i := range rw.cells {
		if i >= 0 && a.reachable(i) {
			n++
		}
	}
	return n
}

func (c column) String() string {
	r := answer.Result{Destination: c.destination, FQDN: c.fqdn, Protocol: c.protocol, Port: c.port}
	return endpoint(&r)
}

// colKey is what makes a column: the endpoint, and the workspaces whose
// answer it is.
type colKey struct {
	destination, fqdn, protocol string
	port                        int
	workspaces                  string
}

// maxRows is how many rows a matrix lists one by one; beyond that, rows
// whose marks are the same in every column are shown once, with the number
// of sources they stand for.
const maxRows = 40

// shownRow is a row of a matrix as printed: its cells, and its name, with
// "+N" when it stands for N more sources with the same marks.
type shownRow struct {
	name   string
	source string // the ID of its (first) source
	cells  []int
}

// shownRows returns the rows a matrix prints, and how many sources rows
// that stand for several leave unnamed.
func (m *matrix) shownRows(a *answers) ([]shownRow, int) {
	out := make([]shownRow, 0, min(len(m.rows), maxRows))
	if len(m.rows) <= maxRows {
		for _, rw := range m.rows {
			out = append(out, shownRow{name: topology.ShortName(rw.source), source: rw.source, cells: rw.cells})
		}
		return out, 0
	}
	var (
		at   = map[string]int{}
		more []int
		key  []byte
	)
	for _, rw := range m.rows {
		key = key[:0]
		for _, i := range rw.cells {
			if i >= 0 {
				key = append(key, a.verdict(i)...)
			}
			key = append(key, 0)
		}
		if k, ok := at[string(key)]; ok {
			more[k]++
			continue
		}
		at[string(key)] = len(out)
		out = append(out, shownRow{name: topology.ShortName(rw.source), source: rw.source, cells: rw.cells})
		more = append(more, 0)
	}
	merged := 0
	for k, n := range more {
		if n > 0 {
			out[k].name += " +" + thousands(n)
			merged += n
		}
	}
	return out, merged
}

// mergedNote explains the "+N" of rows that stand for several sources.
func mergedNote(merged int) string {
	return fmt.Sprintf("+N after a source: N more sources with the same marks in every column (%s in all); --from SOURCE or --format json shows each source's answers", thousands(merged))
}

// title names a matrix: "workspace mlw-contoso: 4 sources × 16
// endpoints".
func (m *matrix) title() string {
	// A source asked twice has a row per time: count it once.
	srcs := len(m.quiet)
	seen := make(map[string]bool, len(m.rows))
	for _, rw := range m.rows {
		if !seen[rw.source] {
			seen[rw.source] = true
			srcs++
		}
	}
	what := "destinations"
	if m.workspace != "" {
		what = "endpoints"
	}
	s := fmt.Sprintf("%s × %s", count(srcs, "source", "sources"), count(len(m.cols), what[:len(what)-1], what))
	if m.workspace != "" {
		s = m.label() + ": " + s
	}
	return s
}

// quietLine says how many sources reach every endpoint and are not
// listed, naming the first few.
func (m *matrix) quietLine() string {
	if len(m.quiet) == 0 {
		return ""
	}
	what := "destination"
	if m.workspace != "" {
		what = "endpoint"
	}
	names := make([]string, 0, 3)
	for _, s := range m.quiet[:min(3, len(m.quiet))] {
		names = append(names, topology.ShortName(s))
	}
	more := ""
	if len(m.quiet) > 3 {
		more = ", …"
	}
	verb := "sources reach"
	if len(m.quiet) == 1 {
		verb = "source reaches"
	}
	return fmt.Sprintf("%s more %s every %s (%s%s); --format json lists them", thousands(len(m.quiet)), verb, what, strings.Join(names, ", "), more)
}

// count is "1 source", "2,000 sources".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

// thousands writes n with a comma every three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// headline counts a report's answers: "64 answers: 54 reachable, 10 not
// (5 denied-by-nsg, 5 private-endpoint-bypassed)".
func headline(a *answers) string {
	n, ok := a.n(), a.ok
	switch {
	case n == 0:
		return "no answers"
	case n == 1:
		return "1 answer: " + string(a.verdict(0))
	case ok == n:
		return count(n, "answer", "answers") + ": all reachable"
	}
	var parts []string
	for _, v := range verdictOrder(a.byV) {
		parts = append(parts, thousands(a.byV[v])+" "+string(v))
	}
	return fmt.Sprintf("%s: %s reachable, %s not (%s)", count(n, "answer", "answers"), thousands(ok), thousands(n-ok), strings.Join(parts, ", "))
}

// verdictOrder lists the verdicts of m in the order of SPEC §5, then
// others by name.
func verdictOrder(m map[answer.Verdict]int) []answer.Verdict {
	var out []answer.Verdict
	for _, v := range answer.Verdicts() {
		if m[v] > 0 {
			out = append(out, v)
		}
	}
	var other []answer.Verdict
	for v := range m {
		if !v.IsValid() {
			other = append(other, v)
		}
	}
	slices.Sort(other)
	return append(out, other...)
}

// byColumnNote heads the reachable answers of a report that counts them by
// endpoint.
const byColumnNote = "Counted by endpoint, with the commonest ways they arrive; --format json lists every answer, and --from SOURCE a source's."

// tally is how many reachable answers of an endpoint arrive one way.
type tally struct {
	outcome string
	n       int
}

// columnTally is the reachable answers of one endpoint: head ("NAME: from
// 3,900 sources"), the commonest outcomes, and rest, the others counted.
type columnTally struct {
	col  int // from 0
	head string
	top  []tally
	rest string
}

// columnTallies counts the reachable answers of each of m's endpoints
// that has any, by the way they arrive.
func (m *matrix) columnTallies(a *answers) []columnTally {
	var (
		out     []columnTally
		scratch answer.Result
	)
	rows := slices.Concat(m.rows, m.quietRows)
	names := make([]string, len(rows)) // short names, made when needed
	byEg := map[answer.Egress]string{}
	for c := range m.cols {
		var (
			tallies []tally
			at      = map[string]int{}
			n       int
		)
		for k, rw := range rows {
			i := rw.cells[c]
			if i < 0 || !a.reachable(i) {
				continue
			}
			res := a.get(i, &scratch)
			n++
			var o string
			if e := res.Egress; e != nil && e.Method != answer.EgressServiceEndpoint {
				var ok bool
				if o, ok = byEg[*e]; !ok {
					o = outcome(res)
					byEg[*e] = o
				}
			} else {
				o = outcome(res)
			}
			// An outcome that names its source (default outbound access
			// of the subnet) is alike for every source.
			if names[k] == "" {
				names[k] = topology.ShortName(rw.source)
			}
			if strings.Contains(o, names[k]) {
				o = strings.ReplaceAll(o, names[k], "the source")
			}
			if k, ok := at[o]; ok {
				tallies[k].n++
				continue
			}
			at[o] = len(tallies)
			tallies = append(tallies, tally{o, 1})
		}
		if n == 0 {
			continue
		}
		ct := columnTally{col: c, head: fmt.Sprintf("%s: from %s", m.cols[c].String(), count(n, "source", "sources"))}
		slices.SortStableFunc(tallies, func(a, b tally) int { return b.n - a.n })
		ct.top = tallies[:min(len(tallies), maxOutcomes)]
		if len(tallies) > maxOutcomes {
			rest := 0
			for _, tl := range tallies[maxOutcomes:] {
				rest += tl.n
			}
			ct.rest = fmt.Sprintf("%s more, in %s other ways", thousands(rest), thousands(len(tallies)-maxOutcomes))
		}
		out = append(out, ct)
	}
	return out
}
