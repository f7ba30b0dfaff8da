package cidr

import (
	"net/netip"
	"slices"
	"strings"

	"go4.org/netipx"
)

// Set is an immutable set of IPv4 and IPv6 addresses. The zero value is the
// empty set. A Set is safe for concurrent use; every operation returns a new
// Set and never changes its operands.
type Set struct {
	// rng holds the addresses as netipx ranges: sorted, non-overlapping,
	// non-adjacent, never shared with a set that could change it (sets
	// may share it with equal sets, or a set with a subset's prefix of
	// it). Lookups binary-search it; the algebra merges range lists
	// (algebra.go).
	rng []netipx.IPRange
}

// Range is an inclusive range of addresses of one family.
type Range struct {
	From, To netip.Addr
}

// String returns "From-To", or just "From" when the range holds one address.
func (r Range) String() string {
	if r.From == r.To {
		return r.From.String()
	}
	return r.From.String() + "-" + r.To.String()
}

// SetOf returns the set of the addresses in the given prefixes. Invalid
// prefixes are ignored; prefixes are masked and IPv4-mapped IPv6 prefixes
// are unmapped first.
func SetOf(prefixes ...netip.Prefix) Set {
	var b Builder
	for _, p := range prefixes {
		b.AddPrefix(p)
	}
	return b.Set()
}

// SetOfPrefixes is [SetOf] for many prefixes: it sorts their ranges and
// merges them in one pass, several times faster than a [Builder] for the
// thousands of prefixes of a route table with service-tag routes. ps is
// not changed.
func SetOfPrefixes(ps []netip.Prefix) Set {
	rng := make([]netipx.IPRange, 0, len(ps))
	for _, p := range ps {
		if p = Canonical(p); p.IsValid() {
			rng = append(rng, netipx.RangeOfPrefix(p))
		}
	}
	if len(rng) == 0 {
		return Set{}
	}
	slices.SortFunc(rng, func(a, b netipx.IPRange) int { return a.From().Compare(b.From()) })
	out := rng[:0] // merging in place: out never passes the range read
	for _, r := range rng {
		out = appendMerged(out, r)
	}
	return Set{slices.Clip(out)}
}

// appendMerged adds r, which starts no earlier than the last range of
// sorted, merged ranges, to them: into the last when it overlaps or
// touches it, else after it.
func appendMerged(rs []netipx.IPRange, r netipx.IPRange) []netipx.IPRange {
	if n := len(rs); n > 0 {
		if last := rs[n-1]; !last.To().Less(r.From()) || adjacent(last.To(), r.From()) {
			rs[n-1] = netipx.IPRangeFrom(last.From(), maxAddr(last.To(), r.To()))
			return rs
		}
	}
	return append(rs, r)
}

// SetOfAddr returns the set holding the single address a.
func SetOfAddr(a netip.Addr) Set {
	a = a.Unmap()
	if !a.IsValid() {
		return Set{}
	}
	return SetOf(netip.PrefixFrom(a, a.BitLen()))
}

// All returns the set of every IPv4 and IPv6 address.
func All() Set { return allSet }

// All4 returns the set of every IPv4 address.
func All4() Set { return all4Set }

// All6 returns the set of every IPv6 address.
func All6() Set { return all6Set }

var (
	allSet  = SetOf(v4All, v6All)
	all4Set = SetOf(v4All)
	all6Set = SetOf(v6All)
)

// IsEmpty reports whether s holds no address.
func (s Set) IsEmpty() bool { return len(s.rng) == 0 }

// find returns the index of the first range of s that ends at or after a
// (len(s.rng) when none does).
func (s Set) find(a netip.Addr) int {
	lo, hi := 0, len(s.rng)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s.rng[m].To().Less(a) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// containsRange reports whether one range of s covers from..to.
func (s Set) containsRange(from, to netip.Addr) bool {
	i := s.find(from)
	return i < len(s.rng) && !from.Less(s.rng[i].From()) && !s.rng[i].To().Less(to)
}

// overlapsRange reports whether s holds an address of from..to.
func (s Set) overlapsRange(from, to netip.Addr) bool {
	i := s.find(from)
	return i < len(s.rng) && !to.Less(s.rng[i].From())
}

// Contains reports whether s holds the address a. IPv4-mapped IPv6
// addresses are unmapped first. It does not allocate.
func (s Set) Contains(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsValid() && s.containsRange(a, a)
}

// ContainsPrefix reports whether s holds every address of p.
func (s Set) ContainsPrefix(p netip.Prefix) bool {
	p = Canonical(p)
	return p.IsValid() && s.containsRange(p.Addr(), netipx.PrefixLastIP(p))
}

// ContainsSet reports whether every address of o is in s. The empty set is
// contained in every set. It does not allocate.
func (s Set) ContainsSet(o Set) bool {
	for _, r := range o.rng {
		if !s.containsRange(r.From(), r.To()) {
			return false
		}
	}
	return true
}

// Overlaps reports whether s and o share at least one address. It does not
// allocate.
func (s Set) Overlaps(o Set) bool {
	if len(o.rng) > len(s.rng) {
		s, o = o, s
	}
	if len(o.rng) == 0 || s.rng[len(s.rng)-1].To().Less(o.rng[0].From()) || o.rng[len(o.rng)-1].To().Less(s.rng[0].From()) {
		return false
	}
	// o's ranges ascend, so the range of s that may hold the next one is
	// never before the one that held the last: each search starts there.
	lo := 0
	for _, r := range o.rng {
		lo += Set{rng: s.rng[lo:]}.find(r.From())
		if lo == len(s.rng) {
			return false
		}
		if !r.To().Less(s.rng[lo].From()) {
			return true
		}
	}
	return false
}

// cheapSplitRanges is how many ranges a set may have for [Set.SplitCheap]
// to look it up.
const cheapSplitRanges = 4

// SplitCheap returns the addresses of s inside by and those outside it
// when s lies wholly on one side of by and s has at most a few ranges,
// so that a lookup of each in by tells; ok is false otherwise. It does
// not allocate: a rule's address list splits most sources and
// destinations so, and a memo of the split costs more than the lookups.
func (s Set) SplitCheap(by Set) (in, out Set, ok bool) {
	switch {
	case len(s.rng) == 0:
		return Set{}, Set{}, true
	case len(by.rng) == 0:
		return Set{}, s, true
	case len(s.rng) > cheapSplitRanges:
		return Set{}, Set{}, false
	}
	lo, hi := by.rng[0].From(), by.rng[len(by.rng)-1].To()
	if s.rng[len(s.rng)-1].To().Less(lo) || hi.Less(s.rng[0].From()) || !by.Overlaps(s) {
		return Set{}, s, true
	}
	if by.ContainsSet(s) {
		return s, Set{}, true
	}
	return Set{}, Set{}, false
}

// OverlapsPrefix reports whether s holds at least one address of p.
func (s Set) OverlapsPrefix(p netip.Prefix) bool {
	p = Canonical(p)
	return p.IsValid() && s.overlapsRange(p.Addr(), netipx.PrefixLastIP(p))
}

// Union returns the addresses in s or o.
func (s Set) Union(o Set) Set {
	switch {
	case o.IsEmpty():
		return s
	case s.IsEmpty():
		return o
	case s.ContainsSet(o):
		return s
	case o.ContainsSet(s):
		return o
	}
	return Set{union(s.rng, o.rng)}
}

// Intersect returns the addresses in both s and o. Its cost grows with
// the smaller set and the logarithm of the larger.
func (s Set) Intersect(o Set) Set {
	if s.IsEmpty() || o.IsEmpty() {
		return Set{}
	}
	if len(o.rng) < len(s.rng) {
		s, o = o, s
	}
	return Set{intersect(s.rng, o.rng)}
}

// Subtract returns the addresses in s that are not in o. Its cost grows
// with the smaller set and the logarithm of the larger, plus the size of
// the result.
func (s Set) Subtract(o Set) Set {
	if s.IsEmpty() || o.IsEmpty() {
		return s
	}
	return Set{subtract(s.rng, o.rng)}
}

// Prefixes returns the minimal list of prefixes whose union is s, sorted
// with IPv4 first and by address. The slice is the caller's.
func (s Set) Prefixes() []netip.Prefix {
	return s.AppendPrefixes(nil)
}

// AppendPrefixes appends the prefixes of [Set.Prefixes] to dst.
func (s Set) AppendPrefixes(dst []netip.Prefix) []netip.Prefix {
	for _, r := range s.rng {
		dst = r.AppendPrefixes(dst)
	}
	return dst
}

// Ranges returns s as a sorted list of non-overlapping, non-adjacent
// ranges. The slice is the caller's.
func (s Set) Ranges() []Range {
	if len(s.rng) == 0 {
		return nil
	}
	out := make([]Range, len(s.rng))
	for i, r := range s.rng {
		out[i] = Range{r.From(), r.To()}
	}
	return out
}

// Bounds returns the lowest and the highest address of s; ok is false
// when s is empty. It does not allocate.
func (s Set) Bounds() (lo, hi netip.Addr, ok bool) {
	if len(s.rng) == 0 {
		return netip.Addr{}, netip.Addr{}, false
	}
	return s.rng[0].From(), s.rng[len(s.rng)-1].To(), true
}

// Equal reports whether s and o hold the same addresses.
func (s Set) Equal(o Set) bool {
	if s.Key() == o.Key() {
		return true
	}
	a, b := s.rangesOrNil(), o.rangesOrNil()
	return slices.Equal(a, b)
}

func (s Set) rangesOrNil() []netipx.IPRange {
	if len(s.rng) == 0 {
		return nil
	}
	return s.rng
}

// Is4 reports whether s holds IPv4 addresses only (and is not empty).
func (s Set) Is4() bool {
	rs := s.rangesOrNil()
	return len(rs) > 0 && rs[len(rs)-1].From().Is4()
}

// Is6 reports whether s holds IPv6 addresses only (and is not empty).
func (s Set) Is6() bool {
	rs := s.rangesOrNil()
	return len(rs) > 0 && rs[0].From().Is6()
}

// Only4 returns the IPv4 part of s.
func (s Set) Only4() Set { return s.Intersect(all4Set) }

// Only6 returns the IPv6 part of s.
func (s Set) Only6() Set { return s.Intersect(all6Set) }

// IsSingleAddr reports whether s holds exactly one address, and returns it.
func (s Set) IsSingleAddr() (netip.Addr, bool) {
	rs := s.rangesOrNil()
	if len(rs) == 1 && rs[0].From() == rs[0].To() {
		return rs[0].From(), true
	}
	return netip.Addr{}, false
}

// String returns the minimal prefixes of s separated by commas, or "" for
// the empty set.
func (s Set) String() string {
	ps := s.Prefixes()
	var sb strings.Builder
	for i, p := range ps {
		if i > 0 {
			sb.WriteByte(',')
		}
		if p.IsSingleIP() {
			sb.WriteString(p.Addr().String())
		} else {
			sb.WriteString(p.String())
		}
	}
	return sb.String()
}

// MarshalText encodes s as [Set.String] does.
func (s Set) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a comma-separated list as [ParseList] does.
func (s *Set) UnmarshalText(b []byte) error {
	if len(strings.TrimSpace(string(b))) == 0 {
		*s = Set{}
		return nil
	}
	v, err := ParseList(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Builder accumulates additions and removals, applied in call order, and
// returns the resulting [Set]. The zero value is an empty builder ready to
// use. A Builder must not be copied after first use.
type Builder struct {
	b netipx.IPSetBuilder
	// Most builders get their additions in order, and few of them (a
	// rule's prefixes, "*" as 0.0.0.0/0 and ::/0, a subnet's, an empty
	// list of members): while each addition starts no earlier than the one
	// before, they are kept here already normalised (sorted, merged where
	// they overlap or touch), so that such sets cost one allocation, not
	// the netipx builder's dozens. The first addition out of order, or
	// removal, hands them to the netipx builder.
	held    []netipx.IPRange
	shared  bool // held was returned by Set: copy it before changing it
	spilled bool // operations go to b
}

func (b *Builder) add(r netipx.IPRange) {
	if b.spilled {
		b.b.AddRange(r)
		return
	}
	if n := len(b.held); n > 0 && r.From().Less(b.held[n-1].From()) {
		b.spill()
		b.b.AddRange(r)
		return
	}
	if b.shared {
		b.held, b.shared = slices.Clone(b.held), false
	}
	b.held = appendMerged(b.held, r)
}

func (b *Builder) remove(r netipx.IPRange) {
	b.spill()
	b.b.RemoveRange(r)
}

// spill hands the held additions to the netipx builder.
func (b *Builder) spill() {
	if !b.spilled {
		for _, h := range b.held {
			b.b.AddRange(h)
		}
		b.held, b.spilled = nil, true
	}
}

// AddPrefix adds the addresses of p. An invalid prefix is ignored.
func (b *Builder) AddPrefix(p netip.Prefix) {
	if p = Canonical(p); p.IsValid() {
		b.add(netipx.RangeOfPrefix(p))
	}
}

// AddAddr adds the single address a.
func (b *Builder) AddAddr(a netip.Addr) {
	if a = a.Unmap(); a.IsValid() {
		b.add(netipx.IPRangeFrom(a, a))
	}
}

// AddRange adds the addresses from..to inclusive; an invalid range is
// ignored.
func (b *Builder) AddRange(from, to netip.Addr) {
	if r := netipx.IPRangeFrom(from.Unmap(), to.Unmap()); r.IsValid() {
		b.add(r)
	}
}

// AddSet adds every address of s.
func (b *Builder) AddSet(s Set) {
	for _, r := range s.rng {
		b.add(r)
	}
}

// RemovePrefix removes the addresses of p.
func (b *Builder) RemovePrefix(p netip.Prefix) {
	if p = Canonical(p); p.IsValid() {
		b.remove(netipx.RangeOfPrefix(p))
	}
}

// RemoveSet removes every address of s.
func (b *Builder) RemoveSet(s Set) {
	for _, r := range s.rng {
		b.remove(r)
	}
}

// Set returns the set built so far. The builder stays usable.
func (b *Builder) Set() Set {
	switch {
	case b.spilled:
		return build(&b.b)
	case len(b.held) == 0:
		return Set{}
	}
	b.shared = true
	return Set{slices.Clip(b.held)}
}

func build(b *netipx.IPSetBuilder) Set {
	s, _ := b.IPSet() // only invalid input errors, and Builder never adds any
	if s == nil {
		return Set{}
	}
	rng := s.Ranges()
	if len(rng) == 0 {
		return Set{}
	}
	return Set{rng}
}

// Canonical returns p masked to its network, with an IPv4-mapped IPv6
// prefix unmapped to IPv4 ("::ffff:10.0.0.0/104" is 10.0.0.0/8). A mapped
// prefix shorter than /96 has no IPv4 form and comes back invalid, as does
// an invalid p. This is the form bart tables and sets store.
func Canonical(p netip.Prefix) netip.Prefix {
	if !p.IsValid() {
		return p
	}
	if a := p.Addr(); a.Is4In6() {
		if p.Bits() < 96 {
			return netip.Prefix{}
		}
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p.Masked()
}
