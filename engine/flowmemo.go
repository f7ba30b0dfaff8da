package engine

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/cidr"
)

// A profile asks one source for the same flow under several names: the
// region's Storage tag on TCP 443 for blobs, queues and tables and for
// each workspace's file and dfs names, Entra ID for login and Graph. The
// walk of such a flow depends on the name only where a firewall compares
// it (network rules with destination FQDNs, application rules), so a walk
// that no firewall decided by name and that arrived everywhere is kept
// and replayed for the source's next check of the same flow, with the
// answer hops the first check made of it (the JSON writer then encodes
// them once). Everything else of the answer is assembled for each check.
// Walks that stop somewhere are not kept: their fixes are made from the
// check they belong to. Only the shared path keeps walks, and only those
// of the last few sources, which is where a source-by-source run has its
// checks in flight.

// flowKey names a walk: the source, the destination's addresses (interned)
// or tag name, the tag the destination stands for, and the protocol and
// port.
type flowKey struct {
	src   Source
	dst   cidr.Key
	sym   string
	tag   string
	proto Protocol
	port  uint16
	// class is set for the walk of a class of sources (classes.go), src
	// being its first; such a walk is kept whatever a firewall compared,
	// and names the FQDN it was walked for.
	class bool
	fqdn  string
}

// walkMemo is a kept walk: its outcomes and notes, read-only, and the
// answer hops made of its only outcome, once a check has made them.
type walkMemo struct {
	outcomes []outcome
	notes    []string
	assume   []string
	// cls is the class a class walk stands for; nil for a source's own
	// walk. failed marks a class walk that does not stand for its
	// members: they walk alone.
	cls    *srcClass
	failed bool
	mu     sync.Mutex
	hops   []answer.Hop
	hopsOf Source // the source hops were made for
	// arrival is the sentence of how the only outcome arrived, once a
	// check has made it, when it is the same for every check that replays
	// the walk (see walker.arrival).
	arrival string
}

// flowSources is how many sources' walks are kept (a class's walks count
// as its first source's).
const flowSources = 16

// flowMemos holds the kept walks of the last flowSources sources, each
// source's in its own bucket. A check looks its walks up many times per
// source, while sources come and go only once each, so the list of
// buckets is replaced whole when a source is added (under mu) and read
// without a lock, and a lookup locks only its source's bucket.
type flowMemos struct {
	mu  sync.Mutex // serialises replacing cur
	cur atomic.Pointer[[]flowBucket]
}

// flowBucket holds one source's kept walks.
type flowBucket struct {
	src   Source
	mu    *sync.Mutex // shared by the copies of the bucket in each list
	walks map[flowKey]*walkMemo
}

// bucket returns the bucket of src in the current list, or nil.
func (f *flowMemos) bucket(src Source) *flowBucket {
	cur := f.cur.Load()
	if cur == nil {
		return nil
	}
	// Newest first: the sources the workers are answering were added last.
	for i := len(*cur) - 1; i >= 0; i-- {
		if b := &(*cur)[i]; b.src == src {
			return b
		}
	}
	return nil
}

// add returns the bucket of src, adding one (and dropping the oldest
// source's when there are flowSources) if there is none.
func (f *flowMemos) add(src Source) *flowBucket {
	f.mu.Lock()
	defer f.mu.Unlock()
	if b := f.bucket(src); b != nil {
		return b
	}
	var next []flowBucket
	if cur := f.cur.Load(); cur != nil {
		next = *cur
	}
	if len(next) == flowSources {
		next = next[1:]
	}
	next = append(slices.Clip(next), flowBucket{src: src, mu: new(sync.Mutex), walks: map[flowKey]*walkMemo{}})
	f.cur.Store(&next)
	return &next[len(next)-1]
}

// flowKeyOf returns the key of w's walk from src, and false on the
// per-pair path or for a destination that is not interned.
func (e *Engine) flowKeyOf(src Source, w *walker) (flowKey, bool) {
	if e.in == nil || !w.dst.isSym() && !e.in.Interned(w.dst.set) {
		return flowKey{}, false
	}
	return flowKey{src: src, dst: w.dst.set.Key(), sym: w.dst.sym, tag: w.f.tag, proto: w.f.proto, port: w.f.port}, true
}

// replayWalk gives w the outcomes, notes and answer hops of the walk kept
// under k, and returns it; nil when there is none.
func (e *Engine) replayWalk(k flowKey, w *walker, src Source) *walkMemo {
	m := e.keptWalk(k)
	if m == nil || m.failed {
		return nil
	}
	m.replay(w, src)
	return m
}

// replay gives w, the check from src, the outcomes, notes and answer
// hops of m.
func (m *walkMemo) replay(w *walker, src Source) {
	w.outcomes, w.cls, w.kept = m.copyOutcomes(), m.cls, m
	w.notes.list = slices.Clip(m.notes) // an answer copies them
	w.assume.list = slices.Clip(m.assume)
	if m.cls != nil && src.Subnet != m.cls.rep {
		w.assume.list = memberAssumptions(w.assume.list, m.cls, w.srcCtx)
	}
	m.mu.Lock()
	hops, of := m.hops, m.hopsOf
	m.mu.Unlock()
	switch {
	case hops == nil:
	case of == src:
		w.hops = hops
	case m.cls != nil:
		w.hops = memberHops(hops, w.e.ctx(of.Subnet), w.srcCtx)
	}
}

// memberHops returns the answer hops another member of a class made of
// the class's walk, with the first hop, translated source and own egress
// (see ownEgress) of the member whose subnet is c instead of those of the
// member of made: the rest of the hops, with their steps and rules, are
// shared (read-only).
func memberHops(hops []answer.Hop, of, c *subnetCtx) []answer.Hop {
	out := slices.Clone(hops)
	out[0].Node, out[0].Name = c.sn.ID, c.name
	own := len(hops) == 2 && hops[1].Kind == answer.HopInternet
	for i := range out {
		for j, s := range out[i].Steps {
			snat := s.SNAT != nil && s.SNAT.From == of.selfStr
			egress := own && s.Egress != nil && s.Egress.Via == of.sn.ID
			if !snat && !egress {
				continue
			}
			if &out[i].Steps[0] == &hops[i].Steps[0] {
				out[i].Steps = slices.Clone(out[i].Steps) // shared until a step changes
			}
			if snat {
				x := *s.SNAT
				x.From = c.selfStr
				out[i].Steps[j].SNAT = &x
			}
			if egress {
				x := *s.Egress
				x.Via = c.sn.ID
				out[i].Steps[j].Egress = &x
			}
		}
	}
	return out
}

// keptWalk returns the walk kept under k, or nil.
func (e *Engine) keptWalk(k flowKey) *walkMemo {
	b := e.flows.bucket(k.src)
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.walks[k]
}

// keepWalk keeps w's walk under k, and returns it, when its answer cannot
// depend on the name of the destination: every part arrived, and no
// firewall compared the name. It returns nil otherwise.
func (e *Engine) keepWalk(k flowKey, w *walker) *walkMemo {
	if w.byFQDN || w.cut || len(w.outcomes) == 0 {
		return nil
	}
	for i := range w.outcomes {
		if v, _ := w.outcomes[i].decider(); v != answer.Reachable || w.outcomes[i].stop != nil {
			return nil
		}
	}
	m := &walkMemo{outcomes: w.outcomes, notes: slices.Clone(w.notes.list), assume: slices.Clone(w.assume.list)}
	m.outcomes = m.copyOutcomes() // assembling w's answer writes into its return paths
	return e.keep(k, m)
}

// keepClassWalk keeps the walk w made for class cls under k: as the
// walk its members take when it stands for theirs, else as the mark that
// they walk alone. It returns what k holds.
func (e *Engine) keepClassWalk(k flowKey, cls *srcClass, w *walker) *walkMemo {
	m := &walkMemo{cls: cls, failed: !classShareable(cls, w)}
	if !m.failed {
		m.outcomes, m.notes, m.assume = w.outcomes, slices.Clone(w.notes.list), slices.Clone(w.assume.list)
	}
	return e.keep(k, m)
}

// keep keeps m under k, unless another worker kept a walk there first,
// and returns what k holds. A walk kept in the bucket of a source that
// another worker has just dropped is lost, as if it had been dropped with
// it.
func (e *Engine) keep(k flowKey, m *walkMemo) *walkMemo {
	b := e.flows.bucket(k.src)
	if b == nil {
		b = e.flows.add(k.src)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if x, ok := b.walks[k]; ok {
		return x // another worker kept the same walk first
	}
	b.walks[k] = m
	return m
}

// keepHops keeps the answer hops a check made of the walk's only outcome,
// for the checks that replay it. Answer hops are read-only once made.
func (m *walkMemo) keepHops(src Source, hops []answer.Hop) {
	if m == nil || len(m.outcomes) != 1 || len(hops) == 0 {
		return
	}
	m.mu.Lock()
	if m.hops == nil || m.hopsOf != src {
		m.hops, m.hopsOf = hops, src
	}
	m.mu.Unlock()
}

// copyOutcomes returns the kept outcomes for a check's answer: the list
// itself, read-only, unless assembling the answer writes into a return
// path (one a block explains), when each such path is the check's own.
func (m *walkMemo) copyOutcomes() []outcome {
	if !writesReturn(m.outcomes) {
		return slices.Clip(m.outcomes)
	}
	out := slices.Clone(m.outcomes)
	for i := range out {
		if r := out[i].ret; r != nil {
			x := *r
			out[i].ret = &x
		}
	}
	return out
}

// writesReturn reports whether assembling an answer of outcomes writes
// into a return path: the reason of one a block explains.
func writesReturn(outcomes []outcome) bool {
	for i := range outcomes {
		if outcomes[i].ret != nil && outcomes[i].retBlock != nil {
			return true
		}
	}
	return false
}
