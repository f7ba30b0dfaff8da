package servicetags

import (
	"cmp"
	"encoding/binary"
	"net/netip"
	"slices"

	"github.com/vnetpath/vnetpath/cidr"
)

// The index maps every distinct prefix of the catalog to a node listing
// every tag that contains the prefix: the prefix's own tags and, through
// the nesting of prefixes, those of every shorter prefix that contains it.
// The node travels in the trie's payload, so a lookup costs one
// longest-prefix match and reads no other memory when the list is short
// (the public catalog has at most five tags over any address). A longer
// list is spilled: the payload points to a record holding the prefix's
// own tags and the payload of the prefix containing it, and a lookup
// walks that chain. Either way the index grows linearly with the catalog.

// inlineTags is how many tags a node holds in the payload itself.
const inlineTags = 5

// spilled marks a node whose tags are in a spill record.
const spilled = 0xff

// node is a trie payload: n tags, most specific first, each with the
// length of its prefix that contains the node's prefix. When n is spilled,
// tags[0] and tags[1] hold the index of the spill record. 16 bytes, no
// pointers.
type node struct {
	n    uint8
	bits [inlineTags]uint8
	tags [inlineTags]uint16
}

// spill is the record of a node whose list does not fit in a payload.
type spill struct {
	start, n  uint32 // the prefix's own tags: Catalog.overflow[start:start+n]
	total     uint32 // the number of distinct tags over the prefix
	parent    node   // the payload of the prefix containing this one
	hasParent bool
}

// entry is one tag of a node.
type entry struct {
	tag  uint32
	bits uint8
}

func (v node) spillIndex() int { return int(v.tags[0])<<16 | int(v.tags[1]) }

// pair is a prefix of a tag, as integers for a fast sort.
type pair struct {
	hi, lo uint64 // the address; an IPv4 address is in lo
	meta   uint64 // prefix length << 32 | 0 for regional tags, 1 << 31 for global ones | tag index
}

func (q pair) prefix(is4 bool) netip.Prefix {
	bits := int(q.meta >> 32)
	if is4 {
		return netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(q.lo >> 24), byte(q.lo >> 16), byte(q.lo >> 8), byte(q.lo)}), bits)
	}
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], q.hi)
	binary.BigEndian.PutUint64(b[8:], q.lo)
	return netip.PrefixFrom(netip.AddrFrom16(b), bits)
}

// sortPairs sorts pairs by address, then meta (length, global bit, tag),
// with a radix sort: least significant byte first, skipping the bytes all
// pairs share.
func sortPairs(ps []pair) {
	if len(ps) < 2 {
		return
	}
	tmp := make([]pair, len(ps))
	src, dst := ps, tmp
	for w := range 3 {
		for shift := 0; shift < 64; shift += 8 {
			var count [256]int
			for i := range src {
				count[src[i].byteAt(w, shift)]++
			}
			if count[src[0].byteAt(w, shift)] == len(src) {
				continue
			}
			pos := 0
			for b, n := range count {
				count[b] = pos
				pos += n
			}
			for i := range src {
				b := src[i].byteAt(w, shift)
				dst[count[b]] = src[i]
				count[b]++
			}
			src, dst = dst, src
		}
	}
	if &src[0] != &ps[0] {
		copy(ps, src)
	}
}

// byteAt returns a byte of the sort key: of meta (w 0), lo (1) or hi (2).
func (q *pair) byteAt(w, shift int) byte {
	switch w {
	case 0:
		return byte(q.meta >> shift)
	case 1:
		return byte(q.lo >> shift)
	}
	return byte(q.hi >> shift)
}

// buildIndex fills the trie from the sorted records.
func (c *Catalog) buildIndex() {
	// Every (prefix, tag), IPv4 then IPv6, sorted by address, then length
	// (containing prefixes first), then regional before global, then name.
	var n4, n6 int
	for _, r := range c.recs {
		for _, p := range r.Prefixes {
			if p.Addr().Is4() {
				n4++
			} else {
				n6++
			}
		}
	}
	pairs := make([]pair, n4+n6)
	i4, i6 := 0, n4
	for i, r := range c.recs {
		key := uint64(i)
		if r.Region == "" {
			key |= 1 << 31
		}
		for _, p := range r.Prefixes {
			meta := uint64(p.Bits())<<32 | key
			if a := p.Addr(); a.Is4() {
				b := a.As4()
				pairs[i4] = pair{0, uint64(binary.BigEndian.Uint32(b[:])), meta}
				i4++
			} else {
				b := a.As16()
				pairs[i6] = pair{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:]), meta}
				i6++
			}
		}
	}
	sortPairs(pairs[:n4])
	sortPairs(pairs[n4:])

	// The chain of prefixes containing the current one, each with its own
	// tags in own[start:end], and how often each tag is in the chain.
	type open struct {
		p          netip.Prefix
		v          node
		total      int
		start, end int
	}
	var stack []open
	var own []entry
	inChain := make([]int32, len(c.recs))
	for i := 0; i < len(pairs); {
		p := pairs[i].prefix(i < n4)
		same := pairs[i]
		for len(stack) > 0 && !(stack[len(stack)-1].p.Bits() < p.Bits() && stack[len(stack)-1].p.Contains(p.Addr())) {
			top := stack[len(stack)-1]
			for _, e := range own[top.start:top.end] {
				inChain[e.tag]--
			}
			own = own[:top.start]
			stack = stack[:len(stack)-1]
		}
		start := len(own)
		for ; i < len(pairs) && pairs[i].hi == same.hi && pairs[i].lo == same.lo && pairs[i].meta>>32 == same.meta>>32; i++ {
			t := uint32(pairs[i].meta) &^ (1 << 31)
			if len(own) == start || own[len(own)-1].tag != t {
				own = append(own, entry{t, uint8(p.Bits())})
			}
		}
		mine := own[start:]
		total, fits := 0, true
		var parent *open
		if len(stack) > 0 {
			parent = &stack[len(stack)-1]
			total, fits = parent.total, parent.v.n != spilled
		}
		for _, e := range mine {
			if inChain[e.tag] == 0 {
				total++
			}
			fits = fits && e.tag <= 0xffff
		}
		var v node
		if fits && total <= inlineTags {
			for _, e := range mine {
				v.tags[v.n], v.bits[v.n] = uint16(e.tag), e.bits
				v.n++
			}
			if parent != nil {
			outer:
				for k := range int(parent.v.n) {
					for _, e := range mine {
						if uint16(e.tag) == parent.v.tags[k] {
							continue outer
						}
					}
					v.tags[v.n], v.bits[v.n] = parent.v.tags[k], parent.v.bits[k]
					v.n++
				}
			}
		} else {
			s := spill{start: uint32(len(c.overflow)), n: uint32(len(mine)), total: uint32(total)}
			if parent != nil {
				s.parent, s.hasParent = parent.v, true
			}
			c.overflow = append(c.overflow, mine...)
			k := len(c.spills)
			v = node{n: spilled}
			v.tags[0], v.tags[1] = uint16(k>>16), uint16(k)
			c.spills = append(c.spills, s)
		}
		for _, e := range mine {
			inChain[e.tag]++
		}
		c.index.Insert(p, v)
		stack = append(stack, open{p, v, total, start, len(own)})
	}
	c.overflow = slices.Clip(c.overflow)
	c.spills = slices.Clip(c.spills)
}

// count returns the number of tags of v.
func (c *Catalog) count(v node) int {
	if v.n == spilled {
		return int(c.spills[v.spillIndex()].total)
	}
	return int(v.n)
}

// appendEntries appends the tags of v, most specific first, each once.
func (c *Catalog) appendEntries(dst []entry, v node) []entry {
	var seen tagSet
	for {
		if v.n != spilled {
			for i := range int(v.n) {
				if t := uint32(v.tags[i]); seen.add(t) {
					dst = append(dst, entry{t, v.bits[i]})
				}
			}
			return dst
		}
		s := &c.spills[v.spillIndex()]
		for _, e := range c.overflow[s.start : s.start+s.n] {
			if seen.add(e.tag) {
				dst = append(dst, e)
			}
		}
		if !s.hasParent {
			return dst
		}
		v = s.parent
	}
}

// tagSet is a set of tag indexes, small ones without allocating.
type tagSet struct {
	small [16]uint32
	n     int
	big   map[uint32]struct{}
}

// add adds t and reports whether it was new.
func (s *tagSet) add(t uint32) bool {
	if s.big == nil {
		for _, x := range s.small[:s.n] {
			if x == t {
				return false
			}
		}
		if s.n < len(s.small) {
			s.small[s.n] = t
			s.n++
			return true
		}
		s.big = make(map[uint32]struct{}, 2*len(s.small))
		for _, x := range s.small {
			s.big[x] = struct{}{}
		}
	}
	if _, ok := s.big[t]; ok {
		return false
	}
	s.big[t] = struct{}{}
	return true
}

// appendMatches appends the tags of v as matches of a (an address, or the
// first address of a prefix).
func (c *Catalog) appendMatches(dst []Match, a netip.Addr, v node) []Match {
	if v.n == spilled {
		for _, e := range c.appendEntries(nil, v) {
			dst = append(dst, Match{Tag: c.names[e.tag], Prefix: netip.PrefixFrom(a, int(e.bits)).Masked()})
		}
		return dst
	}
	n := len(dst)
	dst = slices.Grow(dst, int(v.n))[:n+int(v.n)]
	c.fill(dst[n:], a, &v)
	return dst
}

// fill sets ms, of length v.n, to the inline tags of v as matches of a.
func (c *Catalog) fill(ms []Match, a netip.Addr, v *node) {
	if !a.Is4() {
		for i := range ms {
			ms[i] = Match{Tag: c.names[v.tags[i]], Prefix: netip.PrefixFrom(a, int(v.bits[i])).Masked()}
		}
		return
	}
	b := a.As4()
	u := binary.BigEndian.Uint32(b[:])
	for i := range ms {
		bits := v.bits[i]
		m := u &^ (0xffffffff >> bits)
		ms[i] = Match{
			Tag:    c.names[v.tags[i]],
			Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(m >> 24), byte(m >> 16), byte(m >> 8), byte(m)}), int(bits)),
		}
	}
}

// comparePrefix orders IPv4 before IPv6, then by address, then shorter
// prefixes first, so that a prefix follows every prefix that contains it.
func comparePrefix(a, b netip.Prefix) int {
	if c := a.Addr().Compare(b.Addr()); c != 0 {
		return c
	}
	return cmp.Compare(a.Bits(), b.Bits())
}

// Lookup returns every tag whose prefixes contain a, most specific first:
// longer matching prefix first, then regional before global entries, then
// by name. Each tag appears once, with its most specific prefix that holds
// a. An IPv4-mapped IPv6 address is looked up as IPv4; an invalid address
// or one in no tag gives nil. It costs one longest-prefix match and one
// allocation (the result) for an address in at most five tags;
// [Catalog.AppendLookup] saves that allocation.
func (c *Catalog) Lookup(a netip.Addr) []Match {
	if c == nil {
		return nil
	}
	a = a.Unmap()
	v, ok := c.index.Lookup(a)
	if !ok {
		return nil
	}
	if v.n == spilled {
		return c.appendMatches(make([]Match, 0, c.count(v)), a, v)
	}
	ms := make([]Match, v.n)
	c.fill(ms, a, &v)
	return ms
}

// AppendLookup appends the matches [Catalog.Lookup] returns to dst and
// returns the extended slice. It does not allocate when dst has room.
func (c *Catalog) AppendLookup(dst []Match, a netip.Addr) []Match {
	if c == nil {
		return dst
	}
	a = a.Unmap()
	v, ok := c.index.Lookup(a)
	if !ok {
		return dst
	}
	return c.appendMatches(dst, a, v)
}

// LookupPrefix returns every tag holding all of p, in [Catalog.Lookup]'s
// order; a tag that holds only part of p is not listed. p is masked first
// and an IPv4-mapped prefix is unmapped; an invalid prefix gives nil.
func (c *Catalog) LookupPrefix(p netip.Prefix) []Match {
	v, p, ok := c.lookupPrefix(p)
	if !ok {
		return nil
	}
	return c.appendMatches(make([]Match, 0, c.count(v)), p.Addr(), v)
}

// lookupPrefix returns the node of the longest catalog prefix holding all
// of p, and p in canonical form.
func (c *Catalog) lookupPrefix(p netip.Prefix) (node, netip.Prefix, bool) {
	if c == nil {
		return node{}, p, false
	}
	if p = cidr.Canonical(p); !p.IsValid() {
		return node{}, p, false
	}
	v, ok := c.index.LookupPrefix(p)
	return v, p, ok
}
