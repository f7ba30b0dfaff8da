package engine

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/topology"
)

// annotate adds to an answer what does not change its verdict: whether
// Conditional Access trusts the address a sign-in comes from, and the
// reverse lookups of a workspace's private endpoint addresses.
func (e *Engine) annotate(res *Result, src Source, q Query) {
	if nl := e.opts.NamedLocations; nl != nil && signIn(res) {
		ca := conditionalAccess(res, nl)
		res.ConditionalAccess = ca
		if ca.Status != answer.CATrusted {
			res.Warnings = append(res.Warnings, ca.Reason)
		}
	}
	if q.ReverseLookup {
		if w, ok := e.snap.Workspace(q.Workspace); ok {
			e.reverseLookupsShared(res, src, w)
		}
	}
}

// rlKey names the reverse lookups of a workspace's private endpoints from
// a VNet, the snapshot's (see sharedDNSVNet).
type rlKey struct {
	vnet *topology.VNet
	ws   *topology.Workspace
}

// rlMemo is what reverseLookups adds to an answer: read-only.
type rlMemo struct {
	lookups  []answer.ReverseLookup
	warnings []string
}

// reverseLookupsShared is reverseLookups, memoised per VNet for the
// sources sharedDNSVNet allows: a profile asks them in every answer about
// the workspace.
func (e *Engine) reverseLookupsShared(res *Result, src Source, w *topology.Workspace) {
	v, ok := e.sharedDNSVNet(src)
	if !ok {
		e.reverseLookups(res, src, w)
		return
	}
	k := rlKey{v, w}
	m, ok := e.rls.Load(k)
	if !ok {
		var r Result
		e.reverseLookups(&r, src, w)
		m = &rlMemo{lookups: slices.Clip(r.ReverseLookups), warnings: r.Warnings}
		e.rls.Store(k, m)
	}
	if len(res.ReverseLookups) == 0 {
		res.ReverseLookups = m.lookups // clipped: an append copies it
	} else {
		res.ReverseLookups = append(res.ReverseLookups, m.lookups...)
	}
	res.Warnings = append(res.Warnings, m.warnings...)
}

// signIn reports whether a check is of Entra ID's sign-in endpoint.
func signIn(res *Result) bool {
	if res.ServiceTag != "AzureActiveDirectory" {
		return false
	}
	name := res.FQDN
	if name == "" {
		name = res.Destination
	}
	return strings.HasPrefix(name, "tag:") || strings.HasPrefix(name, "login.")
}

// conditionalAccess says whether the egress public address of a flow to
// Entra ID lies in a trusted named location (reference §6.6, §10 item 25):
// a sign-in that "was successful but does not meet the criteria to access
// this resource" is Conditional Access refusing that address, which the
// network path does not show.
func conditionalAccess(res *Result, nl *NamedLocations) *answer.ConditionalAccess {
	who := topology.ShortName(res.Source)
	const symptom = "a Conditional Access policy that requires a trusted location refuses its sign-ins with \"Your sign-in was successful but does not meet the criteria to access this resource\" (reference §6.6, §10 item 25)"
	eg := res.Egress
	switch {
	case eg == nil:
		return &answer.ConditionalAccess{Status: answer.CAUnknown,
			Reason: "the flow from " + who + " to Entra ID does not leave Azure (" + string(res.Verdict) + "), so the address its sign-ins would come from is not known"}
	case eg.PublicIP == "" && eg.Method == answer.EgressDefaultOutbound:
		return &answer.ConditionalAccess{Status: answer.CAUnknown,
			Reason: who + " signs in to Entra ID through default outbound access, whose public address Azure chooses and may change, so no named location can be checked; " + symptom + " whenever that address is not trusted: give the subnet a NAT gateway or send it through a firewall with a known address"}
	case eg.PublicIP == "":
		return &answer.ConditionalAccess{Status: answer.CAUnknown,
			Reason: "the public address " + who + " signs in to Entra ID from (through " + answer.DescribeEgress(*eg) + ") is not in the snapshot, so named locations cannot be checked"}
	}
	a, err := netip.ParseAddr(eg.PublicIP)
	if err != nil {
		return &answer.ConditionalAccess{EgressIP: eg.PublicIP, Status: answer.CAUnknown, Reason: "the egress address " + eg.PublicIP + " of " + who + " is not an IP address"}
	}
	ca := &answer.ConditionalAccess{EgressIP: a.String()}
	for _, l := range nl.Locations {
		for _, p := range l.Ranges {
			if p.Contains(a) {
				ca.Locations = append(ca.Locations, l.Name)
				if l.Trusted && ca.Location == "" {
					ca.Location = l.Name
				}
				break
			}
		}
	}
	via := answer.DescribeEgress(*eg)
	switch {
	case ca.Location != "":
		ca.Status = answer.CATrusted
		ca.Reason = fmt.Sprintf("%s signs in to Entra ID from %s (%s), which is in trusted named location %s", who, a, via, ca.Location)
	case len(ca.Locations) > 0:
		ca.Status = answer.CAUntrusted
		ca.Reason = fmt.Sprintf("%s signs in to Entra ID from %s (%s), which is in named location %s, not marked trusted: %s", who, a, via, strings.Join(ca.Locations, ", "), symptom)
	default:
		ca.Status = answer.CAOutside
		ca.Reason = fmt.Sprintf("%s signs in to Entra ID from %s (%s), which is in no named location of %s: %s", who, a, via, nl.File, symptom)
	}
	return ca
}

// reverseLookups adds to res the reverse lookups of every address of w's
// private endpoints from the source, with one warning (not a failure) for
// those that do not answer, naming the PTR record or zone link that makes
// them answer (reference §10 item 36). A source that cannot reach its DNS
// server gets no warning: the answer the lookups belong to, of the
// workspace's own name, fails with that cause and its fix, and a warning
// for every subnet and workspace would only repeat it.
func (e *Engine) reverseLookups(res *Result, src Source, w *topology.Workspace) {
	v, ok := e.snap.VNet(src.Subnet.VNet)
	if !ok {
		return
	}
	var failed []string
	var first *answer.ReverseLookup
	unreachable := false // the source cannot reach its DNS server
	for _, id := range e.snap.PrivateEndpointsFor(w.ID) {
		pe, ok := e.snap.PrivateEndpoint(id)
		if !ok {
			continue
		}
		for _, a := range privateEndpointAddrs(e.snap, pe) {
			q := e.ptrQuery(a)
			r := e.resolve(v, &src, q)
			rl := answer.ReverseLookup{Address: a.String(), Expected: q.expect, Names: r.Names, Rcode: r.Rcode, Zone: r.Zone}
			if rl.Names == nil {
				rl.Names = []string{}
			}
			if r.Rcode != NoError {
				rl.Reason = r.Reason
				if len(r.Fixes) > 0 {
					f := r.Fixes[0]
					rl.Fix = &f
				}
				failed = append(failed, a.String())
			}
			res.ReverseLookups = append(res.ReverseLookups, rl)
			if rl.Reason != "" && first == nil {
				first = &res.ReverseLookups[len(res.ReverseLookups)-1]
				unreachable = r.Blocker != nil && r.Blocker.Cause == answer.CauseDNSUnreachable
			}
		}
	}
	if first == nil || unreachable {
		return
	}
	s := fmt.Sprintf("%d of the %d private endpoint addresses of workspace %s do not reverse-resolve (%s): %s",
		len(failed), len(res.ReverseLookups), w.Name, strings.Join(failed, ", "), first.Reason)
	if first.Fix != nil {
		s += "; fix: " + first.Fix.Text
		if len(failed) > 1 {
			s += ", and likewise for the others"
		}
	}
	res.Warnings = append(res.Warnings, e.vnetWarning(v.Name, s))
}
