package engine

import (
	"net/netip"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/internal/syncmap"
)

// A firewall or an NSG decides by its rules' source sets only whether a
// source lies inside or outside each of them. The rules' source sets cut
// the address space into atoms, runs of addresses that every rule treats
// alike: two sources within one atom get the same decisions for a
// destination, each for itself. At estate scale thousands of spoke subnets
// fall in a handful of atoms of the hub firewall (and of the NSG in front
// of a private endpoint), so evaluations are memoised per atom and
// destination rather than per source.

// srcAtoms are the boundaries between the atoms of a rule list: the first
// address of every rule source range, the address after every range, and
// the first address of each family; and the evaluations memoised per atom.
type srcAtoms struct {
	once   sync.Once
	bounds []netip.Addr
	memo   syncmap.Map[atomKey, any] // memoised evaluations (*atomMemo), read-only
	// The boundaries cost a sort of every rule source range: they are
	// made only once the rules have met atomSources distinct sources (a
	// hub firewall, the NSG in front of a private endpoint), not for the
	// NSG of a spoke that its few subnets alone meet.
	seen  syncmap.Map[cidr.Key, struct{}] // each source met, up to atomSources
	nseen atomic.Int32
	ready atomic.Bool
}

// atomSources is how many distinct sources rules meet before their
// evaluations are memoised per atom.
const atomSources = 8

// atomKey names an evaluation that holds for every source in one atom.
type atomKey struct {
	atom  int
	dst   cidr.Key
	sym   string
	fqdn  string
	proto Protocol
	port  uint16
}

// of returns the atom that holds every address of s, or false when s
// spans a boundary (a rule holds part of it). srcs lists the rules'
// source matchers; it is read once.
func (a *srcAtoms) of(s cidr.Set, srcs func(yield func(*matcher))) (int, bool) {
	a.once.Do(func() {
		b := []netip.Addr{netip.IPv4Unspecified(), netip.IPv6Unspecified()}
		srcs(func(m *matcher) {
			for _, r := range m.set.Ranges() {
				b = append(b, r.From)
				if n := r.To.Next(); n.IsValid() {
					b = append(b, n)
				}
			}
		})
		slices.SortFunc(b, netip.Addr.Compare)
		a.bounds = slices.Compact(b)
	})
	lo, hi, ok := s.Bounds()
	if !ok {
		return 0, false
	}
	b := a.bounds
	i := sort.Search(len(b), func(i int) bool { return b[i].Compare(lo) > 0 })
	if i < len(b) && b[i].Compare(hi) <= 0 {
		return 0, false
	}
	return i, true
}

// key returns the key of an evaluation from src to dst, and false when it
// cannot be memoised per atom: a source known only by a tag's name or cut
// by a rule, or a destination that in did not intern.
func (a *srcAtoms) key(in *cidr.Interner, src, dst addrs, fqdn string, p Protocol, port uint16, srcs func(yield func(*matcher))) (atomKey, bool) {
	if in == nil || src.isSym() || !dst.isSym() && !in.Interned(dst.set) {
		return atomKey{}, false
	}
	if !a.ready.Load() {
		if _, met := a.seen.LoadOrStore(src.set.Key(), struct{}{}); !met && a.nseen.Add(1) >= atomSources {
			a.ready.Store(true)
		}
		return atomKey{}, false
	}
	atom, ok := a.of(src.set, srcs)
	if !ok {
		return atomKey{}, false
	}
	return atomKey{atom: atom, dst: dst.set.Key(), sym: dst.sym, fqdn: fqdn, proto: p, port: port}, true
}

// atomMemo is an evaluation memoised per atom: its parts with their source
// left out, and the notes it made, in order.
type atomMemo[T any] struct {
	parts []T
	notes []string
}

// memoAtom returns eval's parts for src, memoised under k: a later source
// of the same atom gets the same parts, each with itself as the source
// (srcOf reaches a part's source), and the same notes again.
func memoAtom[T any](a *srcAtoms, k atomKey, src addrs, notes *pieceNotes, eval func(*pieceNotes) []T, srcOf func(*T) *addrs) []T {
	if v, ok := a.memo.Load(k); ok {
		m := v.(*atomMemo[T])
		for _, n := range m.notes {
			notes.add(n)
		}
		out := slices.Clone(m.parts)
		for i := range out {
			*srcOf(&out[i]) = src
		}
		return out
	}
	var rec pieceNotes
	out := eval(&rec)
	for _, n := range rec.list {
		notes.add(n)
	}
	m := &atomMemo[T]{parts: slices.Clone(out), notes: rec.list}
	for i := range m.parts {
		s := srcOf(&m.parts[i])
		if !s.equal(src) {
			return out // a source within one atom is never cut; keep to what eval said
		}
		*s = addrs{}
	}
	a.memo.Store(k, m)
	return out
}
