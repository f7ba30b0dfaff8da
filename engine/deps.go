package engine

import (
	"cmp"
	"net/netip"
	"slices"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/topology"
)

// DependsOn returns the IDs of the resources an answer of this engine
// depends on, as far as the answer shows them: the source subnet, its VNet
// and the NIC of an address source; every hop's node (subnets, NICs,
// firewalls, private endpoints, gateways, peerings) on the path, the path
// once its blockers are lifted, the return path and each part of a set
// destination; the origin of every route a hop used and the owner of its
// next-hop address; every NSG or firewall rule that matched and the NSG,
// policy or firewall that holds it; the peerings crossed and both their
// VNets; the egress device; the DNS servers' owners (a resolver's inbound
// endpoint, a firewall with DNS proxy, a VM), the zone that answered and
// the private endpoint that serves the name; the blockers' resources and
// the missing resources an unknown answer names; and the workspace of a
// profile entry.
//
// IDs are spelled as the answer or the snapshot spells them, each once
// (compared case-insensitively), in the order of their [topology.Key]. A
// change to any of them, or to a child of one (a route of a table, a rule
// of an NSG, a link or record of a zone), may change the answer; package
// diff relies on it to name the resources whose change caused a changed
// answer. It reads only the answer and the snapshot.
func (e *Engine) DependsOn(r *Result) []string {
	d := depSet{seen: map[string]bool{}}
	snap := e.snap
	if strings.HasPrefix(r.Source, "/") {
		d.add(r.Source)
		if sn, ok := snap.Subnet(r.Source); ok {
			d.add(sn.VNet)
			e.dnsDeps(&d, sn, nil)
		}
	} else if a, err := netip.ParseAddr(r.Source); err == nil {
		var nic *topology.NIC
		for _, o := range snap.OwnersOf(a) {
			d.add(o.ID)
			if o.Kind == topology.OwnerNIC {
				nic, _ = snap.NIC(o.ID)
			}
		}
		for _, sn := range snap.SubnetsContaining(a) {
			d.add(sn.ID)
			d.add(sn.VNet)
			e.dnsDeps(&d, sn, nic)
		}
	}
	d.add(r.Workspace)
	e.hopDeps(&d, r.Hops)
	e.hopDeps(&d, r.Then)
	if r.ReturnPath != nil {
		e.hopDeps(&d, r.ReturnPath.Hops)
	}
	for _, p := range r.Parts {
		e.hopDeps(&d, p.Hops)
	}
	e.egressDeps(&d, r.Egress)
	for i := range r.Blockers {
		e.blockerDeps(&d, &r.Blockers[i])
	}
	d.add(r.Missing...)
	if r.DNS != nil {
		d.add(r.DNS.Zone, r.DNS.Endpoint)
		if r.DNS.Blocker != nil {
			e.blockerDeps(&d, r.DNS.Blocker)
		}
	}
	slices.SortFunc(d.ids, func(a, b string) int { return cmp.Compare(topology.Key(a), topology.Key(b)) })
	return d.ids
}

// depSet collects IDs once each, case-insensitively.
type depSet struct {
	ids  []string
	seen map[string]bool
}

func (d *depSet) add(ids ...string) {
	for _, id := range ids {
		if !strings.HasPrefix(id, "/") {
			continue // "Internet", addresses, empty
		}
		if k := topology.Key(id); !d.seen[k] {
			d.seen[k] = true
			d.ids = append(d.ids, id)
		}
	}
}

func (e *Engine) hopDeps(d *depSet, hops []answer.Hop) {
	for i := range hops {
		h := &hops[i]
		d.add(h.Node)
		if p, ok := e.snap.Peering(h.Node); ok {
			d.add(p.VNet, p.RemoteVNet)
		}
		e.routeDeps(d, h.Route)
		for j := range h.Steps {
			s := &h.Steps[j]
			e.routeDeps(d, s.Route)
			e.ruleDeps(d, s.Rule)
			e.peeringDeps(d, s.Peering)
			e.egressDeps(d, s.Egress)
		}
	}
}

func (e *Engine) routeDeps(d *depSet, r *answer.RouteRef) {
	if r == nil {
		return
	}
	d.add(r.Origin)
	if a, err := netip.ParseAddr(r.NextHopIPAddress); err == nil {
		for _, o := range e.snap.OwnersOf(a) {
			d.add(o.ID)
		}
	}
}

func (e *Engine) ruleDeps(d *depSet, r *answer.RuleRef) {
	if r == nil {
		return
	}
	d.add(r.Owner)
	if !r.Default {
		d.add(r.ID) // a default NSG rule is not a resource of its own
	}
}

func (e *Engine) peeringDeps(d *depSet, p *answer.PeeringRef) {
	if p == nil {
		return
	}
	d.add(p.ID, p.Remote)
	if pp, ok := e.snap.Peering(p.ID); ok {
		d.add(pp.VNet)
	}
}

func (e *Engine) egressDeps(d *depSet, g *answer.Egress) {
	if g != nil {
		d.add(g.Via)
	}
}

func (e *Engine) blockerDeps(d *depSet, b *answer.Blocker) {
	d.add(b.Resource)
	d.add(b.Missing...)
	e.ruleDeps(d, b.Rule)
	e.routeDeps(d, b.Route)
	e.peeringDeps(d, b.Peering)
	e.egressDeps(d, b.Egress)
}

// dnsDeps adds the owner of the DNS server a client in subnet sn (or on
// nic) uses: the first of the NIC's servers, else of its VNet's; none for
// Azure-provided DNS.
func (e *Engine) dnsDeps(d *depSet, sn *topology.Subnet, nic *topology.NIC) {
	if a, ok := firstDNSServer(e.snap, sn, nic); ok {
		for _, o := range e.snap.OwnersOf(a) {
			d.add(o.ID)
		}
	}
}

// firstDNSServer returns the custom DNS server a client in subnet sn (or
// on nic, when not nil) uses: the first of the NIC's servers, else of its
// VNet's. ok is false for Azure-provided DNS.
func firstDNSServer(snap *topology.Snapshot, sn *topology.Subnet, nic *topology.NIC) (netip.Addr, bool) {
	if nic != nil && len(nic.DNSServers) > 0 {
		a, err := netip.ParseAddr(strings.TrimSpace(nic.DNSServers[0]))
		return a.Unmap(), err == nil
	}
	if v, ok := snap.VNet(sn.VNet); ok && len(v.DNSServers) > 0 {
		return v.DNSServers[0].Unmap(), true
	}
	return netip.Addr{}, false
}
