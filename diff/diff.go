package diff

import (
	"cmp"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/topology"
)

// Options say which answers to compare: those of `vnetpath check` with the
// same flags. The zero value compares the Azure ML profile of every
// workspace from every workload subnet.
type Options struct {
	From []string // sources, as check's --from; none: every workload subnet
	To   []string // destinations, as check's --to; none: the Azure ML profile of every workspace
	// Port and Protocol override the profile's ports and protocols when
	// set; for destinations given in To they default to 443 and TCP.
	Port     int
	Protocol engine.Protocol
	// Full re-checks every answer after the change. Without it only the
	// answers whose before-answer touched a place the change affects are
	// checked again; the others keep their before-answer.
	Full bool
}

// Report is what changed between two estates: the answers that differ,
// each with both verdicts and the resources whose change caused it, and a
// summary. Its JSON form is what `vnetpath diff --format json` prints.
type Report struct {
	Before  Estate  `json:"before"`
	After   Estate  `json:"after"`
	Changed []Entry `json:"changed"`
	Summary Summary `json:"summary"`
	// Resources lists the resources that differ between the estates, in
	// ID order.
	Resources []ResourceChange `json:"resources"`
	// Warnings are those of the changed answers, after then before, each
	// once; the warnings of loading the estates are the loader's
	// (azure.Result.Warnings).
	Warnings []string `json:"warnings"`
}

// Estate describes one side of a comparison.
type Estate struct {
	Inputs   []string               `json:"inputs,omitempty"` // what it was loaded from (filled by callers)
	Snapshot answer.SnapshotSummary `json:"snapshot"`
	Answers  int                    `json:"answers"` // answers of this estate compared
}

// Entry is an answer that changed. Before is nil for an answer that only
// exists after the change (a new source or workspace), After for a source
// that no longer exists (or no longer holds workloads).
type Entry struct {
	Source      string   `json:"source"`
	Destination string   `json:"destination"`
	Purpose     string   `json:"purpose,omitempty"`
	Workspace   string   `json:"workspace,omitempty"`
	Protocol    string   `json:"protocol"`
	Port        int      `json:"port"`
	Before      *Side    `json:"before"`
	After       *Side    `json:"after"`
	Causes      []string `json:"causes"` // IDs of the changed resources the answer depends on, before or after
	// BeforeResult and AfterResult are the full answers (nil where the
	// side is).
	BeforeResult *answer.Result `json:"-"`
	AfterResult  *answer.Result `json:"-"`
}

// Side is one side of a changed answer.
type Side struct {
	Verdict answer.Verdict `json:"verdict"`
	Reason  string         `json:"reason"`
}

// NoLongerReachable reports whether the answer was reachable before and is
// not after (a source that no longer exists does not count).
func (e *Entry) NoLongerReachable() bool {
	return e.Before != nil && e.After != nil && e.Before.Verdict.IsReachable() && !e.After.Verdict.IsReachable()
}

// NowReachable reports whether the answer was not reachable before and is
// after.
func (e *Entry) NowReachable() bool {
	return e.Before != nil && e.After != nil && !e.Before.Verdict.IsReachable() && e.After.Verdict.IsReachable()
}

// Summary counts the comparison.
type Summary struct {
	Compared          int `json:"compared"`          // answers compared
	Rechecked         int `json:"rechecked"`         // answers analysed after the change; the others kept their before-answer
	Changed           int `json:"changed"`           // len(Changed)
	NoLongerReachable int `json:"noLongerReachable"` // reachable before, not after
	NowReachable      int `json:"nowReachable"`      // not reachable before, reachable after
	Otherwise         int `json:"otherwise"`         // another verdict or reason on both sides
	New               int `json:"new"`               // answers that only exist after (new sources or workspaces)
	Gone              int `json:"gone"`              // sources that only exist before
	Resources         int `json:"resources"`         // resources that differ
}

// Regressed reports whether an answer that was reachable no longer is:
// what fails a pull request (`vnetpath diff` exits 1).
func (r *Report) Regressed() bool { return r.Summary.NoLongerReachable > 0 }

// Headline says in one line how many answers changed and how:
// "3 answers changed: 2 no longer reachable, 1 now reachable".
func (s Summary) Headline() string {
	if s.Changed == 0 {
		return fmt.Sprintf("no answer changed (%d compared)", s.Compared)
	}
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	add(s.NoLongerReachable, "no longer reachable")
	add(s.NowReachable, "now reachable")
	add(s.Otherwise, "otherwise changed")
	add(s.New, "new")
	add(s.Gone, "gone")
	noun := "answers"
	if s.Changed == 1 {
		noun = "answer"
	}
	return fmt.Sprintf("%d %s changed: %s", s.Changed, noun, strings.Join(parts, ", "))
}

// Baseline is the answers of an estate before a change, indexed by the
// places they touched, so that [Baseline.Compare] checks again only the
// answers a change can affect. It is built once and may be compared with
// any number of changed estates; it is safe for concurrent use by
// Compare calls.
type Baseline struct {
	eng     *engine.Engine
	opts    Options
	queries []engine.Query
	base    int // queries[:base] are those of Options; the rest are the profile's follow-ups
	results []answer.Result
	keys    map[qkey]int // query -> index
	lkeys   map[qkey]int // the same with lower-case IDs, built on first use
	lonce   sync.Once
	index   map[string][]int // location -> indexes of the answers that touched it
	summary answer.SnapshotSummary
	absent  []string // --from values this estate does not hold
	loc     *locator
}

// NewBaseline answers the queries of opts on the estate before a change
// and indexes the answers. A --from value that names nothing in this
// estate is not an error here (it may exist after the change); an
// ambiguous one, or a destination the engine refuses, is (an
// [*engine.InputError]).
func NewBaseline(before *engine.Engine, opts Options) (*Baseline, error) {
	qs, absent, err := opts.queries(before)
	if err != nil {
		return nil, err
	}
	rep, err := before.Run(qs)
	if err != nil {
		return nil, err
	}
	base := len(qs)
	if more := opts.followUps(before, rep.Results); len(more) > 0 {
		extra, err := before.Run(more)
		if err != nil {
			return nil, err
		}
		qs = append(qs, more...)
		rep.Results = append(rep.Results, extra.Results...)
	}
	b := &Baseline{eng: before, opts: opts, queries: qs, base: base, results: rep.Results, absent: absent,
		keys: make(map[qkey]int, len(qs)), index: map[string][]int{}, loc: newLocator(before.Snapshot()), summary: snapshotSummary(before)}
	for i, q := range qs {
		b.keys[keyOf(q)] = i
		if !opts.Full {
			for _, l := range b.loc.touched(before, q, &b.results[i]) {
				b.index[l] = append(b.index[l], i)
			}
		}
	}
	return b, nil
}

// answer returns the answer after the change of each query qs: the
// before-answer that before finds for it (by index in b.results), unless
// recheck says to check it again (nil: check every answer again), else a
// new check on after. beforeAt holds each query's before-answer index, or
// -1; rechecked is how many were checked again.
func (b *Baseline) answer(after *engine.Engine, qs []engine.Query, recheck []bool, before func(i int, q engine.Query) (int, bool)) (afterRes []*answer.Result, beforeAt []int, rechecked int, err error) {
	afterRes = make([]*answer.Result, len(qs))
	beforeAt = make([]int, len(qs))
	var run []engine.Query
	var runAt []int
	for i, q := range qs {
		bi, ok := before(i, q)
		beforeAt[i] = -1
		if ok {
			beforeAt[i] = bi
		}
		if ok && recheck != nil && !recheck[bi] {
			afterRes[i] = &b.results[bi]
			continue
		}
		run = append(run, q)
		runAt = append(runAt, i)
	}
	rep, err := after.Run(run)
	if err != nil {
		return nil, nil, 0, err
	}
	for j, i := range runAt {
		afterRes[i] = &rep.Results[j]
	}
	return afterRes, beforeAt, len(run), nil
}

// Compare compares the baseline with the estate after the change and
// returns the answers that changed. candidates, when not nil, lists the
// only resources that may differ between the estates (azure.Result.Touched
// of the changed estate); nil compares every resource.
//
// Unless Options.Full is set, an answer is checked again only when its
// before-answer touched a place the changed resources affect (see the
// package documentation); the others keep their before-answer. New
// sources are always checked. The result is the same as with Full.
func (b *Baseline) Compare(after *engine.Engine, candidates []string) (*Report, error) {
	changes := Changes(b.eng.Snapshot(), after.Snapshot(), candidates)
	qa, same := b.queries[:b.base], true
	if b.opts.Full || len(b.absent) > 0 || slices.ContainsFunc(changes, changesQueries) {
		var absent []string
		var err error
		same = false
		qa, absent, err = b.opts.queries(after)
		if err != nil {
			return nil, err
		}
		for _, f := range b.absent {
			if slices.Contains(absent, f) {
				return nil, &engine.InputError{Arg: "from", Value: f, Msg: "no subnet matches, before or after the change"}
			}
		}
	}
	if len(b.queries) == 0 && len(qa) == 0 {
		if len(b.opts.To) == 0 {
			return nil, engine.ErrNoWorkspace
		}
		return nil, errors.New("neither estate has a source to compare: no workload subnet, and no --from that names one")
	}

	// Which before-answers to check again.
	var recheck []bool
	aloc := newLocator(after.Snapshot())
	if !b.opts.Full {
		recheck = make([]bool, len(b.queries))
		for _, c := range changes {
			for _, l := range affected(b.loc, aloc, c.ID) {
				if l == everything {
					for i := range recheck {
						recheck[i] = true
					}
					break
				}
				for _, i := range b.index[l] {
					recheck[i] = true
				}
			}
		}
	}
	// Each query's before-answer (by position when the queries are the
	// baseline's own), kept where it needs no new check.
	afterRes, beforeAt, rechecked, err := b.answer(after, qa, recheck, func(i int, q engine.Query) (int, bool) {
		if same {
			return i, true
		}
		return b.lookup(q)
	})
	if err != nil {
		return nil, err
	}
	// The profile's follow-ups, from the answers after the change: kept
	// from the baseline where their before-answer needs no new check.
	qa = slices.Clip(qa)
	if more := b.opts.followUps(after, derefs(afterRes)); len(more) > 0 {
		moreRes, moreAt, n, err := b.answer(after, more, recheck, func(_ int, q engine.Query) (int, bool) { return b.lookup(q) })
		if err != nil {
			return nil, err
		}
		qa = append(qa, more...)
		afterRes, beforeAt = append(afterRes, moreRes...), append(beforeAt, moreAt...)
		rechecked += n
	}

	out := &Report{
		Before:    Estate{Snapshot: b.summary, Answers: len(b.queries)},
		After:     Estate{Snapshot: snapshotSummary(after), Answers: len(qa)},
		Resources: changes,
	}
	out.Summary.Rechecked = rechecked
	out.Summary.Resources = len(changes)
	cs := newCauses(b, after, aloc, changes)
	afterSources := map[string]bool{}
	last := ""
	for i, q := range qa {
		if q.From != last {
			afterSources[q.From], last = true, q.From
		}
		ar := afterRes[i]
		var br *answer.Result
		if bi := beforeAt[i]; bi >= 0 {
			br = &b.results[bi]
		}
		out.Summary.Compared++
		if br != nil && br.Verdict == ar.Verdict && br.Reason == ar.Reason {
			continue
		}
		out.Changed = append(out.Changed, entry(q, br, ar, cs))
	}
	asked := make(map[qkey]bool, len(qa))
	for _, q := range qa {
		asked[keyOf(q).lower()] = true
	}
	var lower map[string]bool
	for i, q := range b.queries {
		if afterSources[q.From] {
			if !asked[keyOf(q).lower()] {
				// A question the change no longer asks (a profile
				// follow-up whose condition no longer holds).
				out.Summary.Compared++
				out.Changed = append(out.Changed, entry(q, &b.results[i], nil, cs))
			}
			continue
		}
		if lower == nil {
			lower = map[string]bool{}
			for f := range afterSources {
				lower[strings.ToLower(f)] = true
			}
		}
		if lower[strings.ToLower(q.From)] {
			continue
		}
		out.Summary.Compared++
		out.Changed = append(out.Changed, entry(q, &b.results[i], nil, cs))
	}
	slices.SortStableFunc(out.Changed, func(x, y Entry) int {
		return cmp.Or(cmp.Compare(strings.ToLower(x.Workspace), strings.ToLower(y.Workspace)),
			cmp.Compare(strings.ToLower(x.Source), strings.ToLower(y.Source)))
	})
	for i := range out.Changed {
		e := &out.Changed[i]
		switch {
		case e.Before == nil:
			out.Summary.New++
		case e.After == nil:
			out.Summary.Gone++
		case e.NoLongerReachable():
			out.Summary.NoLongerReachable++
		case e.NowReachable():
			out.Summary.NowReachable++
		default:
			out.Summary.Otherwise++
		}
	}
	out.Summary.Changed = len(out.Changed)
	out.Warnings = warningsOf(out.Changed)
	if out.Changed == nil {
		out.Changed = []Entry{}
	}
	if out.Resources == nil {
		out.Resources = []ResourceChange{}
	}
	return out, nil
}

// Compare answers the queries of opts on both estates and returns the
// answers that changed: [NewBaseline] then [Baseline.Compare].
func Compare(before, after *engine.Engine, opts Options, candidates []string) (*Report, error) {
	b, err := NewBaseline(before, opts)
	if err != nil {
		return nil, err
	}
	return b.Compare(after, candidates)
}

// warningsOf returns the warnings of the changed answers, each once.
func warningsOf(es []Entry) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, e := range es {
		for _, r := range []*answer.Result{e.AfterResult, e.BeforeResult} {
			if r == nil {
				continue
			}
			for _, w := range r.Warnings {
				if !seen[w] {
					seen[w] = true
					out = append(out, w)
				}
			}
		}
	}
	return out
}

func snapshotSummary(e *engine.Engine) answer.SnapshotSummary {
	s := e.Summary()
	for _, m := range e.Snapshot().Missing() {
		mr := answer.MissingResource{ID: m.ID, Type: m.Type, Export: m.Export}
		for _, r := range m.ReferencedBy {
			mr.ReferencedBy = append(mr.ReferencedBy, r.ID)
		}
		s.Missing = append(s.Missing, mr)
	}
	if s.Skipped == nil {
		s.Skipped = map[string]int{}
	}
	return s
}

func entry(q engine.Query, br, ar *answer.Result, cs *causes) Entry {
	e := Entry{Destination: q.To, Purpose: q.Purpose, Workspace: q.Workspace, Protocol: string(q.Protocol), Port: q.Port,
		BeforeResult: br, AfterResult: ar}
	for _, r := range []*answer.Result{br, ar} {
		if r != nil {
			e.Source, e.Protocol, e.Port = r.Source, r.Protocol, r.Port
		}
	}
	if br != nil {
		e.Before = &Side{Verdict: br.Verdict, Reason: br.Reason}
	}
	if ar != nil {
		e.After = &Side{Verdict: ar.Verdict, Reason: ar.Reason}
	}
	e.Causes = cs.of(q, br, ar)
	return e
}

// qkey identifies a query across the estates: source, destination,
// protocol, port and the workspace of a profile entry.
type qkey struct {
	from, to, fqdn, workspace string
	proto                     engine.Protocol
	port                      int
}

func keyOf(q engine.Query) qkey {
	k := qkey{from: q.From, to: q.To, fqdn: q.FQDN, workspace: q.Workspace, proto: q.Protocol, port: q.Port}
	if k.proto == "" {
		k.proto = engine.TCP
	}
	if k.port == 0 {
		k.port = 443
	}
	return k
}

func (k qkey) lower() qkey {
	k.from, k.to, k.fqdn, k.workspace = strings.ToLower(k.from), strings.ToLower(k.to), strings.ToLower(k.fqdn), strings.ToLower(k.workspace)
	return k
}

// lookup finds the before-answer of a query: by its IDs as spelled, else
// in any letter case (an estate whose change spells them otherwise).
func (b *Baseline) lookup(q engine.Query) (int, bool) {
	k := keyOf(q)
	if i, ok := b.keys[k]; ok {
		return i, true
	}
	b.lonce.Do(func() {
		b.lkeys = make(map[qkey]int, len(b.keys))
		for k, i := range b.keys {
			b.lkeys[k.lower()] = i
		}
	})
	i, ok := b.lkeys[k.lower()]
	return i, ok
}

// changesQueries reports whether a change can change the questions asked:
// which subnets hold workloads (a subnet, its NICs and private endpoints),
// and which workspaces and names the profile has.
func changesQueries(c ResourceChange) bool {
	switch strings.ToLower(c.Type) {
	case strings.ToLower(topology.TypeSubnet), strings.ToLower(topology.TypeNIC),
		strings.ToLower(topology.TypePrivateEndpoint), strings.ToLower(topology.TypeWorkspace), strings.ToLower(topology.TypeVNet):
		return true
	}
	return false
}

// followUps returns the checks of the profile that depend on its answers
// (engine.ProfileFollowUps), when the options ask for the profile with its
// own ports.
func (o Options) followUps(e *engine.Engine, results []answer.Result) []engine.Query {
	if len(o.To) > 0 || o.Port != 0 {
		return nil
	}
	more := e.ProfileFollowUps(results)
	if o.Protocol != "" {
		for i := range more {
			more[i].Protocol = o.Protocol
		}
	}
	return more
}

// derefs copies the results a slice of pointers points at.
func derefs(rs []*answer.Result) []answer.Result {
	out := make([]answer.Result, len(rs))
	for i, r := range rs {
		out[i] = *r
	}
	return out
}

// queries returns the queries of o in estate e, each From the source's ID
// (a subnet ID, or an address), and the --from values e does not hold.
func (o Options) queries(e *engine.Engine) ([]engine.Query, []string, error) {
	snap := e.Snapshot()
	var srcs, absent []string
	if len(o.From) == 0 {
		for _, sn := range e.WorkloadSubnets() {
			srcs = append(srcs, sn.ID)
		}
	}
	for _, f := range o.From {
		s, err := e.ResolveSource(f)
		if err != nil {
			if holdsNone(snap, f) {
				absent = append(absent, f)
				continue
			}
			return nil, nil, err
		}
		srcs = append(srcs, s.ID())
	}
	if len(o.To) == 0 {
		qs, err := e.ProfileQueries(srcs)
		if errors.Is(err, engine.ErrNoWorkspace) || len(srcs) == 0 {
			return nil, absent, nil
		}
		if err != nil {
			return nil, nil, err
		}
		for i := range qs {
			if o.Port != 0 {
				qs[i].Port = o.Port
			}
			if o.Protocol != "" {
				qs[i].Protocol = o.Protocol
			}
		}
		return qs, absent, nil
	}
	port, proto := o.Port, o.Protocol
	if port == 0 {
		port = 443
	}
	if proto == "" {
		proto = engine.TCP
	}
	var qs []engine.Query
	for _, s := range srcs {
		for _, t := range o.To {
			qs = append(qs, engine.Query{From: s, To: t, Protocol: proto, Port: port})
		}
	}
	return qs, absent, nil
}

// holdsNone reports whether a --from value names no subnet of snap (rather
// than several).
func holdsNone(snap *topology.Snapshot, ref string) bool {
	if a, err := netip.ParseAddr(strings.TrimSpace(ref)); err == nil {
		return len(snap.SubnetsContaining(a.Unmap())) == 0
	}
	return len(snap.FindSubnets(ref)) == 0
}
