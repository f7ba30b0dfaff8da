package engine

import (
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/topology"
)

// What vnetpath does not model must not give a confident answer
// (reference §10 item 44, SPEC §5): AVNM security admin rules are
// evaluated before NSGs and may deny or always allow, and Virtual WAN hubs
// program routes no VNet export shows. Where the snapshot holds such a
// resource, the answers it may change — flows filtered in a VNet the
// network manager's scope covers, flows routed in a VNet connected to a
// hub — carry a blocker of cause notModelled (verdict unknown) naming it.
// The walk goes on with what vnetpath does model.

// unmodelled is a resource that may change paths in a VNet, which
// vnetpath does not model.
type unmodelled struct {
	id   string // the resource, for Blocker.Resource
	what string // how the answer names it
	fix  string // what a person checks
}

// hubVNetPrefix starts the name of the VNet a Virtual WAN hub manages,
// which VNets connected to the hub are peered with: HV_<hub>_<guid>.
const hubVNetPrefix = "HV_"

// adminConfigs returns the security admin configurations that may apply
// to VNet v: those of a network manager whose scope holds v's
// subscription, or whose scope is not known (a management group, or a
// manager the snapshot lacks), in ID order.
func (e *Engine) adminConfigs(v *topology.VNet) []unmodelled {
	if !e.hasAdmin {
		return nil
	}
	var out []unmodelled
	sub := strings.ToLower(idSegment(v.ID, "subscriptions"))
	add := func(id, manager string) {
		out = append(out, unmodelled{id: id,
			what: "AVNM security admin configuration " + topology.NameOf(id) + " of network manager " + topology.NameOf(manager) +
				", whose rules are evaluated before NSGs and may deny or always allow (reference §3.3, §10 item 44),",
			fix: "check the security admin rules of configuration " + topology.NameOf(id) + " (network manager " + topology.NameOf(manager) +
				") for this flow by hand: vnetpath does not model them"})
	}
	for cfg := range e.snap.SecurityAdminConfigurations() {
		m, ok := e.snap.NetworkManager(cfg.Manager)
		if !ok || inScope(m, sub) {
			add(cfg.ID, cfg.Manager)
		}
	}
	// A configuration whose manager the snapshot lacks is set aside with
	// it; the manager is listed missing, referenced by the configuration.
	for _, m := range e.snap.Missing() {
		if m.Type != topology.TypeNetworkManager {
			continue
		}
		for _, r := range m.ReferencedBy {
			if strings.EqualFold(idType(r.ID), topology.TypeSecurityAdminConfig) {
				add(r.ID, m.ID)
			}
		}
	}
	return out
}

// inScope reports whether a network manager's scope may hold subscription
// sub (lower case): it lists it, or names management groups, whose
// subscriptions the snapshot does not say.
func inScope(m *topology.NetworkManager, sub string) bool {
	if len(m.ScopeAccesses) > 0 && !containsFold(m.ScopeAccesses, "SecurityAdmin") {
		return false
	}
	if len(m.ScopeManagementGroups) > 0 {
		return true
	}
	for _, s := range m.ScopeSubscriptions {
		if strings.EqualFold(strings.TrimPrefix(strings.TrimSpace(s), "/subscriptions/"), sub) {
			return true
		}
	}
	return false
}

// idType returns the ARM type an ID names, or "".
func idType(id string) string {
	r, ok := topology.ParseResourceID(id)
	if !ok {
		return ""
	}
	return r.Type()
}

// virtualHubs returns the Virtual WAN hubs VNet v is connected to: by a
// peering with a hub's managed VNet (HV_<hub>_...), named by the hub when
// the snapshot holds it, else by that VNet.
func (e *Engine) virtualHubs(v *topology.VNet) []unmodelled {
	var out []unmodelled
	for _, id := range v.Peerings {
		p, ok := e.snap.Peering(id)
		if !ok {
			continue
		}
		if u, ok := e.hubOf(p.RemoteVNet); ok {
			out = append(out, u)
		}
	}
	return out
}

// hubOf returns the Virtual WAN hub whose managed VNet is vnet, when its
// name says it is one.
func (e *Engine) hubOf(vnet string) (unmodelled, bool) {
	name := topology.NameOf(vnet)
	if len(name) < len(hubVNetPrefix) || !strings.EqualFold(name[:len(hubVNetPrefix)], hubVNetPrefix) {
		return unmodelled{}, false
	}
	id, hub := vnet, "the Virtual WAN hub behind VNet "+name
	for h := range e.snap.VirtualHubs() {
		if strings.HasPrefix(strings.ToLower(name), strings.ToLower(hubVNetPrefix+h.Name+"_")) {
			id, hub = h.ID, "Virtual WAN hub "+h.Name
			if h.VirtualWAN != "" {
				hub += " (Virtual WAN " + topology.NameOf(h.VirtualWAN) + ")"
			}
			break
		}
	}
	return unmodelled{id: id,
		what: hub + ", whose routes (and routing intent) no VNet export shows (reference §10 item 44),",
		fix:  "check the routes " + hub + " programs for this flow by hand: vnetpath does not model Virtual WAN"}, true
}

// blockUnmodelled records at the current hop that the path depends on
// what vnetpath does not model, unless the state already carries that.
func (w *walker) blockUnmodelled(st *state, u unmodelled, kind answer.FixKind) {
	for i := range st.blockers {
		if b := &st.blockers[i]; b.Cause == answer.CauseNotModelled && topology.SameID(b.Resource, u.id) {
			return
		}
	}
	st.block(w.unmodelledBlocker(st.dst, u, kind))
}

// unmodelledBlocker is the blocker of a path that depends on u.
func (w *walker) unmodelledBlocker(dst addrs, u unmodelled, kind answer.FixKind) blocker {
	b := w.blocker(answer.Unknown, answer.CauseNotModelled, dst)
	b.Resource = u.id
	b.Data = map[string]string{"what": strings.TrimSuffix(u.what, ",")}
	b.Fix = &answer.Fix{Resource: u.id, Change: "check by hand", Kind: kind, Data: map[string]string{"text": u.fix}}
	return b
}

// adminRulesApply records the security admin configurations that may
// filter the packet at subnet c.
func (w *walker) adminRulesApply(st *state, c *subnetCtx) {
	for _, u := range c.admin {
		w.blockUnmodelled(st, u, answer.FixReviewRules)
	}
}
