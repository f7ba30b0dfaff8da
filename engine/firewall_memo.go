package engine

import (
	"slices"

	"github.com/vnetpath/vnetpath/cidr"
)

// fwMemo is a firewall evaluation memoised per atom of the source: the
// decisions with their source left out, and the notes it made, in order.
type fwMemo struct {
	decisions []fwDecision
	notes     []string
}

// ruleSources yields the source matchers of the firewall's rules.
func (c *compiledFW) ruleSources(yield func(*matcher)) {
	for i := range c.network {
		yield(&c.network[i].src)
	}
	for i := range c.app {
		yield(&c.app[i].src)
	}
}

// atomOf returns the atom of the firewall's rule sources that holds every
// address of s, or false when a rule's source cuts s.
func (c *compiledFW) atomOf(s cidr.Set) (int, bool) { return c.atoms.of(s, c.ruleSources) }

// evalShared is eval, memoised per atom of the source and destination on
// the shared path (interned, concrete sources and destinations).
func (c *compiledFW) evalShared(src, dst addrs, fqdn string, p Protocol, port uint16, notes *pieceNotes) []fwDecision {
	k, ok := c.atoms.key(c.in, src, dst, fqdn, p, port, c.ruleSources)
	if !ok {
		return c.eval(src, dst, fqdn, p, port, notes)
	}
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
