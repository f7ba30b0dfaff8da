package cidr

import (
	"encoding/binary"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"go4.org/netipx"
)

// The algebra of large sets against netipx.IPSetBuilder, the slow
// reference: sets of up to hundreds of ranges over both families, edges
// of the address space included, where the bitmap test of set_test.go
// covers a small universe exhaustively.

// v4At and v6At map a number into a small stretch at the start, middle
// or end of each family, so that random ranges touch, overlap and meet
// the family's first and last addresses.
func v4At(x uint32) netip.Addr {
	switch x % 3 {
	case 0:
		x = x / 3 % 4096
	case 1:
		x = 0x0a000000 + x/3%4096
	default:
		x = 0xffffffff - x/3%4096
	}
	return netip.AddrFrom4([4]byte{byte(x >> 24), byte(x >> 16), byte(x >> 8), byte(x)})
}

func v6At(x uint32) netip.Addr {
	var b [16]byte
	switch x % 3 {
	case 0:
		binary.BigEndian.PutUint32(b[12:], x/3%4096)
	case 1:
		b[0], b[1] = 0x20, 0x01
		binary.BigEndian.PutUint32(b[12:], x/3%4096)
	default:
		for i := range b {
			b[i] = 0xff
		}
		binary.BigEndian.PutUint32(b[12:], 0xffffffff-x/3%4096)
	}
	return netip.AddrFrom16(b)
}

// rangeAt decodes the range of the three numbers at pairs[i:]: its
// family, its ends (some of them single addresses).
func rangeAt(pairs []uint32, i int) netipx.IPRange {
	at := v4At
	if pairs[i]%4 == 0 {
		at = v6At
	}
	from, to := at(pairs[i+1]), at(pairs[i+2])
	if to.Less(from) {
		from, to = to, from
	}
	if pairs[i]%7 == 1 {
		to = from // single addresses
	}
	return netipx.IPRangeFrom(from, to)
}

// rangesFrom builds a set and its netipx twin from pairs of numbers.
func rangesFrom(pairs []uint32) (Set, *netipx.IPSet) {
	var b Builder
	var ref netipx.IPSetBuilder
	for i := 0; i+2 < len(pairs); i += 3 {
		r := rangeAt(pairs, i)
		b.AddRange(r.From(), r.To())
		ref.AddRange(r)
	}
	s, _ := ref.IPSet()
	return b.Set(), s
}

func randomPairs(rng *rand.Rand, n int) []uint32 {
	out := make([]uint32, 3*n)
	for i := range out {
		out[i] = rng.Uint32()
	}
	// Narrow most ranges so that sets have many pieces.
	for i := 2; i < len(out); i += 3 {
		if rng.IntN(4) > 0 {
			out[i] = out[i-1] + 3*uint32(rng.IntN(20))
		}
	}
	return out
}

// sameAs checks that s holds exactly the ranges of ref, in canonical form.
func sameAs(t *testing.T, what string, s Set, ref *netipx.IPSet) {
	t.Helper()
	want := ref.Ranges()
	got := s.rng
	if len(want) == 0 {
		want = nil
	}
	if len(got) == 0 {
		got = nil
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s:\n got %v\nwant %v", what, got, want)
	}
}

func refOp(a, b *netipx.IPSet, op func(*netipx.IPSetBuilder, *netipx.IPSet)) *netipx.IPSet {
	var x netipx.IPSetBuilder
	x.AddSet(a)
	op(&x, b)
	s, _ := x.IPSet()
	return s
}

func checkAlgebra(t *testing.T, a Set, ra *netipx.IPSet, b Set, rb *netipx.IPSet) {
	t.Helper()
	sameAs(t, "a", a, ra)
	sameAs(t, "a ∪ b", a.Union(b), refOp(ra, rb, (*netipx.IPSetBuilder).AddSet))
	sameAs(t, "a ∩ b", a.Intersect(b), refOp(ra, rb, (*netipx.IPSetBuilder).Intersect))
	sameAs(t, "b ∩ a", b.Intersect(a), refOp(ra, rb, (*netipx.IPSetBuilder).Intersect))
	sameAs(t, "a − b", a.Subtract(b), refOp(ra, rb, (*netipx.IPSetBuilder).RemoveSet))
	sameAs(t, "b − a", b.Subtract(a), refOp(rb, ra, (*netipx.IPSetBuilder).RemoveSet))
	if got, want := a.Overlaps(b), ra.Overlaps(rb); got != want {
		t.Fatalf("Overlaps = %v, netipx says %v", got, want)
	}
	if got, want := a.ContainsSet(b), refOp(rb, ra, (*netipx.IPSetBuilder).RemoveSet).Equal(&netipx.IPSet{}); got != want {
		t.Fatalf("ContainsSet = %v, want %v", got, want)
	}
	in, out := a.Intersect(b), a.Subtract(b)
	if in.Overlaps(out) || !in.Union(out).Equal(a) {
		t.Fatalf("a ∩ b and a − b do not split a")
	}
}

// TestAlgebraAgainstNetipx compares Union, Intersect, Subtract, Overlaps
// and ContainsSet of random sets, small against large included, with
// netipx.
func TestAlgebraAgainstNetipx(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 34))
	sizes := []int{0, 1, 2, 5, 40, 300}
	for round := range 3000 {
		na, nb := sizes[rng.IntN(len(sizes))], sizes[rng.IntN(len(sizes))]
		a, ra := rangesFrom(randomPairs(rng, na))
		b, rb := rangesFrom(randomPairs(rng, nb))
		if round%5 == 0 { // b a part of a, so that containment holds
			b, rb = a.Intersect(b.Union(a.Subtract(b))), ra
			if round%10 == 0 {
				var x netipx.IPSetBuilder
				for i, r := range a.rng {
					if i%3 != 0 {
						x.AddRange(r)
					}
				}
				rb, _ = x.IPSet()
				var sb Builder
				for _, r := range rb.Ranges() {
					sb.AddRange(r.From(), r.To())
				}
				b = sb.Set()
			}
		}
		checkAlgebra(t, a, ra, b, rb)
	}
}

// TestBuilderInOrderAgainstNetipx holds a Builder fed additions that
// start no earlier than the one before (which it keeps normalised itself:
// overlapping, touching, contained, across the end of IPv4 into IPv6) to
// netipx, with sets taken on the way staying what they were when taken,
// and then an addition out of order and a removal (which hand everything
// to netipx).
func TestBuilderInOrderAgainstNetipx(t *testing.T) {
	rng := rand.New(rand.NewPCG(56, 78))
	for round := range 2000 {
		var rs []netipx.IPRange
		pairs := randomPairs(rng, 1+rng.IntN(40))
		for i := 0; i+2 < len(pairs); i += 3 {
			rs = append(rs, rangeAt(pairs, i))
		}
		slices.SortStableFunc(rs, func(a, b netipx.IPRange) int { return a.From().Compare(b.From()) })
		var b Builder
		var ref netipx.IPSetBuilder
		type taken struct {
			s   Set
			ref *netipx.IPSet
		}
		var sets []taken
		for i, r := range rs {
			b.AddRange(r.From(), r.To())
			ref.AddRange(r)
			if i%3 == round%3 {
				x, _ := ref.IPSet()
				sets = append(sets, taken{b.Set(), x})
			}
		}
		if b.spilled {
			t.Fatalf("round %d: additions in order went to netipx", round)
		}
		x, _ := ref.IPSet()
		sameAs(t, "in order", b.Set(), x)
		for _, tk := range sets {
			sameAs(t, "a set taken before later additions", tk.s, tk.ref)
		}
		if round%2 == 0 && len(rs) > 0 {
			first := rs[0]
			lo := netipx.IPRangeFrom(first.From(), first.From())
			if p := first.From().Prev(); p.IsValid() {
				lo = netipx.IPRangeFrom(p, p)
			}
			b.AddRange(lo.From(), lo.To())
			ref.AddRange(lo)
		}
		if round%4 == 1 && len(rs) > 0 {
			mid := rs[len(rs)/2]
			b.RemovePrefix(netip.PrefixFrom(mid.To(), mid.To().BitLen()))
			ref.RemoveRange(netipx.IPRangeFrom(mid.To(), mid.To()))
		}
		x, _ = ref.IPSet()
		sameAs(t, "after an addition out of order or a removal", b.Set(), x)
	}
}

// FuzzAlgebra holds the algebra to netipx on sets decoded from the input.
func FuzzAlgebra(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9}, []byte{9, 8, 7, 6, 5, 4})
	f.Add([]byte{0, 0, 0, 255, 255, 255, 1, 2, 3}, []byte{0, 255, 0, 255, 0, 255})
	f.Fuzz(func(t *testing.T, x, y []byte) {
		// At most 50 ranges a set: TestAlgebraAgainstNetipx covers sets
		// of hundreds, and small inputs keep the fuzzer's minimisation
		// of what it finds fast (600 values made it 390 executions a
		// second overall, 50 ranges 12,700).
		decode := func(b []byte) []uint32 {
			var out []uint32
			for i := 0; i+1 < len(b) && len(out) < 150; i += 2 {
				out = append(out, uint32(b[i])<<8|uint32(b[i+1]))
			}
			return out
		}
		a, ra := rangesFrom(decode(x))
		b, rb := rangesFrom(decode(y))
		checkAlgebra(t, a, ra, b, rb)
	})
}

// BenchmarkAlgebra measures the operations between a set of 3,000 ranges
// (the size of a large service tag) and a /24 inside it, against netipx's
// builder doing the same.
func BenchmarkAlgebra(b *testing.B) {
	var big Builder
	for i := range 3000 {
		a := netip.AddrFrom4([4]byte{20, byte(i >> 4), byte(i << 4), 0})
		big.AddRange(a, a.Next().Next())
	}
	bigSet := big.Set()
	small := SetOf(netip.MustParsePrefix("20.100.0.0/24"))
	var refBig, refSmall netipx.IPSetBuilder
	for _, r := range bigSet.rng {
		refBig.AddRange(r)
	}
	refSmall.AddPrefix(netip.MustParsePrefix("20.100.0.0/24"))
	rb, _ := refBig.IPSet()
	rs, _ := refSmall.IPSet()
	b.Run("intersect/cidr", func(b *testing.B) {
		for b.Loop() {
			_ = small.Intersect(bigSet)
		}
	})
	b.Run("intersect/netipx", func(b *testing.B) {
		for b.Loop() {
			_ = refOp(rs, rb, (*netipx.IPSetBuilder).Intersect)
		}
	})
	b.Run("subtract-small-from-big/cidr", func(b *testing.B) {
		for b.Loop() {
			_ = bigSet.Subtract(small)
		}
	})
	b.Run("subtract-small-from-big/netipx", func(b *testing.B) {
		for b.Loop() {
			_ = refOp(rb, rs, (*netipx.IPSetBuilder).RemoveSet)
		}
	})
	b.Run("subtract-big-from-small/cidr", func(b *testing.B) {
		for b.Loop() {
			_ = small.Subtract(bigSet)
		}
	})
	b.Run("subtract-big-from-small/netipx", func(b *testing.B) {
		for b.Loop() {
			_ = refOp(rs, rb, (*netipx.IPSetBuilder).RemoveSet)
		}
	})
}
