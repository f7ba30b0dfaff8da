package cidr

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"go4.org/netipx"
)

// Piece is one part of a partitioned set: the addresses in Set are covered by
// exactly the prefixes whose indexes are in Covers (ascending; empty when no
// prefix covers them).
type Piece struct {
	Set    Set
	Covers []int
}

// Partition cuts s into the pieces that the prefixes ps divide it into: two
// addresses of s fall into the same piece exactly when the same prefixes of ps
// cover them. Pieces are returned in the order of their lowest address, and
// together they are exactly s. Route lookup over a destination set uses this
// view: within one piece, longest-prefix match has one answer.
//
// Invalid prefixes cover nothing. The cost is O((n+m) log n) for n prefixes
// and m ranges of s.
func (s Set) Partition(ps []netip.Prefix) []Piece {
	if s.IsEmpty() {
		return nil
	}
	type span struct {
		i        int
		from, to netip.Addr
		bits     int
	}
	spans := make([]span, 0, len(ps))
	cuts := make([]netip.Addr, 0, 2*len(ps))
	for i, p := range ps {
		p = Canonical(p)
		if !p.IsValid() {
			continue
		}
		from, to := p.Addr(), netipx.PrefixLastIP(p)
		spans = append(spans, span{i, from, to, p.Bits()})
		cuts = append(cuts, from)
		if n := to.Next(); n.IsValid() && n.BitLen() == to.BitLen() {
			cuts = append(cuts, n)
		}
	}
	slices.SortFunc(spans, func(a, b span) int {
		if c := a.from.Compare(b.from); c != 0 {
			return c
		}
		return cmp.Compare(a.bits, b.bits)
	})
	slices.SortFunc(cuts, netip.Addr.Compare)
	cuts = slices.Compact(cuts)

	var (
		stack  []span
		j      int
		order  []string
		groups = map[string]*Piece{}
		bs     = map[string]*Builder{}
	)
	visit := func(from, to netip.Addr) {
		for len(stack) > 0 && stack[len(stack)-1].to.Less(from) {
			stack = stack[:len(stack)-1]
		}
		for j < len(spans) && !from.Less(spans[j].from) {
			if !spans[j].to.Less(from) {
				for len(stack) > 0 && stack[len(stack)-1].to.Less(spans[j].from) {
					stack = stack[:len(stack)-1]
				}
				stack = append(stack, spans[j])
			}
			j++
		}
		covers := make([]int, 0, len(stack))
		for _, sp := range stack {
			if !sp.to.Less(from) {
				covers = append(covers, sp.i)
			}
		}
		slices.Sort(covers)
		key := coverKey(covers)
		b, ok := bs[key]
		if !ok {
			b = new(Builder)
			bs[key] = b
			groups[key] = &Piece{Covers: covers}
			order = append(order, key)
		}
		b.AddRange(from, to)
	}
	k := 0
	for _, r := range s.rng {
		from := r.From()
		for k < len(cuts) && !from.Less(cuts[k]) {
			k++
		}
		for from.IsValid() {
			to := r.To()
			if k < len(cuts) && !r.To().Less(cuts[k]) {
				to = cuts[k].Prev()
			}
			visit(from, to)
			if to == r.To() {
				break
			}
			from = to.Next()
			k++
		}
	}
	out := make([]Piece, 0, len(order))
	for _, key := range order {
		p := groups[key]
		p.Set = bs[key].Set()
		out = append(out, *p)
	}
	return out
}

func coverKey(c []int) string {
	var sb strings.Builder
	for _, i := range c {
		sb.WriteString(strconv.Itoa(i))
		sb.WriteByte(',')
	}
	return sb.String()
}
