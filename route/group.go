package route

import (
	"errors"
	"net/netip"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/gaissmai/bart"
	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/internal/syncmap"
)

// Group is a list of routes whose prefixes and selection among themselves
// are computed once and shared by every table built with them: the routes
// a route table writes with service tags, whose thousands of prefixes are
// the same in every subnet that names the same tags. Add its routes to a
// [Builder] with [Builder.AddGroup]; the table then shares the group's
// prefix lists and the trie they make, and adds to it only the prefixes of
// its other routes. Selection is exactly as if every route had been added
// with [Builder.Add].
//
// A Group is immutable and safe for concurrent use. Build one with
// [NewGroup].
type Group struct {
	prefixes [][]netip.Prefix    // per route: canonical and distinct, read-only
	info     []metaInfo          // per route: what selection reads
	lost     []uint32            // per route: the prefixes it loses to the group's routes
	fib      *bart.Table[uint32] // prefix → groupFlag | index of the route that wins it in the group
	// protected and user hold the prefixes of the group's routes that BGP
	// never beats and of its User routes, for the other routes of a
	// table; nil when the group has none.
	protected, user  *bart.Lite
	gateway, summary bool // some route is a VirtualNetworkGateway route / is summarisable
	zero             bool // some route holds a /0 prefix

	// sets memoises the group's own lookups of sets (cidr.Key -> []Piece
	// whose Route is the index of a group route), at most maxGroupSets of
	// them; view is the group's trie as a table for those lookups.
	viewOnce sync.Once
	view     *Table
	sets     syncmap.Map[cidr.Key, []Piece]
	nsets    atomic.Int32
}

// maxGroupSets bounds the lookups a group memoises: the service tags a
// run checks, not every set a caller may pass.
const maxGroupSets = 256

// lookupSet cuts s by the group's routes alone: a piece per group route
// (Route is its index in the group) and one for the addresses no group
// prefix holds (OK false). It reports false when the group holds a /0
// prefix (then the table's own /0 routes compete with it). The result is
// read-only.
func (g *Group) lookupSet(s cidr.Set) ([]Piece, bool) {
	if g.zero {
		return nil, false
	}
	k := s.Key()
	if v, ok := g.sets.Load(k); ok {
		return v, true
	}
	g.viewOnce.Do(func() {
		ids := make([]uint32, len(g.prefixes))
		for i := range ids {
			ids[i] = uint32(i)
		}
		g.view = &Table{fib: g.fib, gid: ids}
	})
	out := g.view.sweep(s)
	if g.nsets.Load() < maxGroupSets {
		if _, loaded := g.sets.LoadOrStore(k, out); !loaded {
			g.nsets.Add(1)
		}
	}
	return out, true
}

// NewGroup returns the group of the given routes, in order: route i of the
// group is routes[i]. What selection reads is taken from each route — its
// prefixes, Source, NextHopType, Tag and SummaryBits —, the rest comes
// from the route given to [Builder.AddGroup]. Prefixes are canonicalised
// as [Builder.Add] does; a list that is already canonical and sorted
// without duplicates (as cidr.Set.Prefixes returns it) is kept by
// reference, and must not be changed afterwards. The error reports bad
// input as [Builder.Build] does; the group is always usable.
func NewGroup(routes []Route) (*Group, error) {
	var b Builder
	for _, r := range routes {
		b.add(r, true)
	}
	t := b.table()
	g := &Group{
		prefixes: make([][]netip.Prefix, len(routes)),
		info:     make([]metaInfo, len(routes)),
		lost:     make([]uint32, len(routes)),
	}
	info := make([]metaInfo, len(b.metas))
	for i := range b.metas {
		info[i] = b.metas[i].info()
	}
	var protected, user []netip.Prefix
	for i := range routes {
		id := uint32(i)
		g.info[i] = info[t.ix.at(id)]
		if off := t.offset(id); t.pfx[off] != multiHeader {
			g.prefixes[i] = []netip.Prefix{decodePrefix(t.pfx[off:])}
		} else {
			g.prefixes[i] = t.multi[id]
		}
		mi := &g.info[i]
		for _, p := range g.prefixes[i] {
			g.zero = g.zero || p.Bits() == 0
		}
		g.gateway = g.gateway || mi.gateway
		g.summary = g.summary || mi.summary > 0
		switch {
		case mi.protects:
			protected = append(protected, g.prefixes[i]...)
		case mi.user:
			user = append(user, g.prefixes[i]...)
		}
	}
	g.protected, g.user = liteOf(protected), liteOf(user)
	t.fib = new(bart.Table[uint32])
	for _, id := range selectAll(t, info, groupFlag) {
		g.lost[id]++
	}
	g.fib = t.fib
	return g, errors.Join(b.errs...)
}

// liteOf returns a set of ps for containment checks, or nil when ps is
// empty.
func liteOf(ps []netip.Prefix) *bart.Lite {
	if len(ps) == 0 {
		return nil
	}
	l := new(bart.Lite)
	for _, p := range ps {
		l.Insert(p)
	}
	return l
}

// Len returns the number of routes of g.
func (g *Group) Len() int { return len(g.prefixes) }

// AddGroup adds r as route i of g: like [Builder.Add], with the prefixes
// of g's route i instead of r's (r.Prefixes is ignored), which the table
// shares. Its [ID] is the number of routes added before it, as with Add.
//
// A table shares g's trie when every route of g is added, once each and in
// g's order (other routes may come between them), no route of another
// group is added, and each route agrees with g's in what selection reads
// (Source, NextHopType, Tag, SummaryBits). Otherwise, and when routes of
// the group could lose prefixes to the table's other routes by the
// VirtualNetworkGateway or summarisation rules, [Builder.Build] builds the
// whole trie, with the same result. An i outside g's routes is reported
// by Build and r is added with its own prefixes.
func (b *Builder) AddGroup(g *Group, i int, r Route) {
	id := uint32(b.ix.len())
	if g == nil || i < 0 || i >= g.Len() {
		b.fail(id, &r, strconv.Itoa(i), "not a route of the group (added with its own prefixes)")
		b.groupMixed = true
		b.Add(r)
		return
	}
	if b.group == nil && !b.groupMixed {
		b.group = g
	}
	if b.group == g && i == len(b.gids) {
		b.gids = append(b.gids, id)
	} else {
		b.groupMixed = true
	}
	if id&(blockSize-1) == 0 {
		b.blocks = append(b.blocks, uint32(len(b.pfx)))
	}
	switch ps := g.prefixes[i]; len(ps) {
	case 1:
		b.pfx = appendPrefix(b.pfx, ps[0])
	default:
		b.pfx = append(b.pfx, multiHeader)
		if len(ps) > 0 {
			if b.multi == nil {
				b.multi = make(map[uint32][]netip.Prefix)
			}
			b.multi[id] = ps
		}
	}
	r.Prefixes = nil
	b.ix.append(b.intern(id, &r))
}

// sharesGroup reports whether a table of the routes added so far can
// share the trie of their group (see [Builder.AddGroup]); info is the
// metadata's, as [meta.info] gives it.
func (b *Builder) sharesGroup(info []metaInfo) bool {
	g := b.group
	if g == nil || b.groupMixed || len(b.gids) != g.Len() {
		return false
	}
	for k, id := range b.gids {
		if info[b.ix.at(id)] != g.info[k] {
			return false
		}
	}
	if !g.gateway && !g.summary {
		return true
	}
	// A group route may lose a prefix to another route only by rank: a
	// table whose other routes would invalidate a group's gateway or
	// private endpoint route is built whole.
	k := 0
	for id := range uint32(b.ix.len()) {
		if k < len(b.gids) && b.gids[k] == id {
			k++
			continue
		}
		mi := &info[b.ix.at(id)]
		if g.gateway && mi.protects || g.summary && mi.user {
			return false
		}
	}
	return true
}

// buildWithGroup builds t's trie as the group's trie plus the prefixes of
// the other routes, and t's Invalid routes.
func (b *Builder) buildWithGroup(t *Table, info []metaInfo) {
	g := b.group
	t.grp = g
	t.gid = b.gids[:len(b.gids):len(b.gids)]
	// The routes of the table that are not the group's.
	own := func(f func(id uint32, p netip.Prefix)) { t.eachPrefixExcept(t.gid, f) }
	var gateway, protects, summary, user bool
	own(func(id uint32, _ netip.Prefix) {
		mi := &info[t.ix.at(id)]
		gateway = gateway || mi.gateway
		protects = protects || mi.protects
		summary = summary || mi.summary > 0
		user = user || mi.user
	})
	// The checks that apply, across the group's routes and the others (the
	// other way, group routes losing to other routes by them, sharesGroup
	// excludes).
	needProtected := gateway && (protects || g.protected != nil)
	needUser := summary && (user || g.user != nil)
	for i := range info {
		info[i].gateway = info[i].gateway && needProtected
		if !needUser {
			info[i].summary = 0
		}
	}
	fib := new(bart.Table[uint32])
	s := newSelector(t, fib, info, 0, needProtected, needUser, own)
	if needProtected {
		s.groupProtected = g.protected
	}
	if needUser {
		s.groupUser = g.user
	}
	if t.Len()-len(t.gid) < sortThreshold {
		own(s.add)
	} else {
		// In address order, as selectAll does for large tables.
		for _, e := range t.sortedPrefixes() {
			if _, found := slices.BinarySearch(t.gid, e.id); !found {
				s.add(e.id, t.entryPrefix(e))
			}
		}
	}
	// Where a prefix is also the group's, the better of the two winners
	// keeps it: lower rank, then the route added first.
	var drop []netip.Prefix
	for p, v := range fib.All() {
		gv, ok := g.fib.Get(p)
		if !ok {
			continue
		}
		gid := t.gid[gv&^groupFlag]
		gr, or := info[t.ix.at(gid)].rank, info[t.ix.at(v)].rank
		if gr < or || gr == or && gid < v {
			s.lose(v)
			drop = append(drop, p)
		} else {
			s.lose(gid)
		}
	}
	for _, p := range drop {
		fib.Delete(p)
	}
	t.fib = g.fib
	if fib.Size() > 0 {
		t.fib = g.fib.UnionPersist(fib)
	}
	var more []lossCount
	for k, n := range g.lost {
		if n > 0 {
			more = append(more, lossCount{t.gid[k], n})
		}
	}
	t.invalid = t.invalidRoutes(s.lost, more)
}

// add adds r; with share, a list of several prefixes that is canonical and
// sorted without duplicates is kept by reference.
func (b *Builder) add(r Route, share bool) {
	if !share || len(r.Prefixes) < 2 || !canonicalSorted(r.Prefixes) {
		b.Add(r)
		return
	}
	id := uint32(b.ix.len())
	if id&(blockSize-1) == 0 {
		b.blocks = append(b.blocks, uint32(len(b.pfx)))
	}
	b.pfx = append(b.pfx, multiHeader)
	if b.multi == nil {
		b.multi = make(map[uint32][]netip.Prefix)
	}
	b.multi[id] = slices.Clip(r.Prefixes)
	b.ix.append(b.intern(id, &r))
}

// canonicalSorted reports whether every prefix of ps is valid, masked and
// not IPv4-mapped, and ps is sorted by address and length without
// duplicates.
func canonicalSorted(ps []netip.Prefix) bool {
	for i, p := range ps {
		if !p.IsValid() || p.Addr().Is4In6() || p.Masked() != p {
			return false
		}
		if i > 0 {
			q := ps[i-1]
			if c := q.Addr().Compare(p.Addr()); c > 0 || c == 0 && q.Bits() >= p.Bits() {
				return false
			}
		}
	}
	return true
}
