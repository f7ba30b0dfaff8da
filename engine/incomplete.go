package engine

import (
	"net/netip"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/topology"
)

// Missing is not empty (SPEC §2, §5; reference §10 item 38): where the
// path depends on a resource the snapshot references but lacks — a route
// table, NSG or NAT gateway of a subnet the packet is routed or filtered
// in, a NIC's NSG, the remote side of a peering beyond the routes the
// peering itself gives, a firewall's policy, base policy, rule collection
// groups or IP groups, an appliance NIC, a public IP whose address is the
// egress, a private endpoint's NIC — the walk records a blocker of cause
// missingResource (verdict unknown) naming the IDs, with a fix that
// exports them, and goes on with what the snapshot holds, so that a
// blocker the snapshot does show is still found. An answer that does not
// pass there is not affected.

// missing is the blocker of a path that depends on resources the snapshot
// lacks: the answer is unknown (SPEC §2), and the fix exports them.
func (w *walker) missing(dst addrs, what string, ids ...string) blocker {
	b := w.blocker(answer.Unknown, answer.CauseMissingResource, dst)
	b.Missing = ids
	b.Resource = ids[0]
	b.Data = map[string]string{"what": strings.TrimSuffix(what, ",")}
	b.fix = func() *answer.Fix { return w.e.fixExport(ids) }
	return b
}

// blockMissing records at the current hop that the path depends on ids,
// which the snapshot lacks, unless the state already carries that.
func (w *walker) blockMissing(st *state, what string, ids ...string) {
	for i := range st.blockers {
		if b := &st.blockers[i]; b.Cause == answer.CauseMissingResource && topology.SameID(b.Resource, ids[0]) {
			return
		}
	}
	st.block(w.missing(st.dst, what, ids...))
}

// nsgMissing records the NSG a subnet or NIC names that the snapshot
// lacks, when rules would filter the packet there.
func (w *walker) nsgMissing(st *state, id, of string) {
	if id == "" {
		return
	}
	if _, ok := w.e.snap.NSG(id); ok {
		return
	}
	w.blockMissing(st, "NSG "+topology.NameOf(id)+" of "+of+", whose rules filter the packet,", id)
}

// routesMissing records what the routes of the current subnet come from
// that the snapshot lacks: its route table, whose user routes may send the
// packet anywhere, or the sources of its gateway routes.
func (w *walker) routesMissing(st *state) {
	c := st.at
	if c.sn.RouteTable != "" && c.rt == nil {
		w.blockMissing(st, "route table "+topology.NameOf(c.sn.RouteTable)+" of subnet "+c.name+", whose routes choose the next hop,", c.sn.RouteTable)
	}
	if len(c.routesMissing) > 0 {
		w.blockMissing(st, "what the gateway routes of subnet "+c.name+" come from ("+names(c.routesMissing)+")", c.routesMissing...)
	}
}

// unknownHolders returns the IDs of what may hold address a without the
// snapshot showing it: resources that the subnets around a list
// (ipConfigurations) and the snapshot lacks, and VNets the snapshot lacks
// whose synced range, as a peering of VNet v gives it, holds a.
func (w *walker) unknownHolders(v *topology.VNet, a netip.Addr) []string {
	var out []string
	for _, sn := range w.e.snap.SubnetsContaining(a) {
		for _, cfg := range sn.IPConfigurations {
			owner := ipConfigOwner(cfg)
			if owner == "" || w.e.snap.Has(owner) || containsFold(out, owner) {
				continue
			}
			if _, ok := w.e.snap.MissingByID(owner); ok {
				out = append(out, owner)
			}
		}
	}
	for _, id := range v.Peerings {
		p, ok := w.e.snap.Peering(id)
		if !ok || w.e.snap.Has(p.RemoteVNet) || containsFold(out, p.RemoteVNet) {
			continue
		}
		for _, x := range p.RemoteAddressSpace {
			if x.Contains(a) {
				out = append(out, p.RemoteVNet)
				break
			}
		}
	}
	return out
}

// ipConfigOwner returns the ID of the resource an IP configuration ID
// belongs to (the NIC of ".../networkInterfaces/n/ipConfigurations/c"),
// or "".
func ipConfigOwner(id string) string {
	i := strings.LastIndex(id, "/")
	if i < 0 {
		return ""
	}
	j := strings.LastIndex(id[:i], "/")
	if j <= 0 {
		return ""
	}
	return id[:j]
}

// names lists the short names of IDs for sentences.
func names(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = topology.ShortName(id)
	}
	return strings.Join(out, ", ")
}
