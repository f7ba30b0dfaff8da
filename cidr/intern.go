package cidr

import (
	"hash/maphash"
	"sync"

	"go4.org/netipx"

	"github.com/vnetpath/vnetpath/internal/syncmap"
)

// Key identifies the storage of a set. Sets are immutable, so two sets
// with equal keys hold the same addresses; equal sets that an [Interner]
// returns share their storage and so their key. The empty set's key is
// the zero Key. A Key keeps its set's storage alive.
type Key struct {
	p *netipx.IPRange
	n int
}

// Key returns the key of s's storage.
func (s Set) Key() Key {
	if len(s.rng) == 0 {
		return Key{}
	}
	return Key{&s.rng[0], len(s.rng)}
}

// Interner hands out one copy of each distinct set, so that equal sets
// share their storage (and [Set.Key]), and memoises operations between
// sets: at estate scale the same few sets — service tags, the tags and
// rule lists of a subnet — are split by one another millions of times,
// and each split is computed once. It is safe for concurrent use. The zero
// value is not usable; call [NewInterner].
type Interner struct {
	seed   maphash.Seed
	shards [64]internShard
	splits syncmap.Map[[2]Key, split]
	unions syncmap.Map[[2]Key, Set]
	keys   syncmap.Map[Key, struct{}] // the key of each set handed out
}

type internShard struct {
	mu   sync.Mutex
	sets map[uint64][]Set
}

type split struct{ in, out Set }

// NewInterner returns an empty interner.
func NewInterner() *Interner {
	t := &Interner{seed: maphash.MakeSeed()}
	for i := range t.shards {
		t.shards[i].sets = map[uint64][]Set{}
	}
	return t
}

// Intern returns the set equal to s that t hands out: s itself the first
// time such a set is seen.
func (t *Interner) Intern(s Set) Set {
	if len(s.rng) == 0 {
		return Set{}
	}
	var h maphash.Hash
	h.SetSeed(t.seed)
	for _, r := range s.rng {
		a, b := r.From().As16(), r.To().As16()
		h.Write(a[:])
		h.Write(b[:])
	}
	sum := h.Sum64()
	sh := &t.shards[sum%uint64(len(t.shards))]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	for _, x := range sh.sets[sum] {
		if x.Key() == s.Key() || x.Equal(s) {
			return x
		}
	}
	sh.sets[sum] = append(sh.sets[sum], s)
	t.keys.Store(s.Key(), struct{}{})
	return s
}

// Interned reports whether s is a set t handed out (the empty set
// always is): then [Interner.Split] and [Interner.Union] may be given it
// without growing the memo by a set seen once.
func (t *Interner) Interned(s Set) bool {
	if len(s.rng) == 0 {
		return true
	}
	_, ok := t.keys.Load(s.Key())
	return ok
}

// Split returns the addresses of s inside by and those outside it, both
// interned, computing them once per pair of keys. Pass interned sets: the
// memo is keyed by storage, and keeps what it is given.
func (t *Interner) Split(s, by Set) (in, out Set) {
	switch {
	case s.IsEmpty():
		return Set{}, Set{}
	case by.IsEmpty():
		return Set{}, s
	}
	k := [2]Key{s.Key(), by.Key()}
	if x, ok := t.splits.Load(k); ok {
		return x.in, x.out
	}
	var x split
	switch {
	case k[0] == k[1] || by.ContainsSet(s):
		x.in = s
	case !s.Overlaps(by):
		x.out = s
	default:
		x.in, x.out = t.Intern(s.Intersect(by)), t.Intern(s.Subtract(by))
	}
	t.splits.Store(k, x)
	return x.in, x.out
}

// Union returns a ∪ b interned, computing it once per pair of keys. Pass
// interned sets.
func (t *Interner) Union(a, b Set) Set {
	switch {
	case a.IsEmpty():
		return b
	case b.IsEmpty():
		return a
	}
	k := [2]Key{a.Key(), b.Key()}
	if v, ok := t.unions.Load(k); ok {
		return v
	}
	u := t.Intern(a.Union(b))
	t.unions.Store(k, u)
	return u
}
