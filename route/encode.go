package route

import (
	"encoding/binary"
	"net/netip"
)

// A table keeps the prefixes of its routes, in Add order, in one byte
// stream: the trie only maps prefixes to routes, and a route's own prefix
// must be found from its ID. A route with exactly one prefix takes a header
// byte (the prefix length, offset by family) and the prefix's significant
// address bytes: 4 bytes for an IPv4 /24, 7 for an IPv6 /48. A route with
// any other number of prefixes takes the header multiHeader alone and keeps
// its prefixes in a side map. Every blockSize-th route's offset is indexed,
// so finding a route's prefix decodes at most blockSize-1 entries.
const (
	v6Header    = 33   // header of an IPv6 prefix: v6Header + bits
	multiHeader = 0xFF // header of a route whose prefixes are kept aside
	blockShift  = 5
	blockSize   = 1 << blockShift
)

// appendPrefix appends the encoding of the canonical prefix p to b.
func appendPrefix(b []byte, p netip.Prefix) []byte {
	bits := p.Bits()
	n := (bits + 7) >> 3
	if p.Addr().Is4() {
		a := p.Addr().As4()
		return append(append(b, byte(bits)), a[:n]...)
	}
	a := p.Addr().As16()
	return append(append(b, byte(v6Header+bits)), a[:n]...)
}

// entryLen returns the length of the entry whose header is h.
func entryLen(h byte) int {
	switch {
	case h == multiHeader:
		return 1
	case h < v6Header:
		return 1 + (int(h)+7)>>3
	}
	return 1 + (int(h)-v6Header+7)>>3
}

// decodePrefix decodes the single-prefix entry at the start of b. The
// header must not be multiHeader.
func decodePrefix(b []byte) netip.Prefix {
	h := b[0]
	if h < v6Header {
		var a [4]byte
		copy(a[:], b[1:1+(int(h)+7)>>3])
		return netip.PrefixFrom(netip.AddrFrom4(a), int(h))
	}
	bits := int(h) - v6Header
	var a [16]byte
	copy(a[:], b[1:1+(bits+7)>>3])
	return netip.PrefixFrom(netip.AddrFrom16(a), bits)
}

// indexes holds one small non-negative integer per route in the narrowest
// of 1, 2 or 4 bytes that fits the largest: the interned metadata index of
// every route costs one byte when a table has at most 256 distinct next
// hops and names.
type indexes struct {
	b []byte
	w uint8
}

// append adds v at the end, widening every entry first when v does not fit.
func (x *indexes) append(v uint32) {
	switch {
	case x.w == 0:
		x.w = 1
		fallthrough
	case x.w == 1 && v <= 0xFF, x.w == 2 && v <= 0xFFFF, x.w == 4:
	default:
		x.widen(v)
	}
	switch x.w {
	case 1:
		x.b = append(x.b, byte(v))
	case 2:
		x.b = binary.LittleEndian.AppendUint16(x.b, uint16(v))
	default:
		x.b = binary.LittleEndian.AppendUint32(x.b, v)
	}
}

// widen re-encodes every entry in the width v needs (at most twice in a
// builder's life: at 256 and at 65,536 distinct values).
func (x *indexes) widen(v uint32) {
	w := uint8(2)
	if v > 0xFFFF {
		w = 4
	}
	n := x.len()
	y := indexes{b: make([]byte, 0, int(w)*max(2*n, 64)), w: w}
	for i := range uint32(n) {
		y.append(x.at(i))
	}
	*x = y
}

func (x *indexes) len() int { return len(x.b) / max(int(x.w), 1) }

func (x *indexes) at(i uint32) uint32 {
	switch x.w {
	case 1:
		return uint32(x.b[i])
	case 2:
		return uint32(binary.LittleEndian.Uint16(x.b[2*i:]))
	}
	return binary.LittleEndian.Uint32(x.b[4*i:])
}
