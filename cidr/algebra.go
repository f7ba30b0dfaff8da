package cidr

import (
	"net/netip"

	"go4.org/netipx"
)

// Set algebra on sorted lists of netipx ranges (sorted, non-overlapping,
// non-adjacent; IPv4 before IPv6, as netip orders addresses). Each
// operation walks both lists once, but jumps over runs of one list that
// the other does not touch with a binary search, so an operation between
// a large set (a service tag of thousands of ranges) and a small one (a
// subnet) costs about the small one's size times the logarithm of the
// large one's, not the sum of both. The results are in the same canonical
// form; the tests hold them to netipx.IPSetBuilder and to a bitmap.

// after returns the index of the first range of rs, from i on, that ends
// at or after a (len(rs) when none does).
func after(rs []netipx.IPRange, i int, a netip.Addr) int {
	// Gallop: most calls move a few ranges ahead.
	step := 1
	lo := i
	hi := i
	for hi < len(rs) && rs[hi].To().Less(a) {
		lo = hi + 1
		hi += step
		step *= 2
	}
	hi = min(hi, len(rs))
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if rs[m].To().Less(a) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// adjacent reports whether b starts right after a ends (same family).
func adjacent(a, b netip.Addr) bool {
	n := a.Next()
	return n.IsValid() && n == b
}

func maxAddr(a, b netip.Addr) netip.Addr {
	if a.Less(b) {
		return b
	}
	return a
}

func minAddr(a, b netip.Addr) netip.Addr {
	if a.Less(b) {
		return a
	}
	return b
}

// intersect returns the ranges common to a and b; a should be the
// shorter list. When the result is all of a, a itself is returned.
func intersect(a, b []netipx.IPRange) []netipx.IPRange {
	var out []netipx.IPRange
	same := true // the result so far is a[:i]
	diverge := func(i int) {
		if same {
			out = append(make([]netipx.IPRange, 0, i+4), a[:i]...)
			same = false
		}
	}
	j := 0
	for i := 0; i < len(a); i++ {
		r := a[i]
		j = after(b, j, r.From())
		if j == len(b) {
			diverge(i)
			break
		}
		if !r.From().Less(b[j].From()) && !b[j].To().Less(r.To()) { // b[j] covers r
			if !same {
				out = append(out, r)
			}
			continue
		}
		diverge(i)
		for k := j; k < len(b) && !r.To().Less(b[k].From()); k++ {
			out = append(out, netipx.IPRangeFrom(maxAddr(r.From(), b[k].From()), minAddr(r.To(), b[k].To())))
		}
	}
	if same {
		return a
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// subtract returns the ranges of a that b does not hold. When b touches
// nothing of a, a itself is returned.
func subtract(a, b []netipx.IPRange) []netipx.IPRange {
	var out []netipx.IPRange
	touched := false
	i, j := 0, 0
	for i < len(a) {
		r := a[i]
		j = after(b, j, r.From())
		if j == len(b) {
			if touched {
				out = append(out, a[i:]...)
			}
			break
		}
		if r.To().Less(b[j].From()) {
			// No range of b reaches r: copy r and every range of a
			// before b[j] in one go.
			k := after(a, i, b[j].From())
			if touched {
				out = append(out, a[i:k]...)
			}
			i = k
			continue
		}
		if !touched {
			out = append(make([]netipx.IPRange, 0, len(a)+1), a[:i]...)
			touched = true
		}
		from := r.From()
		for j < len(b) && !r.To().Less(b[j].From()) {
			if from.Less(b[j].From()) {
				out = append(out, netipx.IPRangeFrom(from, b[j].From().Prev()))
			}
			if !b[j].To().Less(r.To()) {
				from = netip.Addr{} // b[j] runs past r: it may cut the next range too
				break
			}
			from = b[j].To().Next()
			j++
		}
		if from.IsValid() {
			out = append(out, netipx.IPRangeFrom(from, r.To()))
		}
		i++
	}
	if !touched {
		return a
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// union returns the ranges of a and b merged.
func union(a, b []netipx.IPRange) []netipx.IPRange {
	out := make([]netipx.IPRange, 0, len(a)+len(b))
	add := func(r netipx.IPRange) {
		if n := len(out); n > 0 {
			last := out[n-1]
			if !last.To().Less(r.From()) || adjacent(last.To(), r.From()) {
				if last.To().Less(r.To()) {
					out[n-1] = netipx.IPRangeFrom(last.From(), r.To())
				}
				return
			}
		}
		out = append(out, r)
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if a[i].From().Less(b[j].From()) {
			add(a[i])
			i++
		} else {
			add(b[j])
			j++
		}
	}
	for ; i < len(a); i++ {
		add(a[i])
	}
	for ; j < len(b); j++ {
		add(b[j])
	}
	return out
}
