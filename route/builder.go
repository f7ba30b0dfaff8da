package route

import (
	"cmp"
	"encoding/binary"
	"errors"
	"github.com/vnetpath/vnetpath/topology"
	"hash/maphash"
	"maps"
	"net/netip"
	"slices"
	"strconv"

	"github.com/gaissmai/bart"
)

// Builder collects the routes of one route table and builds an immutable
// [Table] from them. The zero value is an empty builder ready to use. A
// Builder must not be copied after first use, and is not safe for
// concurrent use.
//
// A Builder stores routes compactly as they are added (the prefix bytes
// and an index into the distinct metadata values), so collecting a
// million BGP routes does not keep a million [Route] values alive.
type Builder struct {
	metas  []meta
	seed   maphash.Seed
	metaIx map[uint64]uint32 // metaHash → index of the first meta with that hash
	metaEx map[meta]uint32   // metas whose hash another meta had first
	ix     indexes           // per route: index into metas
	pfx    []byte            // per route: encoded prefix or multiHeader (see encode.go)
	blocks []uint32          // offset in pfx of every blockSize-th route
	multi  map[uint32][]netip.Prefix
	errs   []error
	cache  [64]uint32 // recently used metas by quickHash, plus one; 0 is empty

	// The routes added with AddGroup: their group, and their IDs in
	// group order while they arrive in that order from one group.
	group      *Group
	gids       []uint32
	groupMixed bool // routes of several groups, or out of order
}

// Add adds a copy of r; its [ID] in the built table is the number of routes
// added before it. Prefixes are canonicalised: IPv4-mapped IPv6 prefixes
// are unmapped, and duplicates within r are dropped, keeping the first.
// Bad input is recorded and reported by [Builder.Build] without losing the
// route, so IDs stay in step with the calls to Add:
//
//   - an invalid prefix is dropped;
//   - a prefix with host bits set ("10.0.0.1/24") is used as its network;
//   - SummaryBits outside 0..128 is treated as 0;
//   - a NextHopType or Source outside the declared constants is kept.
func (b *Builder) Add(r Route) {
	id := uint32(b.ix.len())
	if id&(blockSize-1) == 0 {
		b.blocks = append(b.blocks, uint32(len(b.pfx)))
	}
	if len(r.Prefixes) == 1 {
		if p, ok := b.canon(id, &r, r.Prefixes[0]); ok {
			b.pfx = appendPrefix(b.pfx, p)
		} else {
			b.pfx = append(b.pfx, multiHeader)
		}
	} else {
		b.addMulti(id, &r)
	}
	b.ix.append(b.intern(id, &r))
}

// addMulti records a route with zero or several prefixes.
func (b *Builder) addMulti(id uint32, r *Route) {
	ps := make([]netip.Prefix, 0, len(r.Prefixes))
	var seen map[netip.Prefix]struct{}
	if len(r.Prefixes) > 8 {
		seen = make(map[netip.Prefix]struct{}, len(r.Prefixes))
	}
	for _, p := range r.Prefixes {
		p, ok := b.canon(id, r, p)
		if !ok {
			continue
		}
		if seen != nil {
			if _, dup := seen[p]; dup {
				continue
			}
			seen[p] = struct{}{}
		} else if slices.Contains(ps, p) {
			continue
		}
		ps = append(ps, p)
	}
	if len(ps) == 1 {
		b.pfx = appendPrefix(b.pfx, ps[0])
		return
	}
	b.pfx = append(b.pfx, multiHeader)
	if len(ps) > 0 {
		if b.multi == nil {
			b.multi = make(map[uint32][]netip.Prefix)
		}
		b.multi[id] = slices.Clip(ps)
	}
}

// canon returns p unmapped and masked, recording what is wrong with it.
func (b *Builder) canon(id uint32, r *Route, p netip.Prefix) (netip.Prefix, bool) {
	if !p.IsValid() {
		b.fail(id, r, "", "invalid prefix (the zero netip.Prefix)")
		return p, false
	}
	if a := p.Addr(); a.Is4In6() {
		if p.Bits() < 96 {
			b.fail(id, r, p.String(), "IPv4-mapped prefix shorter than /96")
			return p, false
		}
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	if m := p.Masked(); m != p {
		b.fail(id, r, p.String(), "host bits are set (used as the network "+m.String()+")")
		p = m
	}
	return p, true
}

// intern returns the index of r's metadata, adding it when new.
func (b *Builder) intern(id uint32, r *Route) uint32 {
	m := meta{
		ip:     r.NextHopIP.Unmap(),
		name:   r.Name,
		origin: r.Origin,
		tag:    r.Tag,
		nh:     r.NextHopType,
		src:    r.Source,
	}
	if m.nh == "" {
		m.nh = topology.NextHopNone // the zero Route drops, as documented
	}
	if !m.nh.IsValid() {
		b.fail(id, r, string(r.NextHopType), "unknown next hop type")
	}
	if !r.Source.IsValid() {
		b.fail(id, r, r.Source.String(), "unknown route source")
	}
	switch s := r.SummaryBits; {
	case s < 0 || s > 128:
		b.fail(id, r, strconv.Itoa(s), "SummaryBits outside 0..128 (treated as 0)")
	default:
		m.summary = uint8(s)
	}
	// Routes share metadata massively (every BGP route of a gateway, every
	// prefix of a tag): a small cache indexed by a cheap hash of the fields
	// answers most calls without hashing the strings.
	slot := &b.cache[m.quickHash()&(len(b.cache)-1)]
	if *slot > 0 && b.metas[*slot-1] == m {
		return *slot - 1
	}
	if b.metaIx == nil {
		b.seed = maphash.MakeSeed()
		b.metaIx = make(map[uint64]uint32)
	}
	h := b.metaHash(&m)
	i, ok := b.lookupMeta(m, h)
	if !ok {
		i = uint32(len(b.metas))
		b.metas = append(b.metas, m)
		b.indexMeta(m, h, i)
	}
	*slot = i + 1
	return i
}

// lookupMeta returns the index of m, whose hash is h, in b.metas. The
// index is keyed by a 64-bit hash, which keeps it small; a meta whose hash
// is taken by another goes to a second map keyed by the meta itself.
func (b *Builder) lookupMeta(m meta, h uint64) (uint32, bool) {
	i, ok := b.metaIx[h]
	if ok && b.metas[i] != m {
		i, ok = b.metaEx[m]
	}
	return i, ok
}

func (b *Builder) indexMeta(m meta, h uint64, i uint32) {
	if _, taken := b.metaIx[h]; !taken {
		b.metaIx[h] = i
		return
	}
	if b.metaEx == nil {
		b.metaEx = make(map[meta]uint32)
	}
	b.metaEx[m] = i
}

func (b *Builder) metaHash(m *meta) uint64 {
	a := m.ip.As16()
	h := maphash.String(b.seed, m.name)
	h = h*31 + maphash.String(b.seed, m.origin)
	h = h*31 + maphash.String(b.seed, m.tag)
	h = h*31 + maphash.String(b.seed, string(m.nh))
	h = h*31 + binary.LittleEndian.Uint64(a[:8])
	h = h*31 + binary.LittleEndian.Uint64(a[8:])
	h = h*31 + (uint64(m.src) | uint64(m.summary)<<8 | uint64(len(m.ip.Zone()))<<16)
	return h & metaHashMask
}

// metaHashMask lets tests make every hash collide.
var metaHashMask = ^uint64(0)

func (b *Builder) fail(id uint32, r *Route, input, msg string) {
	b.errs = append(b.errs, &addError{id: id, name: r.Name, origin: r.Origin, input: input, msg: msg})
}

// Len returns the number of routes added so far.
func (b *Builder) Len() int { return b.ix.len() }

// Build returns a table of every route added so far, with Azure's route
// selection applied (reference §1.5, §1.8), and the problems found in the
// input joined with [errors.Join], each naming the route and quoting the
// bad value. The table is always usable, even when the error is not nil:
// bad prefixes are left out of it. The builder keeps its routes and may be
// given more routes and built again.
//
// Selection, per prefix:
//
//   - a VirtualNetworkGateway-sourced route whose prefix lies inside or
//     equals the prefix of a Default route with next hop VnetLocal,
//     VNetPeering, VNetGlobalPeering or VirtualNetworkServiceEndpoint is
//     Invalid: BGP never beats those system routes, even when more
//     specific (reference §1.5 step 4);
//   - a Default InterfaceEndpoint route with SummaryBits > 0 is Invalid
//     when a User route's prefix holds it and is at least SummaryBits long
//     (route summarisation, reference §1.8); a 0.0.0.0/0 UDR never is;
//   - among the remaining routes with the same prefix, User beats
//     VirtualNetworkGateway beats Default; among User routes an explicit
//     CIDR beats a regional service tag, a global tag, AzureCloud.<region>
//     and AzureCloud (reference §1.4); then the route added first wins.
//
// A route is Invalid when it wins none of its prefixes; a route without
// prefixes is Active. Lookups then take the longest prefix (reference §1.5
// step 2) among the winners.
func (b *Builder) Build() (*Table, error) {
	t := b.table()
	info := make([]metaInfo, len(b.metas))
	for i := range b.metas {
		info[i] = b.metas[i].info()
	}
	if b.sharesGroup(info) {
		b.buildWithGroup(t, info)
	} else {
		t.fib = new(bart.Table[uint32])
		t.invalid = t.invalidRoutes(selectAll(t, info, 0), nil)
	}
	return t, errors.Join(b.errs...)
}

// table returns a table of the routes added so far, without its trie.
func (b *Builder) table() *Table {
	// The builder only ever appends to its slices, so the table can share
	// them up to their current length: later Adds never touch what the
	// table sees.
	return &Table{
		metas:  b.metas[:len(b.metas):len(b.metas)],
		ix:     indexes{b.ix.b[:len(b.ix.b):len(b.ix.b)], b.ix.w},
		pfx:    b.pfx[:len(b.pfx):len(b.pfx)],
		blocks: b.blocks[:len(b.blocks):len(b.blocks)],
		multi:  maps.Clone(b.multi),
	}
}

// newSelector returns a selector that inserts into fib with bias set,
// with the prefixes each yields (the routes of t it may compare against)
// gathered for the containment checks that apply: those that BGP never
// beats when needProtected, those of User routes when needUser.
func newSelector(t *Table, fib *bart.Table[uint32], info []metaInfo, bias uint32, needProtected, needUser bool, each func(func(id uint32, p netip.Prefix))) *selector {
	s := &selector{fib: fib, ix: t.ix, info: info, bias: bias}
	s.cb = s.modify
	if needProtected || needUser {
		s.protected, s.user = new(bart.Lite), new(bart.Lite)
		each(func(id uint32, p netip.Prefix) {
			mi := &info[t.ix.at(id)]
			switch {
			case mi.protects && needProtected:
				s.protected.Insert(p)
			case mi.user && needUser:
				s.user.Insert(p)
			}
		})
	}
	return s
}

// selectAll inserts every prefix of t into t.fib, which must be empty,
// with Azure's selection, storing each winner's ID with bias set; it
// returns a route's ID once per prefix it loses. info is changed.
func selectAll(t *Table, info []metaInfo, bias uint32) []uint32 {
	var gateway, protects, summary, user bool
	for i := range info {
		gateway = gateway || info[i].gateway
		protects = protects || info[i].protects
		summary = summary || info[i].summary > 0
		user = user || info[i].user
	}
	// The containment checks only matter when both sides exist.
	needProtected, needUser := gateway && protects, summary && user
	for i := range info {
		info[i].gateway = info[i].gateway && needProtected
		if !needUser {
			info[i].summary = 0
		}
	}
	s := newSelector(t, t.fib, info, bias, needProtected, needUser, t.eachPrefix)
	// The main pass: one bart traversal per prefix decides ties on the
	// spot. Large tables are inserted in address order, which keeps the
	// trie's upper nodes in the caches (several times faster than random
	// order); the order is stable, so equal prefixes still arrive in ID
	// order and the route added first wins ties.
	if t.Len() < sortThreshold {
		t.eachPrefix(s.add)
	} else {
		for _, e := range t.sortedPrefixes() {
			s.add(e.id, t.entryPrefix(e))
		}
	}
	return s.lost
}

// lossCount is the number of prefixes a route lost.
type lossCount struct{ id, n uint32 }

// invalidRoutes returns, ascending, the IDs of the routes that lost every
// prefix: lost holds a route's ID once per prefix it lost, more counts
// other losses. lost is sorted in place.
func (t *Table) invalidRoutes(lost []uint32, more []lossCount) []uint32 {
	slices.Sort(lost)
	for i := 0; i < len(lost); {
		j := i + 1
		for j < len(lost) && lost[j] == lost[i] {
			j++
		}
		more = append(more, lossCount{lost[i], uint32(j - i)})
		i = j
	}
	slices.SortFunc(more, func(a, b lossCount) int { return cmp.Compare(a.id, b.id) })
	var invalid []uint32
	for i := 0; i < len(more); {
		id, n := more[i].id, 0
		for ; i < len(more) && more[i].id == id; i++ {
			n += int(more[i].n)
		}
		if n >= t.prefixCount(id) {
			invalid = append(invalid, id)
		}
	}
	return invalid
}

// metaInfo is what selection needs to know about a route's metadata.
type metaInfo struct {
	rank     uint8
	summary  uint8 // SummaryBits of a summarisable route, else 0
	protects bool
	user     bool
	gateway  bool // a VirtualNetworkGateway route
}

func (m *meta) info() metaInfo {
	mi := metaInfo{rank: m.rank(), protects: m.protects(), user: m.src == SourceUser, gateway: m.src == SourceGateway}
	if m.summarisable() {
		mi.summary = m.summary
	}
	return mi
}

// selector inserts prefixes into the table's trie, keeping the best route
// for each prefix and counting, per route, the prefixes it loses.
type selector struct {
	fib       *bart.Table[uint32]
	ix        indexes
	info      []metaInfo
	protected *bart.Lite // prefixes of the system routes BGP never beats; nil when no check applies
	user      *bart.Lite // prefixes of User routes; nil when no check applies
	// The same of a Group whose trie the table shares, when the checks
	// apply and the group has such routes; else nil.
	groupProtected, groupUser *bart.Lite
	lost                      []uint32 // a route's ID once per prefix it loses
	cb                        func(uint32, bool) (uint32, bool)
	id                        uint32 // the route being inserted, for cb
	bias                      uint32 // set in every value stored (groupFlag for a Group's trie)
}

func (s *selector) add(id uint32, p netip.Prefix) {
	if s.protected != nil {
		mi := &s.info[s.ix.at(id)]
		if mi.gateway && (s.protected.LookupPrefix(p) || s.groupProtected != nil && s.groupProtected.LookupPrefix(p)) {
			s.lose(id)
			return
		}
		if mi.summary > 0 && (summarises(s.user, p, mi.summary) || s.groupUser != nil && summarises(s.groupUser, p, mi.summary)) {
			s.lose(id)
			return
		}
	}
	s.id = id
	s.fib.Modify(p, s.cb)
}

// summarises reports whether a prefix of user holds p and is at least
// bits long (reference §1.8).
func summarises(user *bart.Lite, p netip.Prefix, bits uint8) bool {
	lpm, ok := user.LookupPrefixLPM(p)
	return ok && lpm.Bits() >= int(bits)
}

// modify keeps the better of the route already at a prefix and s.id.
// Equal prefixes arrive in ID order, so on equal rank the one present
// wins.
func (s *selector) modify(old uint32, exists bool) (uint32, bool) {
	v := s.id | s.bias
	switch {
	case !exists:
		return v, false
	case old == v:
		return old, false
	case s.info[s.ix.at(old&^s.bias)].rank <= s.info[s.ix.at(s.id)].rank:
		s.lose(s.id)
		return old, false
	}
	s.lose(old &^ s.bias)
	return v, false
}

func (s *selector) lose(id uint32) {
	s.lost = append(s.lost, id)
}

// addError reports a bad value in a route given to [Builder.Add].
type addError struct {
	id           uint32
	name, origin string
	input        string
	msg          string
}

func (e *addError) Error() string {
	s := "route.Builder.Add: route " + strconv.FormatUint(uint64(e.id), 10)
	switch {
	case e.name != "":
		s += " " + strconv.Quote(e.name)
	case e.origin != "":
		s += " from " + strconv.Quote(e.origin)
	}
	if e.input != "" {
		s += ": " + strconv.Quote(e.input)
	}
	return s + ": " + e.msg
}
