package engine

import (
	"fmt"
	"maps"
	"net/netip"
	"strconv"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/topology"
)

// forward sends q, which rule of ruleset rs (linked to VNet v) matches, to
// the rule's targets. The queries leave from the ruleset's outbound
// endpoint; a target answers only when something in the snapshot owns it,
// the endpoint reaches it on UDP and it answers DNS. Targets are tried in
// order; when none answers the query fails with SERVFAIL. A target outside
// the snapshot's address space (on-premises behind a gateway) that the
// endpoint reaches is assumed to answer with the public records, and the
// answer says so (reference §5.6, §10 item 42).
func (e *Engine) forward(res *Resolution, v *topology.VNet, rule *topology.ForwardingRule, rs *topology.Ruleset, q dnsQuery, depth int, seen map[string]bool) {
	cur := q.name
	key := v.Key() + "|" + rule.Key()
	if seen[key] {
		b := dnsFail(answer.CauseDNSForwardLoop, map[string]string{"name": cur, "rule": rule.Name, "ruleset": rs.Name, "vnet": v.Name},
			unpatchable(answer.FixReviewDNS, rs.ID, "unlink ruleset "+rs.Name+" from VNet "+v.Name+", or point rule "+rule.Name+" elsewhere"))
		b.Resource = rs.ID
		fail(res, b)
		return
	}
	seen[key] = true
	targets := make([]string, len(rule.Targets))
	for i, t := range rule.Targets {
		targets[i] = targetString(t)
	}
	res.Chain = append(res.Chain, answer.DNSStep{Name: cur, Type: "FORWARD", Value: strings.Join(targets, ","),
		Source: fmt.Sprintf("rule %s (%s) of ruleset %s linked to VNet %s", rule.Name, rule.Domain, rs.Name, v.Name)})
	if zs := e.linkedZoneFor(v, cur); zs != nil {
		res.Warnings = append(res.Warnings, fmt.Sprintf("both forwarding rule %s and private zone %s linked to VNet %s match %s; which wins is not documented, vnetpath applied the rule", rule.Name, zs.Name, v.Name, cur))
	}
	if len(rule.Targets) == 0 {
		b := dnsFail(answer.CauseDNSNoTarget, map[string]string{"name": cur, "rule": rule.Name},
			unpatchable(answer.FixReviewDNS, rs.ID, "give forwarding rule "+rule.Name+" a target"))
		b.Resource = rs.ID
		fail(res, b)
		return
	}
	ep, epVNet, b := e.rulesetEndpoint(rs)
	if b != nil {
		fail(res, b)
		return
	}
	var whys []string
	for i, t := range rule.Targets {
		ta := e.forwardTarget(ep, epVNet, t, depth)
		if ta.unknown != nil {
			fail(res, ta.unknown)
			return
		}
		if ta.why != "" {
			whys = append(whys, targets[i]+" "+ta.why)
			continue
		}
		if len(whys) > 0 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("forwarding rule %s of ruleset %s: %s; Azure DNS went on to %s (reference §10 item 42)",
				rule.Name, rs.Name, strings.Join(whys, "; "), targets[i]))
		}
		res.Assumptions = append(res.Assumptions, ta.assume...)
		if ta.outside {
			e.outsideAnswer(res, q, cur, targets[i])
			return
		}
		e.resolveIn(res, ta.ctx.vnet, q, depth+1, seen)
		return
	}
	data := map[string]string{"name": cur, "rule": rule.Name, "ruleset": rs.Name, "domain": rule.Domain,
		"targets": strings.Join(targets, ", "), "why": strings.Join(whys, "; "), "endpoint": "outbound endpoint " + ep.Name}
	res.Chain = append(res.Chain, answer.DNSStep{Name: cur, Type: ServFail, Value: "no target answers", Source: "rule " + rule.Name + " of ruleset " + rs.Name})
	fb := dnsFail(answer.CauseDNSForwardTargetDown, data, e.fixForwardTarget(rule, rs, ep))
	fb.Resource = rule.ID
	fail(res, fb)
}

func targetString(t topology.DNSTarget) string {
	if t.Port == 0 || t.Port == 53 {
		return t.IP.String()
	}
	return netip.AddrPortFrom(t.IP, uint16(t.Port)).String()
}

// rulesetEndpoint returns the outbound endpoint a ruleset's queries leave
// from (the first it lists) and its VNet. A listed endpoint the snapshot
// lacks, or the endpoint's missing subnet, makes the answer unknown: the
// query may leave from it (reference §10 item 38).
func (e *Engine) rulesetEndpoint(rs *topology.Ruleset) (*topology.ResolverEndpoint, *topology.VNet, *answer.Blocker) {
	if len(rs.OutboundEndpoints) == 0 {
		return nil, nil, e.missingDNS("the outbound endpoints of ruleset "+rs.Name+" (dnsResolverOutboundEndpoints is empty)", rs.ID)
	}
	var (
		ep      *topology.ResolverEndpoint
		missing []string
	)
	for _, id := range rs.OutboundEndpoints {
		x := e.names().outbound[topology.Key(id)]
		if x == nil {
			missing = append(missing, id)
		} else if ep == nil {
			ep = x
		}
	}
	if len(missing) > 0 {
		return nil, nil, e.missingDNS("outbound endpoint "+shortName(missing[0])+" of ruleset "+rs.Name+", which its rules forward from,", missing...)
	}
	sn, ok := e.snap.Subnet(ep.Subnet)
	if !ok {
		return nil, nil, e.missingDNS("the subnet of outbound endpoint "+ep.Name+" of ruleset "+rs.Name, ep.Subnet)
	}
	v, ok := e.snap.VNet(sn.VNet)
	if !ok {
		return nil, nil, e.missingDNS("VNet "+topology.NameOf(sn.VNet)+" of outbound endpoint "+ep.Name, sn.VNet)
	}
	return ep, v, nil
}

// targetAnswer is whether a forwarding target answers: in a DNS context
// (ctx), as a server outside the snapshot (outside), not at all (why), or
// unknown.
type targetAnswer struct {
	ctx     dnsContext
	outside bool
	why     string
	unknown *answer.Blocker
	assume  []string
}

// forwardTarget decides whether target t answers queries forwarded from
// outbound endpoint ep in VNet epVNet (reference §10 item 42).
func (e *Engine) forwardTarget(ep *topology.ResolverEndpoint, epVNet *topology.VNet, t topology.DNSTarget, depth int) targetAnswer {
	a := t.IP.Unmap()
	port := t.Port
	if port <= 0 || port > 65535 {
		port = 53
	}
	if a == wireServer {
		c := e.serverContext(a, depth+1, epVNet)
		return targetAnswer{ctx: c, assume: []string{fmt.Sprintf("forwarding to 168.63.129.16 is answered by Azure DNS in VNet %s, the outbound endpoint's (the documentation does not say)", epVNet.Name)}}
	}
	owners := e.snap.OwnersOf(a)
	if len(owners) == 0 {
		if b := e.missingSpace(a); b != nil {
			return targetAnswer{unknown: b}
		}
		if vs := e.snap.VNetsContaining(a); len(vs) > 0 {
			return targetAnswer{why: "is held by nothing in the snapshot (it is in the address space of VNet " + vs[0].Name + ")"}
		}
	}
	sn, _ := e.snap.Subnet(ep.Subnet)
	why, inner := e.dnsReach(Source{Subnet: sn}, a, uint16(port))
	if inner != nil && inner.Verdict == answer.Unknown {
		b := *inner
		b.Data = maps.Clone(b.Data)
		return targetAnswer{unknown: &b}
	}
	if why != "" {
		return targetAnswer{why: "is not reachable from outbound endpoint " + ep.Name + " on UDP " + strconv.Itoa(port) + " (" + why + ")"}
	}
	if len(owners) == 0 {
		return targetAnswer{outside: true, assume: []string{fmt.Sprintf("forwarding target %s is outside the snapshot's address space (on-premises behind a gateway, or elsewhere); outbound endpoint %s reaches it and it is assumed to answer with the public records (reference §10 item 42)", a, ep.Name)}}
	}
	c := e.serverContext(a, depth+1, epVNet)
	if c.fail != nil {
		if c.fail.Verdict == answer.Unknown {
			return targetAnswer{unknown: c.fail}
		}
		return targetAnswer{why: "does not answer: " + answer.Explain(*c.fail)}
	}
	return targetAnswer{ctx: c, assume: c.assume}
}

// outsideAnswer ends a resolution forwarded to a server outside the
// snapshot: the public records of a name; for a reverse lookup, names the
// snapshot cannot know.
func (e *Engine) outsideAnswer(res *Resolution, q dnsQuery, cur, target string) {
	if !q.ptr {
		e.publicAnswer(res, cur)
		return
	}
	res.Rcode = NoError
	res.Chain = append(res.Chain, answer.DNSStep{Name: cur, Type: "PTR", Value: "answered by " + target + ", outside the snapshot", Source: "DNS server " + target})
}

// fixForwardTarget repairs a forwarding rule none of whose targets
// answers: point it at the inbound endpoint of a DNS Private Resolver the
// outbound endpoint reaches (in a VNet the ruleset is not linked to, which
// would loop), else disable it so that Azure DNS answers the domain.
func (e *Engine) fixForwardTarget(rule *topology.ForwardingRule, rs *topology.Ruleset, ep *topology.ResolverEndpoint) *answer.Fix {
	linked := map[string]bool{}
	for _, l := range rs.Links {
		linked[topology.Key(l.VNet)] = true
	}
	sn, _ := e.snap.Subnet(ep.Subnet)
	for _, in := range e.names().inbound {
		isn, ok := e.snap.Subnet(in.Subnet)
		if !ok || linked[topology.Key(isn.VNet)] || len(in.IPs) == 0 {
			continue
		}
		ip := in.IPs[0]
		if why, _ := e.dnsReach(Source{Subnet: sn}, ip, 53); why != "" {
			continue
		}
		return &answer.Fix{Resource: rule.ID, Kind: answer.FixSetProperty, Change: "targetDnsServers=" + ip.String() + ":53",
			Data:  map[string]string{"target": ip.String() + " (inbound endpoint " + in.Name + " of DNS resolver " + shortName(in.Resolver) + ")"},
			Patch: []answer.Patch{patchSet(rule.ID, "properties.targetDnsServers", []any{obj{"ipAddress": ip.String(), "port": 53}})},
			Az: "az dns-resolver forwarding-rule update " + rg(rule.ID) + " --ruleset-name " + rs.Name + " -n " + rule.Name +
				" --target-dns-servers ip-address=" + ip.String() + " port=53" + sub(rule.ID)}
	}
	return &answer.Fix{Resource: rule.ID, Kind: answer.FixSetProperty, Change: "forwardingRuleState=Disabled",
		Data:  map[string]string{"disable": "true"},
		Patch: []answer.Patch{patchSet(rule.ID, "properties.forwardingRuleState", "Disabled")},
		Az:    "az dns-resolver forwarding-rule update " + rg(rule.ID) + " --ruleset-name " + rs.Name + " -n " + rule.Name + " --forwarding-rule-state Disabled" + sub(rule.ID)}
}

// fixDNSServers points a client's DNS servers (its NIC's when the NIC sets
// them, else its VNet's) at a server that answers: the inbound endpoint of
// a DNS Private Resolver, else Azure-provided DNS (reference §5.5).
func (e *Engine) fixDNSServers(v *topology.VNet, nic *topology.NIC, origin string) *answer.Fix {
	servers, what := []any{}, "Azure-provided DNS"
	for _, in := range e.names().inbound {
		if len(in.IPs) > 0 {
			servers, what = []any{in.IPs[0].String()}, in.IPs[0].String()+" (inbound endpoint "+in.Name+" of DNS resolver "+shortName(in.Resolver)+")"
			break
		}
	}
	arg := `""`
	if len(servers) > 0 {
		arg = servers[0].(string)
	}
	data := map[string]string{"origin": origin, "servers": what}
	if nic != nil && len(nic.DNSServers) > 0 {
		return &answer.Fix{Resource: nic.ID, Kind: answer.FixSetProperty, Change: "dnsSettings.dnsServers=" + arg, Data: data,
			Patch: []answer.Patch{patchSet(nic.ID, "properties.dnsSettings.dnsServers", servers)},
			Az:    "az network nic update " + rg(nic.ID) + " -n " + nic.Name + " --dns-servers " + arg + sub(nic.ID)}
	}
	return &answer.Fix{Resource: v.ID, Kind: answer.FixSetProperty, Change: "dhcpOptions.dnsServers=" + arg, Data: data,
		Patch: []answer.Patch{patchSet(v.ID, "properties.dhcpOptions.dnsServers", servers)},
		Az:    "az network vnet update " + rg(v.ID) + " -n " + v.Name + " --dns-servers " + arg + sub(v.ID)}
}
