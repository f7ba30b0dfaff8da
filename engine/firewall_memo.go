package engine

import "github.com/vnetpath/vnetpath/cidr"

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

// evalShared is evalCut, memoised per atom of the source and destination
// on the shared path (interned, concrete sources and destinations): a
// source in one atom is cut by no rule.
func (c *compiledFW) evalShared(src, dst addrs, fqdn string, p Protocol, port uint16, notes *pieceNotes) ([]fwDecision, bool) {
	k, ok := c.atoms.key(c.in, src, dst, fqdn, p, port, c.ruleSources)
	if !ok {
		return c.evalCut(src, dst, fqdn, p, port, notes)
	}
	return memoAtom(&c.atoms, k, src, notes, func(rec *pieceNotes) []fwDecision { return c.eval(src, dst, fqdn, p, port, rec) },
		func(d *fwDecision) *addrs { return &d.src }), false
}
