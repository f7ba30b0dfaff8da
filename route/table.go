package route

import (
	"github.com/vnetpath/vnetpath/topology"
	"iter"
	"net/netip"
	"slices"
	"strconv"
	"sync"

	"github.com/gaissmai/bart"
	"github.com/vnetpath/vnetpath/cidr"
	"go4.org/netipx"
)

// ID identifies a route of a [Table]: the number of routes added to the
// [Builder] before it. IDs of one table mean nothing to another.
type ID uint32

// Table is the route table of a subnet after Azure's route selection: a
// longest-prefix-match trie from every prefix to the route that wins it,
// plus every route as added, losers included, for listing. Build one with
// a [Builder].
//
// A Table is immutable and safe for concurrent use by any number of
// readers. The zero value is an empty table. A Table must not be copied.
//
// Lookups take a value and return a value: they never allocate. IPv4-mapped
// IPv6 addresses are unmapped first, so they match IPv4 routes; an IPv4
// address never matches an IPv6 route.
type Table struct {
	// fib maps every prefix to the route that wins it: its ID, or for a
	// route of a [Group], groupFlag and its index in the group (gid gives
	// its ID). nil in the zero Table. A table built with a group shares
	// the group's trie but for the nodes on its own prefixes' paths.
	fib     *bart.Table[uint32]
	gid     []uint32 // per route of the group: its ID
	metas   []meta   // distinct route metadata
	ix      indexes  // per route: index into metas
	pfx     []byte   // per route: its prefix (see encode.go)
	blocks  []uint32 // offset in pfx of every blockSize-th route
	multi   map[uint32][]netip.Prefix
	invalid []uint32 // IDs of Invalid routes, ascending

	// specific holds every address of a route prefix longer than /0
	// (every address, for a table of more than maxSpecific prefixes),
	// made on the first LookupSet: a set that misses it is won by the /0
	// routes alone.
	specOnce sync.Once
	specific cidr.Set

	// grp is the group whose trie t shares, or nil; own holds every
	// address of t's other routes' prefixes longer than /0, made on the
	// first LookupSet: a set that misses it is looked up in the group
	// (see [Table.lookupGroup]).
	grp     *Group
	ownOnce sync.Once
	own     cidr.Set
}

// emptyTrie is the trie of the zero Table. It is never written.
var emptyTrie bart.Table[uint32]

// trie returns t's trie.
func (t *Table) trie() *bart.Table[uint32] {
	if t.fib == nil {
		return &emptyTrie
	}
	return t.fib
}

// groupFlag marks a trie value that is the index of a [Group] route.
const groupFlag = 1 << 31

// id returns the ID of the route whose trie value is v.
func (t *Table) id(v uint32) uint32 {
	if v&groupFlag == 0 {
		return v
	}
	return t.gid[v&^groupFlag]
}

// Len returns the number of routes in t, Invalid ones included.
func (t *Table) Len() int { return t.ix.len() }

// Lookup returns the active route for the address ip: the route that wins
// the longest prefix holding ip. It reports false when no route holds ip
// or ip is the zero Addr. Lookup does not allocate.
func (t *Table) Lookup(ip netip.Addr) (ID, bool) {
	v, ok := t.trie().Lookup(ip.Unmap())
	return ID(t.id(v)), ok
}

// Match is [Table.Lookup] that also returns the prefix that matched: for a
// route written with a service tag, the one tag prefix that holds ip. It
// does not allocate.
func (t *Table) Match(ip netip.Addr) (netip.Prefix, ID, bool) {
	ip = ip.Unmap()
	p, v, ok := t.trie().LookupPrefixLPM(netip.PrefixFrom(ip, ip.BitLen()))
	return p, ID(t.id(v)), ok
}

// LookupPrefix returns the active route that covers every address of p:
// the route that wins the longest prefix holding p as a whole. Routes
// inside p may win parts of it; [Table.LookupSet] lists those. It reports
// false when no prefix holds p or p is invalid. p is masked first.
func (t *Table) LookupPrefix(p netip.Prefix) (ID, bool) {
	if p = cidr.Canonical(p); !p.IsValid() {
		return 0, false
	}
	v, ok := t.trie().LookupPrefix(p)
	return ID(t.id(v)), ok
}

// NextHop returns the next hop of the route id. It does not allocate. It
// panics when id is not a route of t.
func (t *Table) NextHop(id ID) (topology.NextHopType, netip.Addr) {
	m := &t.metas[t.ix.at(uint32(id))]
	return m.nh, m.ip
}

// Route returns a copy of the route id, with its prefixes canonical and in
// the order added. It panics when id is not a route of t.
func (t *Table) Route(id ID) Route { return t.route(id, true) }

// RouteShared is [Table.Route] without the copy of the prefix list: a route
// with several prefixes shares its list with t (and a route of a [Group]
// with every table built with the group). The caller must not modify the
// list. It panics when id is not a route of t.
func (t *Table) RouteShared(id ID) Route { return t.route(id, false) }

// route returns the route id, with a prefix list of its own when own is
// set, else sharing t's list of a route with several prefixes.
func (t *Table) route(id ID, own bool) Route {
	r := t.metas[t.ix.at(uint32(id))].route()
	off := t.offset(uint32(id))
	switch {
	case t.pfx[off] != multiHeader:
		r.Prefixes = []netip.Prefix{decodePrefix(t.pfx[off:])}
	case own:
		r.Prefixes = slices.Clone(t.multi[uint32(id)])
	default:
		r.Prefixes = t.multi[uint32(id)]
	}
	return r
}

// State returns whether the route id is Active or Invalid (see
// [Builder.Build]). It panics when id is not a route of t.
func (t *Table) State(id ID) State {
	if uint32(id) >= uint32(t.Len()) {
		panic("route.Table.State: route " + strconv.FormatUint(uint64(id), 10) + " out of range")
	}
	if _, found := slices.BinarySearch(t.invalid, uint32(id)); found {
		return Invalid
	}
	return Active
}

// Routes returns an iterator over every route of t in ID order, losers
// included. Breaking out of the loop stops it.
func (t *Table) Routes() iter.Seq2[ID, Route] {
	return func(yield func(ID, Route) bool) {
		var buf []netip.Prefix // single prefixes, handed out in capped slices
		off := 0
		for id := range uint32(t.Len()) {
			r := t.metas[t.ix.at(id)].route()
			if h := t.pfx[off]; h != multiHeader {
				if len(buf) == 0 {
					buf = make([]netip.Prefix, min(64, t.Len()-int(id)))
				}
				buf[0] = decodePrefix(t.pfx[off:])
				r.Prefixes, buf = buf[:1:1], buf[1:]
				off += entryLen(h)
			} else {
				r.Prefixes = slices.Clone(t.multi[id])
				off++
			}
			if !yield(ID(id), r) {
				return
			}
		}
	}
}

// Entry is one row of a route table's effective routes: a route and
// whether it is in use. The zero value is an Active route with no
// prefixes.
type Entry struct {
	Route Route
	State State
}

// Effective returns every route of t in ID order with its state, as
// Azure's effective routes list them (reference §1.10): Active when the
// route wins at least one of its prefixes, Invalid when it wins none. A
// route without prefixes is Active. The slice is the caller's.
func (t *Table) Effective() []Entry {
	out := make([]Entry, 0, t.Len())
	inv := t.invalid
	for id, r := range t.Routes() {
		e := Entry{Route: r}
		if len(inv) > 0 && inv[0] == uint32(id) {
			e.State = Invalid
			inv = inv[1:]
		}
		out = append(out, e)
	}
	return out
}

// offset returns where the route id starts in t.pfx.
func (t *Table) offset(id uint32) int {
	off := int(t.blocks[id>>blockShift])
	for range id & (blockSize - 1) {
		off += entryLen(t.pfx[off])
	}
	return off
}

// prefixCount returns the number of prefixes of the route id.
func (t *Table) prefixCount(id uint32) int {
	if t.pfx[t.offset(id)] == multiHeader {
		return len(t.multi[id])
	}
	return 1
}

// eachPrefix calls f for every prefix of every route, in ID order.
func (t *Table) eachPrefix(f func(id uint32, p netip.Prefix)) {
	t.eachPrefixExcept(nil, f)
}

// eachPrefixExcept calls f for every prefix of every route whose ID is not
// in skip (in ascending order), in ID order. A route skipped is passed over
// without reading its prefixes: a table's group routes (a service tag's
// hundreds of prefixes) cost nothing to leave out.
func (t *Table) eachPrefixExcept(skip []uint32, f func(id uint32, p netip.Prefix)) {
	off := 0
	for id := range uint32(t.Len()) {
		for len(skip) > 0 && skip[0] < id {
			skip = skip[1:]
		}
		skipped := len(skip) > 0 && skip[0] == id
		h := t.pfx[off]
		if h != multiHeader {
			if !skipped {
				f(id, decodePrefix(t.pfx[off:]))
			}
			off += entryLen(h)
			continue
		}
		off++
		if skipped {
			continue
		}
		for _, p := range t.multi[id] {
			f(id, p)
		}
	}
}

// Piece is one part of an address set looked up with [Table.LookupSet]:
// the addresses of Set all use the route Route. OK is false, and Route
// zero, for the addresses no route holds. The zero value is an empty piece.
type Piece struct {
	Set   cidr.Set
	Route ID
	OK    bool
}

// LookupSet cuts s into the parts that use different routes and returns
// one Piece per route: every address of s is in exactly one piece, whose
// route is what [Table.Lookup] returns for it. The addresses of one route
// form one piece even when they are not adjacent. Pieces are in the order
// of their lowest address, IPv4 first. It returns nil for the empty set.
//
// The cost grows with the number of prefixes of s and of routes inside
// them, not with the size of t: each prefix of s is one longest-prefix
// match for the part no more specific route takes, plus a walk over the
// routes inside it.
func (t *Table) LookupSet(s cidr.Set) []Piece {
	if s.IsEmpty() {
		return nil
	}
	// A set that no route longer than /0 touches (a public service tag
	// against a subnet's private and on-premises routes) is won, family
	// by family, by what the trie gives for the /0 prefix.
	t.specOnce.Do(t.buildSpecific)
	if !t.specific.Overlaps(s) {
		return t.lookupDefault(s)
	}
	if out, ok := t.lookupGroup(s); ok {
		return out
	}
	return t.sweep(s)
}

// lookupGroup is LookupSet for a table that shares a group's trie, when s
// misses every prefix longer than /0 of the table's other routes (a public
// service tag against a spoke's own routes): then the group's routes win
// what their prefixes hold, as the group's own lookup of s says (memoised
// in the group, the same for every table of it), and the table's /0
// routes the rest. It reports false when it does not apply.
func (t *Table) lookupGroup(s cidr.Set) ([]Piece, bool) {
	g := t.grp
	if g == nil {
		return nil, false
	}
	t.ownOnce.Do(func() {
		var ps []netip.Prefix
		t.eachPrefixExcept(t.gid, func(_ uint32, p netip.Prefix) {
			if p.Bits() > 0 {
				ps = append(ps, p)
			}
		})
		t.own = cidr.SetOfPrefixes(ps)
	})
	if t.own.Overlaps(s) {
		return nil, false
	}
	gp, ok := g.lookupSet(s)
	if !ok {
		return nil, false
	}
	out := make([]Piece, 0, len(gp)+1)
	for _, p := range gp {
		if p.OK {
			out = append(out, Piece{Set: p.Set, Route: ID(t.gid[p.Route]), OK: true})
			continue
		}
		out = append(out, t.lookupDefault(p.Set)...)
	}
	if len(out) == 1 {
		out[0].Set = s
		return out, true
	}
	// In the order of their lowest address, as a sweep numbers them.
	slices.SortFunc(out, func(a, b Piece) int {
		x, _, _ := a.Set.Bounds()
		y, _, _ := b.Set.Bounds()
		return x.Compare(y)
	})
	return out, true
}

// buildSpecific collects the addresses of every route prefix longer than
// /0.
func (t *Table) buildSpecific() {
	// A table with service-tag routes holds thousands of public prefixes,
	// which most public sets touch: collecting them would cost more than
	// the shortcut saves, so every set is swept there.
	n := t.Len() - len(t.multi)
	for _, ps := range t.multi {
		n += len(ps)
	}
	if n > maxSpecific {
		t.specific = cidr.All()
		return
	}
	var ps []netip.Prefix
	t.eachPrefix(func(_ uint32, p netip.Prefix) {
		if p.Bits() > 0 {
			ps = append(ps, p)
		}
	})
	t.specific = cidr.SetOfPrefixes(ps)
}

// maxSpecific is the most prefixes a table may hold for LookupSet to try
// its shortcut.
const maxSpecific = 512

// Each family's /0, as the trie is asked for it.
var (
	zero4 = netip.PrefixFrom(netip.IPv4Unspecified(), 0)
	zero6 = netip.PrefixFrom(netip.IPv6Unspecified(), 0)
)

// lookupDefault is LookupSet for a set that no route longer than /0
// touches: IPv4 first, a family's piece merged with the other's when the
// same route (or none) wins both, as the sweep gives them.
func (t *Table) lookupDefault(s cidr.Set) []Piece {
	has4, has6 := !s.Is6(), !s.Is4()
	var keys []pieceKey
	if has4 {
		v, ok := t.trie().LookupPrefix(zero4)
		keys = append(keys, pieceKey{t.id(v), ok})
	}
	if has6 {
		v, ok := t.trie().LookupPrefix(zero6)
		if k := (pieceKey{t.id(v), ok}); len(keys) == 0 || keys[0] != k {
			keys = append(keys, k)
		}
	}
	if len(keys) == 1 {
		return []Piece{{Set: s, Route: ID(keys[0].id), OK: keys[0].ok}}
	}
	return []Piece{
		{Set: s.Only4(), Route: ID(keys[0].id), OK: keys[0].ok},
		{Set: s.Only6(), Route: ID(keys[1].id), OK: keys[1].ok},
	}
}

// sweep is LookupSet by cutting every prefix of s along the routes inside
// it.
func (t *Table) sweep(s cidr.Set) []Piece {
	ps := s.Prefixes()
	if len(ps) == 0 {
		return nil
	}
	var c setCutter
	for _, q := range ps {
		t.cutPrefix(&c, q)
	}
	c.flush()
	if len(c.keys) == 1 {
		// One route for everything: the piece is s itself.
		return []Piece{{Set: s, Route: ID(c.keys[0].id), OK: c.keys[0].ok}}
	}
	bs := make([]cidr.Builder, len(c.keys))
	for _, iv := range c.spans {
		bs[iv.key].AddRange(iv.from, iv.to)
	}
	out := make([]Piece, len(c.keys))
	for i, k := range c.keys {
		out[i] = Piece{Set: bs[i].Set(), Route: ID(k.id), OK: k.ok}
	}
	return out
}

// cutPrefix sweeps q in address order and sends every maximal interval
// that one route wins to c.
func (t *Table) cutPrefix(c *setCutter, q netip.Prefix) {
	fib := t.trie()
	base, ok := fib.LookupPrefix(q)
	base = t.id(base)
	type open struct {
		last netip.Addr
		key  pieceKey
	}
	stack := []open{{netipx.PrefixLastIP(q), pieceKey{base, ok}}}
	cur := q.Addr() // the first address not yet sent
	// pop closes the innermost open prefix, sending what is left of it.
	pop := func() {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if cur.IsValid() && !top.last.Less(cur) {
			c.add(cur, top.last, top.key)
			cur = top.last.Next() // invalid past the last address
		}
	}
	// Subnets yields the routes inside q in address order, a prefix before
	// the prefixes inside it, so the open prefixes nest like a stack.
	for p, v := range fib.Subnets(q) {
		if p == q {
			continue // q's own route is base
		}
		for stack[len(stack)-1].last.Less(p.Addr()) {
			pop()
		}
		if cur.Less(p.Addr()) {
			c.add(cur, p.Addr().Prev(), stack[len(stack)-1].key)
		}
		cur = p.Addr()
		stack = append(stack, open{netipx.PrefixLastIP(p), pieceKey{t.id(v), true}})
	}
	for len(stack) > 0 {
		pop()
	}
}

type pieceKey struct {
	id uint32
	ok bool
}

// setCutter collects the intervals of a set in address order, merging
// adjacent intervals of the same route and numbering routes in the order
// they first appear.
type setCutter struct {
	keys  []pieceKey
	index map[pieceKey]int
	spans []span
	cur   span
	key   pieceKey
	open  bool
}

type span struct {
	from, to netip.Addr
	key      int
}

func (c *setCutter) add(from, to netip.Addr, k pieceKey) {
	if !k.ok {
		k.id = 0
	}
	if c.open && c.key == k && c.cur.to.Next() == from {
		c.cur.to = to
		return
	}
	c.flush()
	c.cur, c.key, c.open = span{from: from, to: to}, k, true
}

func (c *setCutter) flush() {
	if !c.open {
		return
	}
	c.open = false
	i := c.keyIndex(c.key)
	if i < 0 {
		i = len(c.keys)
		c.keys = append(c.keys, c.key)
		if c.index != nil {
			c.index[c.key] = i
		} else if len(c.keys) > 8 {
			// Past a few routes, index the keys instead of scanning them.
			c.index = make(map[pieceKey]int, 2*len(c.keys))
			for j, k := range c.keys {
				c.index[k] = j
			}
		}
	}
	c.cur.key = i
	c.spans = append(c.spans, c.cur)
}

// keyIndex returns the piece number of k, or -1 when k is new.
func (c *setCutter) keyIndex(k pieceKey) int {
	if c.index != nil {
		if i, ok := c.index[k]; ok {
			return i
		}
		return -1
	}
	for i, x := range c.keys {
		if x == k {
			return i
		}
	}
	return -1
}
