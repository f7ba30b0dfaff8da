package route

import (
	"encoding/binary"
	"net/netip"
)

// sortThreshold is the number of routes from which Build inserts prefixes
// in address order rather than in ID order. Tests lower it to check that
// both orders build the same table.
var sortThreshold = 1 << 12

// prefixRef names one prefix of a table for the build order: key is the
// first 64 bits of the address (an IPv4 address in the upper half), id the
// route, and at says where the rest is: for an IPv4 prefix, refV4 and the
// prefix length; with refMulti, an index into the route's side list;
// otherwise an offset into the prefix stream.
type prefixRef struct {
	key    uint64
	id, at uint32
}

const (
	refMulti = 1 << 31
	refV4    = 1 << 30
)

// entryPrefix returns the prefix e names.
func (t *Table) entryPrefix(e prefixRef) netip.Prefix {
	switch {
	case e.at&refV4 != 0:
		var a [4]byte
		binary.BigEndian.PutUint32(a[:], uint32(e.key>>32))
		return netip.PrefixFrom(netip.AddrFrom4(a), int(e.at&0xFF))
	case e.at&refMulti != 0:
		return t.multi[e.id][e.at&^refMulti]
	}
	return decodePrefix(t.pfx[e.at:])
}

// sortedPrefixes returns every prefix of t ordered by the first 64 bits of
// its address, and by ID where those are equal: a stable LSD radix sort on
// 16-bit digits, skipping digits that are the same in every key (the low
// half of IPv4 keys).
func (t *Table) sortedPrefixes() []prefixRef {
	n := t.Len()
	es := make([]prefixRef, 0, n+n/8)
	off := 0
	for id := range uint32(n) {
		h := t.pfx[off]
		if h != multiHeader {
			p := decodePrefix(t.pfx[off:])
			at := uint32(off)
			if h < v6Header {
				at = refV4 | uint32(h)
			}
			es = append(es, prefixRef{key: top64(p), id: id, at: at})
			off += entryLen(h)
			continue
		}
		off++
		for j, p := range t.multi[id] {
			es = append(es, prefixRef{key: top64(p), id: id, at: refMulti | uint32(j)})
		}
	}
	if len(es) < 2 {
		return es
	}
	tmp := make([]prefixRef, len(es))
	var count [1 << 16]uint32
	for shift := 0; shift < 64; shift += 16 {
		clear(count[:])
		for _, e := range es {
			count[uint16(e.key>>shift)]++
		}
		if count[uint16(es[0].key>>shift)] == uint32(len(es)) {
			continue // one digit value: the order stays
		}
		var sum uint32
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, e := range es {
			d := uint16(e.key >> shift)
			tmp[count[d]] = e
			count[d]++
		}
		es, tmp = tmp, es
	}
	return es
}

// top64 returns the first 64 bits of p's address; an IPv4 address fills
// the upper 32.
func top64(p netip.Prefix) uint64 {
	if a := p.Addr(); a.Is4() {
		b := a.As4()
		return uint64(binary.BigEndian.Uint32(b[:])) << 32
	}
	b := p.Addr().As16()
	return binary.BigEndian.Uint64(b[:8])
}
