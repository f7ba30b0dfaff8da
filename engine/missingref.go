package engine

import "github.com/vnetpath/vnetpath/topology"

// unknownSubnetRefs returns the blocker of a packet in a subnet whose route
// table the snapshot references but does not hold, or whose NSG (or the
// source NIC's) it lacks, when routing or filtering there: the next hop
// and the rules are not known, so the answer is unknown (SPEC §2, missing
// is not empty), not the verdict of a subnet without them. Such resources
// are listed in [topology.Snapshot.Missing], and a change not yet
// deployed declares what it cannot know missing the same way.
func (w *walker) unknownSubnetRefs(st state, c *subnetCtx, nsgs, routes bool) (blocker, bool) {
	var what, id string
	switch {
	case nsgs && st.srcNIC != nil && st.srcNIC.NSG != "" && !w.e.snap.Has(st.srcNIC.NSG):
		what, id = "NSG "+topology.NameOf(st.srcNIC.NSG)+" of NIC "+st.srcNIC.Name, st.srcNIC.NSG
	case nsgs && c.sn.NSG != "" && c.nsg == nil:
		what, id = "NSG "+topology.NameOf(c.sn.NSG)+" of subnet "+c.name, c.sn.NSG
	case routes && c.sn.RouteTable != "" && c.rt == nil:
		what, id = "route table "+topology.NameOf(c.sn.RouteTable)+" of subnet "+c.name, c.sn.RouteTable
	default:
		return blocker{}, false
	}
	return w.missing(st.dst, what, id), true
}
