package cidr

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
)

// The slow reference for set algebra: a set inside a small universe
// (10.0.0.0/24 and 2001:db8::/120, 512 addresses) as a bitmap.
var universe = []netip.Prefix{mpp("10.0.0.0/24"), mpp("2001:db8::/120")}

type bitset [512]bool

func addrAt(i int) netip.Addr {
	b := universe[i/256].Addr().AsSlice()
	b[len(b)-1] = byte(i % 256)
	a, _ := netip.AddrFromSlice(b)
	return a
}

func bitsOf(s Set) bitset {
	var b bitset
	for i := range b {
		b[i] = s.Contains(addrAt(i))
	}
	return b
}

func (b bitset) count() int {
	n := 0
	for _, v := range b {
		if v {
			n++
		}
	}
	return n
}

// randomSet returns a random set inside the universe, built from random
// prefixes and ranges, with some removals, together with its bitmap
// computed independently.
func randomSet(rng *rand.Rand) (Set, bitset) {
	var sb Builder
	var want bitset
	for range rng.IntN(5) {
		half := rng.IntN(2)
		lo, hi := rng.IntN(256), rng.IntN(256)
		if lo > hi {
			lo, hi = hi, lo
		}
		remove := rng.IntN(4) == 0
		if rng.IntN(2) == 0 {
			bits := rng.IntN(9)
			lo &^= 1<<bits - 1
			hi = lo + 1<<bits - 1
			p := netip.PrefixFrom(addrAt(half*256+lo), universe[half].Addr().BitLen()-bits)
			if remove {
				sb.RemovePrefix(p)
			} else {
				sb.AddPrefix(p)
			}
		} else if remove {
			continue // Builder has no RemoveRange
		} else {
			sb.AddRange(addrAt(half*256+lo), addrAt(half*256+hi))
		}
		for i := lo; i <= hi; i++ {
			want[half*256+i] = !remove
		}
	}
	return sb.Set(), want
}

func TestSetAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for round := range 2000 {
		a, wa := randomSet(rng)
		b, wb := randomSet(rng)
		if got := bitsOf(a); got != wa {
			t.Fatalf("round %d: set %v does not hold the addresses added", round, a)
		}
		var union, inter, diff bitset
		overlaps, contains := false, true
		for i := range wa {
			union[i] = wa[i] || wb[i]
			inter[i] = wa[i] && wb[i]
			diff[i] = wa[i] && !wb[i]
			overlaps = overlaps || inter[i]
			contains = contains && (!wb[i] || wa[i])
		}
		if got := bitsOf(a.Union(b)); got != union {
			t.Fatalf("round %d: %v ∪ %v = %v", round, a, b, a.Union(b))
		}
		if got := bitsOf(a.Intersect(b)); got != inter {
			t.Fatalf("round %d: %v ∩ %v = %v", round, a, b, a.Intersect(b))
		}
		if got := bitsOf(a.Subtract(b)); got != diff {
			t.Fatalf("round %d: %v − %v = %v", round, a, b, a.Subtract(b))
		}
		if got := a.Overlaps(b); got != overlaps {
			t.Fatalf("round %d: %v.Overlaps(%v) = %v", round, a, b, got)
		}
		if got := a.ContainsSet(b); got != contains {
			t.Fatalf("round %d: %v.ContainsSet(%v) = %v", round, a, b, got)
		}
		// SplitCheap answers only when a lies on one side of b, and then
		// as Intersect and Subtract do.
		if in, out, ok := a.SplitCheap(b); ok {
			if bitsOf(in) != inter || bitsOf(out) != diff {
				t.Fatalf("round %d: %v.SplitCheap(%v) = %v, %v", round, a, b, in, out)
			}
		} else if len(a.rng) <= cheapSplitRanges && (inter == wa || inter == bitset{}) {
			t.Fatalf("round %d: %v.SplitCheap(%v) did not answer for a set of %d ranges on one side", round, a, b, len(a.rng))
		}
		if got := a.Equal(b); got != (wa == wb) {
			t.Fatalf("round %d: %v.Equal(%v) = %v", round, a, b, got)
		}
		if got := a.IsEmpty(); got != (wa.count() == 0) {
			t.Fatalf("round %d: %v.IsEmpty() = %v", round, a, got)
		}
		checkShape(t, a, wa)
		// Prefix queries against the reference.
		half, bits := rng.IntN(2), rng.IntN(9)
		lo := rng.IntN(256) &^ (1<<bits - 1)
		p := netip.PrefixFrom(addrAt(half*256+lo), universe[half].Addr().BitLen()-bits)
		in, any := true, false
		for i := lo; i < lo+1<<bits; i++ {
			in = in && wa[half*256+i]
			any = any || wa[half*256+i]
		}
		if got := a.ContainsPrefix(p); got != in {
			t.Fatalf("round %d: %v.ContainsPrefix(%v) = %v", round, a, p, got)
		}
		if got := a.OverlapsPrefix(p); got != any {
			t.Fatalf("round %d: %v.OverlapsPrefix(%v) = %v", round, a, p, got)
		}
	}
}

// checkShape checks the listings of s: Prefixes are minimal (no two can
// merge), sorted, and cover exactly s; Ranges are sorted, disjoint and not
// adjacent; String round-trips through ParseList; the family predicates
// agree with the bitmap.
func checkShape(t *testing.T, s Set, want bitset) {
	t.Helper()
	ps := s.Prefixes()
	var fromPrefixes Builder
	for i, p := range ps {
		if p != p.Masked() {
			t.Fatalf("%v: prefix %v is not canonical", s, p)
		}
		if i > 0 && !ps[i-1].Addr().Less(p.Addr()) {
			t.Fatalf("%v: prefixes out of order: %v", s, ps)
		}
		if i > 0 && ps[i-1].Overlaps(p) {
			t.Fatalf("%v: prefixes overlap: %v", s, ps)
		}
		if i > 0 && ps[i-1].Bits() == p.Bits() && p.Bits() > 0 {
			if parent, _ := p.Addr().Prefix(p.Bits() - 1); parent.Contains(ps[i-1].Addr()) {
				t.Fatalf("%v: %v and %v should be one prefix", s, ps[i-1], p)
			}
		}
		fromPrefixes.AddPrefix(p)
	}
	if got := bitsOf(fromPrefixes.Set()); got != want {
		t.Fatalf("%v: Prefixes %v do not cover the set", s, ps)
	}
	rs := s.Ranges()
	n := 0
	for i, r := range rs {
		if r.To.Less(r.From) {
			t.Fatalf("%v: reversed range %v", s, r)
		}
		if i > 0 && !rs[i-1].To.Next().Less(r.From) {
			t.Fatalf("%v: ranges %v and %v touch or overlap", s, rs[i-1], r)
		}
		for a := r.From; ; a = a.Next() {
			n++
			if a == r.To {
				break
			}
		}
	}
	if n != want.count() {
		t.Fatalf("%v: ranges %v hold %d addresses, want %d", s, rs, n, want.count())
	}
	back, err := ParseList(s.String())
	if s.IsEmpty() {
		if s.String() != "" {
			t.Fatalf("empty set prints %q", s.String())
		}
	} else if err != nil || !back.Equal(s) {
		t.Fatalf("ParseList(%q) = %v, %v", s.String(), back, err)
	}
	v4, v6 := slices.Contains(want[:256], true), slices.Contains(want[256:], true)
	if s.Is4() != (v4 && !v6) || s.Is6() != (v6 && !v4) {
		t.Fatalf("%v: Is4 %v, Is6 %v", s, s.Is4(), s.Is6())
	}
	if got := bitsOf(s.Only4()); got != onlyHalf(want, 0) {
		t.Fatalf("%v: Only4 = %v", s, s.Only4())
	}
	if got := bitsOf(s.Only6()); got != onlyHalf(want, 1) {
		t.Fatalf("%v: Only6 = %v", s, s.Only6())
	}
	a, single := s.IsSingleAddr()
	if single != (want.count() == 1) || (single && !s.Contains(a)) {
		t.Fatalf("%v: IsSingleAddr = %v, %v", s, a, single)
	}
}

func onlyHalf(b bitset, half int) bitset {
	var out bitset
	copy(out[half*256:half*256+256], b[half*256:half*256+256])
	return out
}

func TestSetBasics(t *testing.T) {
	tests := []struct {
		name string
		set  Set
		want string
	}{
		{"zero_value_is_empty", Set{}, ""},
		{"set_of_nothing", SetOf(), ""},
		{"invalid_prefixes_ignored", SetOf(netip.Prefix{}, mpp("10.0.0.0/8")), "10.0.0.0/8"},
		{"prefixes_masked", SetOf(netip.PrefixFrom(mpa("10.1.2.3"), 16)), "10.1.0.0/16"},
		{"mapped_unmapped", SetOf(mpp("::ffff:10.0.0.0/104")), "10.0.0.0/8"},
		{"mapped_shorter_than_96_ignored", SetOf(mpp("::ffff:0.0.0.0/95")), ""},
		{"single_address", SetOfAddr(mpa("::ffff:10.0.0.1")), "10.0.0.1"},
		{"zero_address", SetOfAddr(netip.Addr{}), ""},
		{"all", All(), "0.0.0.0/0,::/0"},
		{"all4", All4(), "0.0.0.0/0"},
		{"all6", All6(), "::/0"},
		{"adjacent_merge", SetOf(mpp("10.0.0.0/25"), mpp("10.0.0.128/25")), "10.0.0.0/24"},
		{"everything_minus_a_block", All4().Subtract(SetOf(mpp("128.0.0.0/1"))), "0.0.0.0/1"},
		{"union_with_empty", SetOf(mpp("10.0.0.0/8")).Union(Set{}), "10.0.0.0/8"},
		{"empty_union", Set{}.Union(SetOf(mpp("10.0.0.0/8"))), "10.0.0.0/8"},
		{"intersect_subset", All().Intersect(SetOf(mpp("10.0.0.0/8"))), "10.0.0.0/8"},
		{"intersect_disjoint", SetOf(mpp("10.0.0.0/8")).Intersect(SetOf(mpp("11.0.0.0/8"))), ""},
		{"subtract_everything", SetOf(mpp("10.0.0.0/8")).Subtract(All()), ""},
		{"only6", SetOf(mpp("10.0.0.0/8"), mpp("2001:db8::/32")).Only6(), "2001:db8::/32"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.set.String(); got != tc.want {
				t.Errorf("set = %q, want %q", got, tc.want)
			}
			if tc.set.IsEmpty() != (tc.want == "") {
				t.Errorf("IsEmpty = %v", tc.set.IsEmpty())
			}
		})
	}
}

func TestSetImmutable(t *testing.T) {
	a := SetOf(mpp("10.0.0.0/8"))
	b := SetOf(mpp("10.1.0.0/16"))
	_ = a.Union(SetOf(mpp("11.0.0.0/8")))
	_ = a.Subtract(b)
	_ = a.Intersect(b)
	ps := a.Prefixes()
	ps[0] = mpp("1.0.0.0/8")
	rs := a.Ranges()
	rs[0].From = mpa("1.0.0.0")
	if a.String() != "10.0.0.0/8" || b.String() != "10.1.0.0/16" {
		t.Errorf("operands changed: %v, %v", a, b)
	}
	var bld Builder
	bld.AddPrefix(mpp("10.0.0.0/8"))
	s1 := bld.Set()
	bld.RemovePrefix(mpp("10.0.0.0/9"))
	if s1.String() != "10.0.0.0/8" || bld.Set().String() != "10.128.0.0/9" {
		t.Errorf("builder changed an earlier set: %v, %v", s1, bld.Set())
	}
}

func TestSetText(t *testing.T) {
	s := SetOf(mpp("10.0.0.0/8"), mpp("192.168.1.1/32"), mpp("2001:db8::/32"))
	b, err := s.MarshalText()
	if err != nil || string(b) != "10.0.0.0/8,192.168.1.1,2001:db8::/32" {
		t.Fatalf("MarshalText = %s, %v", b, err)
	}
	var back Set
	if err := back.UnmarshalText(b); err != nil || !back.Equal(s) {
		t.Fatalf("UnmarshalText(%s) = %v, %v", b, back, err)
	}
	if err := back.UnmarshalText([]byte("  ")); err != nil || !back.IsEmpty() {
		t.Errorf(`UnmarshalText("  ") = %v, %v; want the empty set`, back, err)
	}
	if err := back.UnmarshalText([]byte("10.0.0.1/8")); err == nil {
		t.Error("UnmarshalText accepted a non-canonical prefix")
	}
}

func TestRangeString(t *testing.T) {
	if got := (Range{mpa("10.0.0.1"), mpa("10.0.0.9")}).String(); got != "10.0.0.1-10.0.0.9" {
		t.Errorf("String = %q", got)
	}
	if got := (Range{mpa("10.0.0.1"), mpa("10.0.0.1")}).String(); got != "10.0.0.1" {
		t.Errorf("String = %q", got)
	}
}

func TestBuilderOrder(t *testing.T) {
	var b Builder
	b.AddPrefix(mpp("10.0.0.0/8"))
	b.RemovePrefix(mpp("10.0.0.0/9"))
	b.AddAddr(mpa("10.0.0.1"))
	b.AddRange(mpa("10.200.0.0"), mpa("10.100.0.0")) // reversed: ignored
	b.AddAddr(netip.Addr{})                          // invalid: ignored
	b.AddPrefix(netip.Prefix{})                      // invalid: ignored
	b.RemoveSet(SetOf(mpp("10.255.0.0/16")))
	b.AddSet(SetOf(mpp("2001:db8::/32")))
	want := "10.0.0.1,10.128.0.0/10,10.192.0.0/11,10.224.0.0/12,10.240.0.0/13,10.248.0.0/14,10.252.0.0/15,10.254.0.0/16,2001:db8::/32"
	if got := b.Set().String(); got != want {
		t.Errorf("Set = %s\nwant  %s", got, want)
	}
}

// TestBuilderOneAddition holds the builder's set of a single addition,
// which it keeps aside, to the set the additions make together: after
// Set, when a second addition or a removal follows, and when a removal
// comes first.
func TestBuilderOneAddition(t *testing.T) {
	var b Builder
	if !b.Set().IsEmpty() {
		t.Fatalf("a new builder's set is %s", b.Set())
	}
	b.AddPrefix(mpp("10.1.0.0/16"))
	first := b.Set()
	if got := first.String(); got != "10.1.0.0/16" {
		t.Errorf("one prefix: %s", got)
	}
	b.AddAddr(mpa("10.3.0.1"))
	if got := b.Set().String(); got != "10.1.0.0/16,10.3.0.1" {
		t.Errorf("then an address: %s", got)
	}
	if got := first.String(); got != "10.1.0.0/16" {
		t.Errorf("the first set changed: %s", got)
	}
	var r Builder
	r.AddRange(mpa("10.0.0.0"), mpa("10.0.0.255"))
	r.RemovePrefix(mpp("10.0.0.128/25"))
	if got := r.Set().String(); got != "10.0.0.0/25" {
		t.Errorf("a range less a prefix: %s", got)
	}
	var x Builder
	x.RemovePrefix(mpp("10.0.0.0/8"))
	if !x.Set().IsEmpty() {
		t.Errorf("a removal alone: %s", x.Set())
	}
	x.AddPrefix(mpp("10.2.0.0/16"))
	if got := x.Set().String(); got != "10.2.0.0/16" {
		t.Errorf("a removal, then a prefix: %s", got)
	}
}

// TestSetOfPrefixesMatchesBuilder holds SetOfPrefixes to the Builder on
// random prefix lists of both families, nested, adjacent and overlapping
// prefixes, the ends of each family's space and invalid prefixes included.
func TestSetOfPrefixesMatchesBuilder(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	fixed := []netip.Prefix{
		netip.MustParsePrefix("255.255.255.255/32"), netip.MustParsePrefix("255.255.255.0/24"),
		netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"),
		netip.MustParsePrefix("::ffff:10.0.0.0/104"), {},
	}
	for i := range 300 {
		var ps []netip.Prefix
		for range r.IntN(40) {
			if r.IntN(8) == 0 {
				ps = append(ps, fixed[r.IntN(len(fixed))])
				continue
			}
			if r.IntN(3) == 0 {
				var a [16]byte
				a[0], a[1], a[15] = 0x20, 0x01, byte(r.IntN(256))
				a[2] = byte(r.IntN(4))
				ps = append(ps, netip.PrefixFrom(netip.AddrFrom16(a), 16+r.IntN(113)))
				continue
			}
			a := netip.AddrFrom4([4]byte{10, byte(r.IntN(4)), byte(r.IntN(256)), byte(r.IntN(256))})
			ps = append(ps, netip.PrefixFrom(a, 8+r.IntN(25)))
		}
		before := slices.Clone(ps)
		got, want := SetOfPrefixes(ps), SetOf(ps...)
		if !got.Equal(want) || got.String() != want.String() {
			t.Fatalf("case %d: SetOfPrefixes(%v) = %s; the Builder gives %s", i, ps, got, want)
		}
		if !slices.Equal(ps, before) {
			t.Fatalf("case %d: SetOfPrefixes changed its argument", i)
		}
	}
}

func TestSetBounds(t *testing.T) {
	tests := []struct {
		name   string
		set    Set
		lo, hi string
	}{
		{"one prefix", SetOf(mpp("10.0.0.0/24")), "10.0.0.0", "10.0.0.255"},
		{"several ranges", SetOf(mpp("10.2.0.0/16"), mpp("10.0.0.0/24")), "10.0.0.0", "10.2.255.255"},
		{"both families: IPv4 sorts first", SetOf(mpp("2001:db8::/126"), mpp("192.168.0.0/30")), "192.168.0.0", "2001:db8::3"},
		{"empty", Set{}, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi, ok := tc.set.Bounds()
			if ok != (tc.lo != "") {
				t.Fatalf("ok = %v", ok)
			}
			if ok && (lo != mpa(tc.lo) || hi != mpa(tc.hi)) {
				t.Errorf("Bounds = %v, %v; want %s, %s", lo, hi, tc.lo, tc.hi)
			}
		})
	}
}
