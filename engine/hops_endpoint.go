package engine

import (
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/route"
	"github.com/vnetpath/vnetpath/topology"
)

// The handler of InterfaceEndpoint routes, and delivery to whatever holds
// the destination in its subnet: a NIC, a private endpoint (reference §1.8,
// §3.8), a firewall, a DNS resolver endpoint.

// toPrivateEndpoint follows a private-endpoint /32 route (reference §1.8).
func (w *walker) toPrivateEndpoint(st state, r route.Route) {
	pe, ok := w.e.snap.PrivateEndpoint(r.Origin)
	if !ok {
		w.stop(st, w.missing(st.dst, "private endpoint "+topology.NameOf(r.Origin)+", which route "+describeRoute(r)+" names,", r.Origin))
		return
	}
	sn, _ := w.e.snap.Subnet(pe.Subnet)
	if sn == nil {
		w.stop(st, w.missing(st.dst, "subnet "+topology.ShortName(pe.Subnet)+" of private endpoint "+pe.Name, pe.Subnet))
		return
	}
	if !topology.SameID(sn.VNet, st.at.vnet.ID) {
		w.crossPeering(&st, sn.VNet, sn)
	}
	w.deliver(st, sn)
}

// deliver hands the packet to what holds the destination in subnet sn:
// inbound NSGs (subnet, then NIC; skipped for private endpoints unless the
// subnet enables network policies, reference §3.8), then the return path.
func (w *walker) deliver(st state, sn *topology.Subnet) {
	dctx := w.e.ctx(sn)
	in := dctx.in
	h := hop{node: sn.ID, kind: answer.HopSubnet, name: dctx.name, action: actDelivered}
	var note []step
	var (
		pe  *topology.PrivateEndpoint
		nic *topology.NIC
	)
	if a, ok := st.dst.single(); ok {
		for _, o := range w.e.snap.OwnersShared(a) {
			if !topology.SameID(o.Subnet, sn.ID) {
				continue
			}
			switch o.Kind {
			case topology.OwnerPrivateEndpoint:
				pe, _ = w.e.snap.PrivateEndpoint(o.ID)
				h = hop{node: o.ID, kind: answer.HopPrivateEndpoint, name: shortName(o.ID), action: actDelivered}
				note = []step{{typ: stNote, text: in}}
			case topology.OwnerNIC:
				nic, _ = w.e.snap.NIC(o.ID)
				h = hop{node: o.ID, kind: answer.HopNIC, name: shortName(o.ID), action: actDelivered}
				note = []step{{typ: stNote, text: in}}
			case topology.OwnerFirewall:
				h, note = hop{node: o.ID, kind: answer.HopAzureFirewall, name: shortName(o.ID), action: actDelivered}, nil
			case topology.OwnerResolverInbound:
				h, note = hop{node: o.ID, kind: answer.HopDNSResolver, name: shortName(o.ID), action: actDelivered}, nil
			}
		}
		if h.kind == answer.HopSubnet {
			w.notes.add("no NIC or endpoint in the snapshot holds " + a.String() + "; the answer is for subnet " + dctx.name)
		}
	}
	st.addHop(h, note...)
	if pe != nil {
		approved := false
		for _, c := range pe.Connections {
			if strings.EqualFold(c.Status, topology.ConnectionApproved) {
				approved = true
			}
		}
		if !approved {
			status := "not approved"
			if len(pe.Connections) > 0 {
				status = pe.Connections[0].Status
			}
			b := w.blocker(answer.Blackhole, answer.CausePEConnectionNotApproved, st.dst)
			b.Resource = pe.ID
			b.Data = map[string]string{"status": status}
			b.fix = func() *answer.Fix { return w.e.fixApproveConnection(pe) }
			st.block(b)
		}
	}
	w.adminRulesApply(&st, dctx)
	if pe != nil {
		for _, id := range pe.NICs {
			if _, ok := w.e.snap.NIC(id); !ok {
				w.blockMissing(&st, "NIC "+topology.NameOf(id)+" of private endpoint "+pe.Name, id)
			}
		}
	}
	if dctx.nsg == nil && (pe == nil || sn.PENSGEnabled()) {
		w.nsgMissing(&st, sn.NSG, "subnet "+dctx.name)
	}
	if nic != nil {
		w.nsgMissing(&st, nic.NSG, "NIC "+nic.Name)
		if nic.PrivateEndpoint != "" {
			// The NIC of a private endpoint the snapshot lacks: what
			// answers there, and how it replies, is not known.
			if _, ok := w.e.snap.PrivateEndpoint(nic.PrivateEndpoint); !ok {
				w.blockMissing(&st, "private endpoint "+topology.NameOf(nic.PrivateEndpoint)+", which NIC "+nic.Name+" belongs to,", nic.PrivateEndpoint)
			}
		}
	}
	var nsgs []nsgAt
	if sn.NSG != "" && (pe == nil || sn.PENSGEnabled()) {
		if g, ok := w.e.snap.NSG(sn.NSG); ok {
			nsgs = append(nsgs, nsgAt{g, pe != nil})
		}
	} else if sn.NSG != "" && pe != nil {
		w.notes.add(w.e.peNSGWarningAt(pe, sn, dctx))
	}
	if nic != nil && nic.NSG != "" {
		if g, ok := w.e.snap.NSG(nic.NSG); ok {
			nsgs = append(nsgs, nsgAt{nsg: g})
		}
	}
	w.throughNSGs(st, dctx, nsgs, topology.DirectionInbound, func(s state) {
		ret, rb := w.returnPath(s, dctx, pe)
		if len(w.outcomes) >= maxOutcomes {
			w.cut = true
			return
		}
		w.outcomes = append(w.outcomes, outcome{st: s, end: ending{cause: answer.CauseDelivered, what: s.hops[len(s.hops)-1].label()}, ret: ret, retBlock: rb})
	})
}

// label is the hop's name for sentences.
func (h *hop) label() string {
	if h.name != "" {
		return h.name
	}
	return shortName(h.node)
}
