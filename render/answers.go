package render

import (
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/topology"
)

// Collector gathers the answers of a check as they are found, for the
// reports written for people ([Collector.Text], [Collector.HTML],
// [Collector.Dot], [Collector.Mermaid]), without holding each answer
// whole: of most answers these reports show only a cell of the summary
// matrix, a line or a count. A Collector keeps whole only the answers
// they show in full — each failure that no other source shares, the first
// answer of each group of failures that several sources share, and the
// reachable answers while there are at most 200 (the drawings draw their
// paths) — and of the others what their cells, lines and counts say
// (source, endpoint, verdict, reason, egress, conditional access), in 32
// bytes each. At 10,000 spokes that is the difference between holding 1.6
// million answers and holding their summary.
//
// The reports it writes are byte for byte those [TextWith], [HTML], [Dot]
// and [Mermaid] write for a report that holds the same answers in the
// same order. A Collector is not safe for concurrent use.
type Collector struct {
	a *answers
}

// NewCollector returns a Collector for the answers of a report whose
// summary is head (its Results are not read). The reports read head when
// they are written, so its Warnings may still be set until then.
func NewCollector(head *answer.Report) *Collector {
	return &Collector{a: newAnswers(head, nil)}
}

// Add adds the next answer. Answers kept whole are not copied deeply:
// res must not be changed afterwards.
func (c *Collector) Add(res answer.Result) { c.a.add(&res, c.a.all) }

// Len returns how many answers were added.
func (c *Collector) Len() int { return c.a.all }

// AllReachable reports whether every answer added is reachable (and there
// is at least one), as [answer.Report.AllReachable].
func (c *Collector) AllReachable() bool { return c.a.allReachable() }

// Text writes the text report of the answers added, as [TextWith].
func (c *Collector) Text(w io.Writer, o Options) error { return c.a.text(w, o) }

// HTML writes the HTML report of the answers added, as [HTML].
func (c *Collector) HTML(w io.Writer, o Options) error { return c.a.html(w, o) }

// Dot writes the DOT drawing of the answers added, as [Dot].
func (c *Collector) Dot(w io.Writer) error { return c.a.dot(w) }

// Mermaid writes the Mermaid drawing of the answers added, as [Mermaid].
func (c *Collector) Mermaid(w io.Writer) error { return c.a.mermaid(w) }

// answers are a report's answers as the reports for people read them: a
// compact record of each, some of them whole, and the summary matrices
// and failure groups built as they come.
type answers struct {
	head *answer.Report
	// base holds every answer whole when they come from a whole report;
	// otherwise whole holds those a report shows in full.
	base  []answer.Result
	whole map[int]*answer.Result
	recs  [][]rec // in chunks of recChunk

	strs  []string
	strIx map[string]uint32
	last  [nFields]struct {
		s  string
		ix uint32
	} // the last string interned per field
	lists   [][]string
	listIx  map[string]uint32
	ends    []end
	endIx   map[end]uint32
	lastEnd struct {
		e  end
		ix uint32
	}
	egress  []*answer.Egress
	egIx    map[answer.Egress]uint32
	access  []*answer.ConditionalAccess
	ok, all int
	byV     map[answer.Verdict]int

	// the summary matrices (see summarize), as they are built: the
	// profile's and the other checks', in the order they first appear
	ms     []*building
	byWS   map[string]int // "profile" or "" -> index in ms
	wsSeen map[string]bool

	// the failures' cause keys (see causeKey, with their matrix), and of
	// each what decides which of its answers are kept whole
	keyIx map[string]int32
	keys  []causeGroup
}

// building is a summary matrix being built, with the indexes of its
// columns and rows and the count of each verdict.
type building struct {
	m        *matrix
	cols     map[colKey]int
	rows     map[string]int
	verdicts map[answer.Verdict]int
}

// rec is what the reports read of an answer, in 32 bytes: strings as
// indexes in answers.strs, what it asks (the same for many answers) as an
// index in answers.ends.
type rec struct {
	src, end, reason, verdict, bsrc uint32
	eg, ca                          uint32 // indexes in egress and access; 0 for none
	key                             int32  // index in keys; -1 for a reachable answer
	ok                              bool
}

// recChunk is how many records a chunk of answers.recs holds: records
// are never copied to grow a list.
const recChunk = 1 << 12

// end is what an answer asks and what for: its destination, protocol and
// port, and the fields of its profile entry; strings as indexes in
// answers.strs, workspaces in answers.lists.
type end struct {
	dst, purpose, ws, fqdn, tag, ref, proto, wss uint32
	port                                         int32
}

// The fields whose strings answers intern.
const (
	fSrc = iota
	fDst
	fPurpose
	fWS
	fFQDN
	fTag
	fRef
	fProto
	fReason
	fVerdict
	fBlocker
	nFields
)

// causeGroup is the failures of one cause key: how their group names its
// sources (failGroup.bySource), and, while answers come, which of them the
// reports show in full: its first answer in the order of the matrix
// (first), and every answer while all are from one source.
type causeGroup struct {
	bySource string
	first    int
	row, col int // of first
	source   string
	several  bool  // answers from more than one source
	kept     []int // the answers kept whole while there is one source
}

func newAnswers(head *answer.Report, base []answer.Result) *answers {
	if head == nil {
		head = &answer.Report{}
	}
	if base != nil {
		h := *head
		h.Results = nil
		head = &h
	}
	a := &answers{
		head: head, base: base, whole: map[int]*answer.Result{},
		strIx: map[string]uint32{"": 0}, strs: []string{""},
		lists: [][]string{nil}, listIx: map[string]uint32{}, endIx: map[end]uint32{},
		egress: []*answer.Egress{nil}, egIx: map[answer.Egress]uint32{},
		access: []*answer.ConditionalAccess{nil},
		byV:    map[answer.Verdict]int{},
		byWS:   map[string]int{}, wsSeen: map[string]bool{},
		keyIx: map[string]int32{},
	}
	for i := range base {
		a.add(&base[i], i)
	}
	return a
}

// answersOf returns the answers of a whole report.
func answersOf(r *answer.Report) *answers { return newAnswers(r, r.Results) }

// intern returns the index of s, a value of field f.
func (a *answers) intern(f int, s string) uint32 {
	if l := &a.last[f]; l.s == s { // "" is 0, as the zero l says
		return l.ix
	}
	ix, ok := a.strIx[s]
	if !ok {
		ix = uint32(len(a.strs))
		a.strs = append(a.strs, s)
		a.strIx[s] = ix
	}
	a.last[f].s, a.last[f].ix = s, ix
	return ix
}

// add adds answer i, res, and keeps a copy of it whole when a report
// shows it in full; the answers of a whole report are read in place.
func (a *answers) add(res *answer.Result, i int) {
	en := end{
		dst: a.intern(fDst, res.Destination), purpose: a.intern(fPurpose, res.Purpose), ws: a.intern(fWS, res.Workspace),
		fqdn: a.intern(fFQDN, res.FQDN), tag: a.intern(fTag, res.ServiceTag), ref: a.intern(fRef, res.Reference),
		proto: a.intern(fProto, res.Protocol), port: int32(res.Port),
	}
	if res.Workspaces != nil {
		k := strings.Join(res.Workspaces, "\x00")
		ix, ok := a.listIx[k]
		if !ok {
			ix = uint32(len(a.lists))
			a.lists = append(a.lists, res.Workspaces)
			a.listIx[k] = ix
		}
		en.wss = ix
	}
	rc := rec{src: a.intern(fSrc, res.Source), reason: a.intern(fReason, res.Reason), verdict: a.intern(fVerdict, string(res.Verdict)),
		ok: res.Reachable, key: -1}
	if a.lastEnd.e == en && len(a.ends) > 0 {
		rc.end = a.lastEnd.ix
	} else {
		ix, ok := a.endIx[en]
		if !ok {
			ix = uint32(len(a.ends))
			a.ends = append(a.ends, en)
			a.endIx[en] = ix
		}
		a.lastEnd.e, a.lastEnd.ix, rc.end = en, ix, ix
	}
	if len(res.Blockers) > 0 {
		rc.bsrc = a.intern(fBlocker, res.Blockers[0].Source)
	}
	if e := res.Egress; e != nil {
		ix, ok := a.egIx[*e]
		if !ok {
			ix = uint32(len(a.egress))
			a.egress = append(a.egress, e)
			a.egIx[*e] = ix
		}
		rc.eg = ix
	}
	if res.ConditionalAccess != nil {
		rc.ca = uint32(len(a.access))
		a.access = append(a.access, res.ConditionalAccess)
	}
	a.all++
	if res.Reachable {
		a.ok++
	} else {
		a.byV[res.Verdict]++
	}
	mi, ri, c := a.place(res, i)
	if !res.Reachable {
		key, by := causeKey(res)
		key = strconv.Itoa(mi) + "\xff" + key
		k, ok := a.keyIx[key]
		if !ok {
			k = int32(len(a.keys))
			a.keyIx[key] = k
			a.keys = append(a.keys, causeGroup{bySource: by, first: -1})
		}
		rc.key = k
		a.push(rc)
		if a.base == nil {
			a.keep(&a.keys[k], res, i, ri, c)
		}
		return
	}
	a.push(rc)
	// The drawings show the paths of the reachable answers when there
	// are at most maxReachable.
	if a.base == nil {
		if a.ok <= maxReachable {
			a.keepWhole(i, res)
		} else if a.ok == maxReachable+1 {
			for j := range a.whole {
				if a.reachable(j) {
					delete(a.whole, j)
				}
			}
		}
	}
}

// keepWhole keeps a copy of answer i, res, whole: a Collector's caller
// hands each answer over by value, and most are not kept.
func (a *answers) keepWhole(i int, res *answer.Result) {
	if _, ok := a.whole[i]; !ok {
		cp := *res
		a.whole[i] = &cp
	}
}

// push appends a record.
func (a *answers) push(rc rec) {
	if len(a.recs) == 0 || len(a.recs[len(a.recs)-1]) == recChunk {
		a.recs = append(a.recs, make([]rec, 0, recChunk))
	}
	last := &a.recs[len(a.recs)-1]
	*last = append(*last, rc)
}

// rec returns the record of answer i.
func (a *answers) rec(i int) *rec { return &a.recs[i/recChunk][i%recChunk] }

// keep decides whether failed answer i, res, at row ri and column c of its
// matrix, is kept whole, and which answers of its cause group no report
// shows in full any longer: a group of several sources is shown for its
// first answer in the order of the matrix; the answers of a group of one
// source are each shown.
func (a *answers) keep(g *causeGroup, res *answer.Result, i, ri, c int) {
	first := g.first < 0 || ri < g.row || ri == g.row && c < g.col
	if g.first < 0 {
		g.source = res.Source
	} else if !g.several && res.Source != g.source {
		g.several = true
		for _, j := range g.kept {
			if j != g.first {
				delete(a.whole, j)
			}
		}
		g.kept = nil
	}
	if first {
		if g.several && g.first >= 0 {
			delete(a.whole, g.first)
		}
		g.first, g.row, g.col = i, ri, c
	}
	if first || !g.several {
		a.keepWhole(i, res)
		if !g.several {
			g.kept = append(g.kept, i)
		}
	}
}

// place puts answer i in its matrix, at a row and column, and returns
// them with the matrix's index.
func (a *answers) place(res *answer.Result, i int) (mi, ri, c int) {
	key := ""
	if res.Workspace != "" {
		key = "profile"
	}
	mi, ok := a.byWS[key]
	if !ok {
		mi = len(a.ms)
		a.byWS[key] = mi
		a.ms = append(a.ms, &building{m: &matrix{workspace: res.Workspace}, cols: map[colKey]int{}, rows: map[string]int{}, verdicts: map[answer.Verdict]int{}})
	}
	b := a.ms[mi]
	m := b.m
	// An endpoint each workspace has its own answer for (the inference
	// name, resolved to each workspace's private endpoint) is a column
	// per workspace; one checked once for several is one column.
	ck := colKey{res.Destination, res.FQDN, res.Protocol, res.Port, res.Workspace}
	if len(res.Workspaces) > 1 || len(res.Workspaces) == 1 && res.Workspaces[0] != res.Workspace {
		ck.workspaces = strings.Join(res.Workspaces, "\x00")
	}
	c, ok = b.cols[ck]
	if !ok {
		c = len(m.cols)
		b.cols[ck] = c
		m.cols = append(m.cols, column{destination: res.Destination, fqdn: res.FQDN, protocol: res.Protocol, port: res.Port, purpose: res.Purpose, workspaces: workspacesOf(res)})
	}
	for _, w := range workspacesOf(res) {
		if a.wsSeen[w] {
			continue
		}
		a.wsSeen[w] = true
		if !slices.ContainsFunc(m.all, func(x string) bool { return topology.SameID(x, w) }) {
			m.all = append(m.all, w)
		}
	}
	// A source asked the same twice gets a row per time, so that no
	// answer is hidden under another.
	rk := res.Source
	for n := 1; ; n++ {
		ri, ok := b.rows[rk]
		if !ok || c >= len(m.rows[ri].cells) || m.rows[ri].cells[c] < 0 {
			break
		}
		rk = res.Source + "\x00" + strconv.Itoa(n)
	}
	ri, ok = b.rows[rk]
	if !ok {
		ri = len(m.rows)
		b.rows[rk] = ri
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
	b.verdicts[res.Verdict]++
	return mi, ri, c
}

// n returns how many answers there are.
func (a *answers) n() int { return a.all }

// reachable reports whether answer i is reachable.
func (a *answers) reachable(i int) bool { return a.rec(i).ok }

// verdict returns the verdict of answer i.
func (a *answers) verdict(i int) answer.Verdict { return answer.Verdict(a.strs[a.rec(i).verdict]) }

// source returns the source of answer i.
func (a *answers) source(i int) string { return a.strs[a.rec(i).src] }

// blockerSource returns the source addresses of the first blocker of
// answer i.
func (a *answers) blockerSource(i int) string { return a.strs[a.rec(i).bsrc] }

// at returns answer i: whole when it is kept whole, otherwise what the
// reports read of it (see Collector).
func (a *answers) at(i int) *answer.Result { return a.get(i, nil) }

// get is at, filling scratch (when not nil) rather than a new answer for
// one that is not kept whole.
func (a *answers) get(i int, scratch *answer.Result) *answer.Result {
	if a.base != nil {
		return &a.base[i]
	}
	if w, ok := a.whole[i]; ok {
		return w
	}
	if scratch == nil {
		scratch = new(answer.Result)
	}
	rc, s := a.rec(i), a.strs
	en := &a.ends[rc.end]
	*scratch = answer.Result{Source: s[rc.src], Destination: s[en.dst], Purpose: s[en.purpose], Workspace: s[en.ws], Workspaces: a.lists[en.wss],
		FQDN: s[en.fqdn], ServiceTag: s[en.tag], Reference: s[en.ref], Protocol: s[en.proto], Port: int(en.port),
		Reachable: rc.ok, Verdict: answer.Verdict(s[rc.verdict]), Reason: s[rc.reason], Egress: a.egress[rc.eg], ConditionalAccess: a.access[rc.ca]}
	return scratch
}

// allReachable is answer.Report.AllReachable.
func (a *answers) allReachable() bool { return a.all > 0 && a.ok == a.all }

// summarize returns the summary matrices: one for the profile (every
// workspace), one for the other checks, in the order they first appear.
// Sources that reach every endpoint are counted apart when there are
// more than maxQuiet of them. The matrices are copies: answers may still
// be added.
func (a *answers) summarize() []*matrix {
	out := make([]*matrix, 0, len(a.ms))
	for _, b := range a.ms {
		src := b.m
		m := *src
		m.all = slices.Clone(src.all)
		m.cols = slices.Clone(src.cols)
		m.rows = slices.Clone(src.rows)
		for i := range m.rows {
			cells := make([]int, len(m.cols))
			n := copy(cells, m.rows[i].cells)
			for c := n; c < len(cells); c++ {
				cells[c] = -1
			}
			m.rows[i].cells = cells
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
		m.verdicts = verdictOrder(b.verdicts)
		out = append(out, &m)
	}
	return out
}
