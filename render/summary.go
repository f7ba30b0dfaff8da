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
	cells  []int // index in Report.Results by column, -1 where none
	failed int
}

// reached counts the row's reachable answers.
func (rw row) reached(r *answer.Report) int {
	n := 0
	for _, i := range rw.cells {
		if i >= 0 && r.Results[i].Reachable {
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

// summarize builds the summary matrices of a report: one for the profile
// (every workspace), one for the other checks, in the order they first
// appear.
func summarize(r *answer.Report) []*matrix {
	var (
		out    []*matrix
		byWS   = map[string]*matrix{}
		colIx  = map[*matrix]map[colKey]int{}
		rowIx  = map[*matrix]map[string]int{}
		seenVs = map[*matrix]map[answer.Verdict]int{}
		wsSeen = map[string]bool{} // workspace IDs met, as spelt
	)
	for i := range r.Results {
		res := &r.Results[i]
		key := ""
		if res.Workspace != "" {
			key = "profile"
		}
		m := byWS[key]
		if m == nil {
			m = &matrix{workspace: res.Workspace}
			byWS[key] = m
			colIx[m], rowIx[m], seenVs[m] = map[colKey]int{}, map[string]int{}, map[answer.Verdict]int{}
			out = append(out, m)
		}
		// An endpoint each workspace has its own answer for (the inference
		// name, resolved to each workspace's private endpoint) is a column
		// per workspace; one checked once for several is one column.
		ck := colKey{res.Destination, res.FQDN, res.Protocol, res.Port, res.Workspace}
		if len(res.Workspaces) > 1 || len(res.Workspaces) == 1 && res.Workspaces[0] != res.Workspace {
			ck.workspaces = strings.Join(res.Workspaces, "\x00")
		}
		c, ok := colIx[m][ck]
		if !ok {
			c = len(m.cols)
			colIx[m][ck] = c
			m.cols = append(m.cols, column{destination: res.Destination, fqdn: res.FQDN, protocol: res.Protocol, port: res.Port, purpose: res.Purpose, workspaces: workspacesOf(res)})
		}
		for _, w := range workspacesOf(res) {
			if wsSeen[w] {
				continue
			}
			wsSeen[w] = true
			if !slices.ContainsFunc(m.all, func(x string) bool { return topology.SameID(x, w) }) {
				m.all = append(m.all, w)
			}
		}
		// A source asked the same twice gets a row per time, so that no
		// answer is hidden under another.
		rk := res.Source
		for n := 1; ; n++ {
			ri, ok := rowIx[m][rk]
			if !ok || c >= len(m.rows[ri].cells) || m.rows[ri].cells[c] < 0 {
				break
			}
			rk = res.Source + "\x00" + strconv.Itoa(n)
		}
		ri, ok := rowIx[m][rk]
		if !ok {
			ri = len(m.rows)
			rowIx[m][rk] = ri
			m.rows = append(m.rows, row{source: res.Source})
		}
		rw := &m.rows[ri]
		for len(rw.cells) <= c {
			rw.cells = append(rw.cells, -1)
		}
		rw.cells[c] = i
		if !res.Reachable {
			rw.failed++
		}
		seenVs[m][res.Verdict]++
	}
	for _, m := range out {
		for i := range m.rows {
			for len(m.rows[i].cells) < len(m.cols) {
				m.rows[i].cells = append(m.rows[i].cells, -1)
			}
		}
		quiet := 0
		for _, rw := range m.rows {
			if rw.failed == 0 {
				quiet++
			}
		}
		if quiet > maxQuiet {
			m.rows = slices.DeleteFunc(m.rows, func(rw row) bool {
				if rw.failed == 0 {
					m.quiet = append(m.quiet, rw.source)
					m.quietRows = append(m.quietRows, rw)
					return true
				}
				return false
			})
		}
		m.verdicts = verdictOrder(seenVs[m])
	}
	return out
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
func (m *matrix) shownRows(r *answer.Report) ([]shownRow, int) {
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
				key = append(key, r.Results[i].Verdict...)
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
func headline(r *answer.Report) string {
	byV := map[answer.Verdict]int{}
	ok := 0
	for i := range r.Results {
		if r.Results[i].Reachable {
			ok++
		} else {
			byV[r.Results[i].Verdict]++
		}
	}
	n := len(r.Results)
	switch {
	case n == 0:
		return "no answers"
	case n == 1:
		return "1 answer: " + string(r.Results[0].Verdict)
	case ok == n:
		return count(n, "answer", "answers") + ": all reachable"
	}
	var parts []string
	for _, v := range verdictOrder(byV) {
		parts = append(parts, thousands(byV[v])+" "+string(v))
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
func (m *matrix) columnTallies(r *answer.Report) []columnTally {
	var out []columnTally
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
			if i < 0 || !r.Results[i].Reachable {
				continue
			}
			res := &r.Results[i]
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

// Shown returns what the text and HTML reports read of an answer: a
// failed answer whole; of a reachable one, what its cell, its column and
// its line say (its source, destination, verdict, reason, egress and
// conditional access), without its hops, name resolution or reverse
// lookups, which those reports never show of an answer that arrived. A
// caller that collects an estate's answers for [TextWith] or [HTML] keeps
// Shown(r) of each: the report is the same, and the reachable answers,
// most of an estate's, take a fraction of the memory.
func Shown(res answer.Result) answer.Result {
	if !res.Reachable {
		return res
	}
	return answer.Result{Source: res.Source, Destination: res.Destination, Purpose: res.Purpose, Workspace: res.Workspace, Workspaces: res.Workspaces,
		FQDN: res.FQDN, ServiceTag: res.ServiceTag, Reference: res.Reference, Protocol: res.Protocol, Port: res.Port,
		Reachable: true, Verdict: res.Verdict, Reason: res.Reason, Egress: res.Egress, ConditionalAccess: res.ConditionalAccess}
}
