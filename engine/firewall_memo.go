package engine

import (
	"net/netip"
	"slices"
	"sort"
	"sync"

	"github.com/vnetpath/vnetpath/cidr"
)

// A firewall decides by the rules' source sets only whether a source lies
// inside or outside each of them. The rules' source sets cut the address
// space into atoms, runs of addresses that every rule treats alike: two
// sources within one atom get the same decisions for a destination, each
// for itself. At estate scale thousands of spoke subnets fall in a handful
// of atoms of the hub firewall, so its evaluation is memoised per atom and
// destination rather than per source.

// fwAtoms are the boundaries between a firewall's atoms: the first address
// of every rule source range, the address after every range, and the first
// address of each family.
type fwAtoms struct {
	once   sync.Once
	bounds []netip.Addr
	memo   sync.Map // fwMemoKey -> *fwMemo, read-only
}

// fwMemoKey names an evaluation that holds for every source in one atom.
type fwMemoKey struct {
	atom  int
	dst   cidr.Key
	sym   string
	fqdn  string
	proto Protocol
	port  uint16
}

// fwMemo is a memoised evaluation: the decisions with their source left
// out, and the notes it made, in order.
type fwMemo struct {
	decisions []fwDecision
	notes     []string
}

func (c *compiledFW) buildAtoms() {
	b := []netip.Addr{netip.IPv4Unspecified(), netip.IPv6Unspecified()}
	add := func(m *matcher) {
		for _, r := range m.set.Ranges() {
			b = append(b, r.From)
			if n := r.To.Next(); n.IsValid() {
				b = append(b, n)
			}
		}
	}
	for i := range c.network {
		add(&c.network[i].src)
	}
	for i := range c.app {
		add(&c.app[i].src)
	}
	slices.SortFunc(b, netip.Addr.Compare)
	c.atoms.bounds = slices.Compact(b)
}

// atomOf returns the atom that holds every address of s, or false when s
// spans a boundary (a rule holds part of it).
func (c *compiledFW) atomOf(s cidr.Set) (int, bool) {
	c.atoms.once.Do(c.buildAtoms)
	lo, hi, ok := s.Bounds()
	if !ok {
		return 0, false
	}
	b := c.atoms.bounds
	i := sort.Search(len(b), func(i int) bool { return b[i].Compare(lo) > 0 })
	if i < len(b) && b[i].Compare(hi) <= 0 {
		return 0, false
	}
	return i, true
}

// evalShared is eval, memoised per atom of the source and destination on
// the shared path (interned, concrete sources and destinations).
func (c *compiledFW) evalShared(src, dst addrs, fqdn string, p Protocol, port uint16, notes *pieceNotes) []fwDecision {
	if c.in == nil || src.isSym() || !dst.isSym() && !c.in.Interned(dst.set) {
		return c.eval(src, dst, fqdn, p, port, notes)
	}
	atom, ok := c.atomOf(src.set)
	if !ok {
		return c.eval(src, dst, fqdn, p, port, notes)
	}
	k := fwMemoKey{atom: atom, dst: dst.set.Key(), sym: dst.sym, fqdn: fqdn, proto: p, port: port}
	if v, ok := c.atoms.memo.Load(k); ok {
		m := v.(*fwMemo)
		for _, n := range m.notes {
			notes.add(n)
		}
		out := slices.Clone(m.decisions)
		for i := range out {
			out[i].src = src
		}
		return out
	}
	var rec pieceNotes
	out := c.eval(src, dst, fqdn, p, port, &rec)
	for _, n := range rec.list {
		notes.add(n)
	}
	m := &fwMemo{decisions: slices.Clone(out), notes: rec.list}
	for i := range m.decisions {
		if !m.decisions[i].src.equal(src) {
			return out // a source within one atom is never cut; keep to what eval said
		}
		m.decisions[i].src = addrs{}
	}
	c.atoms.memo.Store(k, m)
	return out
}
