package engine

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/servicetags"
	"github.com/vnetpath/vnetpath/topology"
)

// DNS response codes.
const (
	NoError  = "NOERROR"
	NXDomain = "NXDOMAIN"
	ServFail = "SERVFAIL"
)

// Resolution is the answer of `vnetpath resolve` (SPEC §5): what a name
// resolves to from a VNet, through which resolver, chain and zone.
type Resolution struct {
	Name        string    `json:"name"`
	From        string    `json:"from"`
	Resolver    string    `json:"resolver"`
	Chain       []DNSStep `json:"chain"`
	Addresses   []string  `json:"addresses"`
	Zone        string    `json:"zone,omitempty"`
	Rcode       string    `json:"rcode"`
	Public      bool      `json:"public,omitempty"`    // the answer is the name's public address
	PublicTag   string    `json:"publicTag,omitempty"` // the service tag public addresses of the name belong to
	Expected    []string  `json:"expected,omitempty"`  // private addresses a private endpoint serves the name at
	Endpoint    string    `json:"privateEndpoint,omitempty"`
	Reason      string    `json:"reason,omitempty"`
	Fixes       []string  `json:"fixes,omitempty"`
	Assumptions []string  `json:"assumptions,omitempty"`
	Warnings    []string  `json:"warnings,omitempty"`
}

// DNSStep is one step of a resolution: a forward, a CNAME or an answer.
type DNSStep struct {
	Name   string `json:"name"`
	Type   string `json:"type"`   // FORWARD, CNAME, A, AAAA, NXDOMAIN, PUBLIC
	Value  string `json:"value"`  // the target, addresses or explanation
	Source string `json:"source"` // who answered: public DNS, a zone and its link, a forwarding rule
}

// privateLinkZones maps public DNS suffixes of private-link services to
// the privatelink zone their public CNAME points into (reference §5.3,
// §6.1).
var privateLinkZones = []struct{ public, private string }{
	{"api.azureml.ms", "privatelink.api.azureml.ms"},
	{"notebooks.azure.net", "privatelink.notebooks.azure.net"},
	{"api.ml.azure.us", "privatelink.api.ml.azure.us"},
	{"notebooks.usgovcloudapi.net", "privatelink.notebooks.usgovcloudapi.net"},
	{"api.ml.azure.cn", "privatelink.api.ml.azure.cn"},
	{"notebooks.chinacloudapi.cn", "privatelink.notebooks.chinacloudapi.cn"},
	{"blob.core.windows.net", "privatelink.blob.core.windows.net"},
	{"file.core.windows.net", "privatelink.file.core.windows.net"},
	{"queue.core.windows.net", "privatelink.queue.core.windows.net"},
	{"table.core.windows.net", "privatelink.table.core.windows.net"},
	{"dfs.core.windows.net", "privatelink.dfs.core.windows.net"},
	{"web.core.windows.net", "privatelink.web.core.windows.net"},
	{"vault.azure.net", "privatelink.vaultcore.azure.net"},
	{"vaultcore.azure.net", "privatelink.vaultcore.azure.net"},
	{"azurecr.io", "privatelink.azurecr.io"},
	{"database.windows.net", "privatelink.database.windows.net"},
	{"monitor.azure.com", "privatelink.monitor.azure.com"},
	{"oms.opinsights.azure.com", "privatelink.oms.opinsights.azure.com"},
	{"ods.opinsights.azure.com", "privatelink.ods.opinsights.azure.com"},
	{"agentsvc.azure-automation.net", "privatelink.agentsvc.azure-automation.net"},
}

const maxDNSSteps = 16

// normFQDN lower-cases a name and drops the trailing dot.
func normFQDN(s string) string { return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".") }

// dnsContext is where a client's queries are finally answered by Azure DNS.
type dnsContext struct {
	vnet     *topology.VNet // the VNet whose links and rulesets apply
	resolver string         // description for answers
	server   netip.Addr     // the custom DNS server the client uses, if any
	fail     string         // why resolution cannot happen
	fix      string
	assume   []string
}

// clientContext finds the resolver a client uses (NIC DNS servers, else the
// VNet's, else Azure-provided DNS) and the VNet in whose context its queries
// reach Azure DNS (reference §5.5, §5.6).
func (e *Engine) clientContext(v *topology.VNet, nic *topology.NIC) dnsContext {
	servers := []string{}
	origin := "VNet " + v.Name
	if nic != nil && len(nic.DNSServers) > 0 {
		servers, origin = nic.DNSServers, "NIC "+nic.Name
	} else {
		for _, a := range v.DNSServers {
			servers = append(servers, a.String())
		}
	}
	if len(servers) == 0 || strings.EqualFold(servers[0], "AzureProvidedDNS") {
		return dnsContext{vnet: v, resolver: fmt.Sprintf("Azure-provided DNS (168.63.129.16) in VNet %s", v.Name)}
	}
	a, err := netip.ParseAddr(servers[0])
	if err != nil {
		return dnsContext{vnet: v, fail: fmt.Sprintf("%s's DNS server %q is not an IP address", origin, servers[0]), fix: "set a valid DNS server address on " + origin}
	}
	c := e.serverContext(a, 0)
	c.server = a
	c.resolver = fmt.Sprintf("%s (DNS server %s of %s)", c.resolver, a, origin)
	if len(servers) > 1 {
		c.assume = append(c.assume, fmt.Sprintf("%s lists several DNS servers; clients use the first, %s", origin, a))
	}
	return c
}

// serverContext follows a custom DNS server address to the VNet whose Azure
// DNS context answers for it.
func (e *Engine) serverContext(a netip.Addr, depth int) dnsContext {
	if depth > 4 {
		return dnsContext{fail: fmt.Sprintf("DNS servers forward to each other in a loop at %s", a), fix: "make one of the DNS servers forward to Azure DNS"}
	}
	owners := e.snap.OwnersOf(a)
	if a == wireServer {
		return dnsContext{fail: "168.63.129.16 as a custom DNS server answers in the client's own VNet"}
	}
	if len(owners) == 0 {
		return dnsContext{fail: fmt.Sprintf("DNS server %s is not an address of any resolver, firewall or VM in the snapshot", a),
			fix: fmt.Sprintf("point the DNS servers at a resolver that exists, or add it to the snapshot (%s is assumed to be on-premises or missing)", a)}
	}
	o := owners[0]
	v, _ := e.snap.VNet(o.VNet)
	if v == nil {
		v = &topology.VNet{Meta: topology.Meta{ID: o.VNet, Name: topology.NameOf(o.VNet)}}
	}
	switch o.Kind {
	case topology.OwnerResolverInbound:
		return dnsContext{vnet: v, resolver: fmt.Sprintf("DNS Private Resolver inbound endpoint %s in VNet %s", shortName(o.ID), v.Name)}
	case topology.OwnerFirewall:
		fw, _ := e.snap.Firewall(o.ID)
		cfw := e.firewall(fw)
		if !cfw.dnsProxy {
			return dnsContext{fail: fmt.Sprintf("DNS server %s is firewall %s, which does not have DNS proxy enabled", a, fw.Name),
				fix: fmt.Sprintf("enable DNS proxy on firewall %s (policy %s)", fw.Name, cfw.label)}
		}
		servers := fw.DNSServers
		if cfw.policyID != "" {
			if p, ok := e.snap.FirewallPolicy(cfw.policyID); ok {
				servers = p.DNSServers
			}
		}
		if len(servers) > 0 {
			if b, err := netip.ParseAddr(servers[0]); err == nil {
				c := e.serverContext(b, depth+1)
				c.resolver = fmt.Sprintf("firewall %s DNS proxy → %s", fw.Name, c.resolver)
				return c
			}
		}
		return dnsContext{vnet: v, resolver: fmt.Sprintf("firewall %s DNS proxy in VNet %s", fw.Name, v.Name)}
	case topology.OwnerNIC:
		return dnsContext{vnet: v, resolver: fmt.Sprintf("DNS server VM %s in VNet %s", shortName(o.ID), v.Name),
			assume: []string{fmt.Sprintf("DNS server %s (VM %s) is assumed to forward to Azure DNS from its own VNet %s; its configuration is not in the snapshot", a, shortName(o.ID), v.Name)}}
	}
	return dnsContext{fail: fmt.Sprintf("DNS server %s is %s %s, which does not answer DNS", a, o.Kind, shortName(o.ID)), fix: "point the DNS servers at a resolver"}
}

// ResolveFrom answers `vnetpath resolve`: what name resolves to from a VNet
// or subnet (an ARM ID, a name, or VNET/SUBNET).
func (e *Engine) ResolveFrom(from, name string) (*Resolution, error) {
	if !looksLikeFQDN(name) {
		return nil, &InputError{Arg: "name", Value: name, Msg: "not a DNS name"}
	}
	var (
		v   *topology.VNet
		src *Source
	)
	if sns := e.snap.FindSubnets(from); len(sns) == 1 {
		s := Source{Subnet: sns[0]}
		src = &s
		v, _ = e.snap.VNet(sns[0].VNet)
	} else if len(sns) > 1 {
		return nil, &InputError{Arg: "from", Value: from, Msg: "several subnets match; give the ARM ID", Candidates: subnetIDs(sns)}
	}
	if v == nil {
		vs := e.snap.FindVNets(from)
		switch len(vs) {
		case 0:
			var names []string
			for x := range e.snap.VNets() {
				names = append(names, x.Name)
			}
			return nil, &InputError{Arg: "from", Value: from, Msg: "no VNet or subnet matches", Candidates: names}
		case 1:
			v = vs[0]
		default:
			var ids []string
			for _, x := range vs {
				ids = append(ids, x.ID)
			}
			return nil, &InputError{Arg: "from", Value: from, Msg: "several VNets match; give the ARM ID", Candidates: ids}
		}
	}
	r := e.resolve(v, src, name)
	r.From = from
	return r, nil
}

// resolve resolves name for a client in VNet v (and subnet/NIC src, when
// known: then the path to a custom DNS server is walked too).
func (e *Engine) resolve(v *topology.VNet, src *Source, name string) *Resolution {
	name = normFQDN(name)
	res := &Resolution{Name: name, From: v.ID, Addresses: []string{}}
	var nic *topology.NIC
	if src != nil {
		nic = src.NIC
	}
	dc := e.clientContext(v, nic)
	res.Resolver = dc.resolver
	res.Assumptions = append(res.Assumptions, dc.assume...)
	e.expectPrivate(res)
	if dc.fail != "" {
		res.Rcode, res.Reason = ServFail, dc.fail
		res.Fixes = append(res.Fixes, dc.fix)
		return res
	}
	if dc.server.IsValid() && src != nil {
		if why := e.dnsReach(*src, dc.server); why != "" {
			res.Rcode = ServFail
			res.Reason = fmt.Sprintf("the DNS server %s is not reachable from %s on UDP 53: %s", dc.server, topology.ShortName(src.Subnet.ID), why)
			res.Fixes = append(res.Fixes, fmt.Sprintf("let %s reach its DNS server %s on UDP and TCP 53 (see: vnetpath check --from %s --to %s --protocol udp --port 53)",
				topology.ShortName(src.Subnet.ID), dc.server, topology.ShortName(src.Subnet.ID), dc.server))
			return res
		}
	} else if dc.server.IsValid() {
		res.Assumptions = append(res.Assumptions, fmt.Sprintf("the path from VNet %s to its DNS server %s was not walked (resolve from a subnet to check it)", v.Name, dc.server))
	}
	e.resolveIn(res, dc.vnet, name, 0, map[string]bool{})
	e.explain(res, v, dc)
	return res
}

// dnsReach walks UDP 53 from the source to a DNS server and returns why it
// fails, or "".
func (e *Engine) dnsReach(src Source, server netip.Addr) string {
	w := &walker{e: e, f: flow{proto: UDP, port: 53}}
	st := state{at: e.ctx(src.Subnet), dst: concrete(cidr.SetOfAddr(server)), srcNIC: src.NIC}
	if src.Addr.IsValid() {
		st.src = concrete(cidr.SetOfAddr(src.Addr))
	} else {
		st.src = concrete(cidr.SetOf(src.Subnet.Prefixes...))
	}
	st.origSrc = st.src
	w.start(st)
	for i := range w.outcomes {
		if v, why := w.outcomes[i].verdict(); v != Reachable {
			return fmt.Sprintf("%s: %s", v, why)
		}
	}
	if len(w.outcomes) == 0 {
		return "no path"
	}
	return ""
}

// resolveIn resolves name the way Azure DNS does for queries from VNet v:
// forwarding rulesets linked to v first (longest matching domain), then
// the public CNAME chain checked at each step against private zones linked
// to v (reference §5.2, §5.6, §9).
func (e *Engine) resolveIn(res *Resolution, v *topology.VNet, name string, depth int, seen map[string]bool) {
	if depth > 4 {
		res.Rcode, res.Reason = ServFail, "forwarding rules send the query around in a loop"
		res.Fixes = append(res.Fixes, "remove the forwarding rule that points a VNet's queries back at its own resolver (reference §5.6)")
		return
	}
	cur := name
	for step := 0; step < maxDNSSteps; step++ {
		// Forwarding rules act on the name the client asked for, not on
		// CNAME targets: conditional forwarding must name the public zone
		// (reference §5.3, §10 item 4).
		if step > 0 {
			if rule, rs := e.forwardingRule(v, cur); rule != nil && strings.HasPrefix(rule.Domain, "privatelink.") {
				res.Warnings = append(res.Warnings, fmt.Sprintf("forwarding rule %s of ruleset %s names %s; queries arrive with the public name, so the rule does not apply: forward the public zone instead (reference §5.3)", rule.Name, rs.Name, strings.TrimSuffix(rule.Domain, ".")))
			}
		}
		if rule, rs := e.forwardingRule(v, cur); rule != nil && step == 0 {
			key := v.Key() + "|" + rule.Key()
			if seen[key] {
				res.Rcode, res.Reason = ServFail, fmt.Sprintf("forwarding rule %s of ruleset %s sends %s back to a resolver whose VNet uses the same rule: a loop", rule.Name, rs.Name, cur)
				res.Fixes = append(res.Fixes, fmt.Sprintf("unlink ruleset %s from VNet %s, or point rule %s elsewhere (reference §5.6)", rs.Name, v.Name, rule.Name))
				return
			}
			seen[key] = true
			target := ""
			if len(rule.Targets) > 0 {
				target = rule.Targets[0].IP.String()
			}
			res.Chain = append(res.Chain, DNSStep{Name: cur, Type: "FORWARD", Value: target, Source: fmt.Sprintf("rule %s (%s) of ruleset %s linked to VNet %s", rule.Name, rule.Domain, rs.Name, v.Name)})
			if zs := e.linkedZoneFor(v, cur); zs != nil {
				res.Warnings = append(res.Warnings, fmt.Sprintf("both forwarding rule %s and private zone %s linked to VNet %s match %s; which wins is not documented, vnetpath applied the rule", rule.Name, zs.Name, v.Name, cur))
			}
			if len(rule.Targets) == 0 {
				res.Rcode, res.Reason = ServFail, fmt.Sprintf("forwarding rule %s has no target", rule.Name)
				return
			}
			tc := e.serverContext(rule.Targets[0].IP, depth+1)
			res.Assumptions = append(res.Assumptions, tc.assume...)
			if tc.fail != "" {
				res.Assumptions = append(res.Assumptions, fmt.Sprintf("forwarding target %s is outside the snapshot (%s); it is assumed to answer with the public records", target, tc.fail))
				e.publicAnswer(res, cur)
				return
			}
			e.resolveIn(res, tc.vnet, cur, depth+1, seen)
			return
		}
		if z := e.linkedZoneFor(v, cur); z != nil {
			link := e.linkOf(z, v)
			rec, ok := findRecord(z, cur)
			src := fmt.Sprintf("private zone %s (linked to VNet %s)", z.Name, v.Name)
			if !ok {
				if link != nil && strings.EqualFold(link.ResolutionPolicy, topology.ResolutionNxDomainRedirect) {
					res.Chain = append(res.Chain, DNSStep{Name: cur, Type: "NXDOMAIN", Value: "redirected to public resolution", Source: src + ", resolutionPolicy NxDomainRedirect"})
					e.publicAnswer(res, cur)
					return
				}
				res.Rcode, res.Zone = NXDomain, z.ID
				res.Chain = append(res.Chain, DNSStep{Name: cur, Type: "NXDOMAIN", Value: "no record", Source: src})
				res.Reason = fmt.Sprintf("private zone %s is linked to VNet %s but has no record for %s, so Azure DNS answers NXDOMAIN (reference §5.2)", z.Name, v.Name, cur)
				rel := relName(cur, z.Name)
				res.Fixes = append(res.Fixes, fmt.Sprintf("add the record %s to zone %s (a DNS zone group on the private endpoint keeps it current), or set resolutionPolicy NxDomainRedirect on the link of zone %s to VNet %s", rel, z.Name, z.Name, v.Name))
				return
			}
			switch rec.Type {
			case "CNAME":
				res.Chain = append(res.Chain, DNSStep{Name: cur, Type: "CNAME", Value: rec.CNAME, Source: src})
				cur = rec.CNAME
				continue
			default:
				var as []string
				for _, a := range rec.Addrs {
					as = append(as, a.String())
				}
				res.Chain = append(res.Chain, DNSStep{Name: cur, Type: rec.Type, Value: strings.Join(as, ","), Source: src})
				res.Addresses = as
				res.Rcode, res.Zone = NoError, z.ID
				return
			}
		}
		if pl, ok := e.privateLinkName(cur); ok {
			res.Chain = append(res.Chain, DNSStep{Name: cur, Type: "CNAME", Value: pl, Source: "public DNS"})
			cur = pl
			continue
		}
		e.publicAnswer(res, cur)
		return
	}
	res.Rcode, res.Reason = ServFail, "the CNAME chain is longer than 16 steps"
	res.Fixes = append(res.Fixes, "break the CNAME loop in the private zones")
}

// publicAnswer ends a resolution at the public records of name.
func (e *Engine) publicAnswer(res *Resolution, cur string) {
	res.Rcode, res.Public = NoError, true
	tag := ""
	if t, ok := servicetags.TagForFQDN(res.Name); ok {
		tag = t.Tag
	} else if t, ok := servicetags.TagForFQDN(cur); ok {
		tag = t.Tag
	}
	res.PublicTag = tag
	v := "public address"
	if tag != "" {
		v += " (service tag " + tag + ")"
	}
	res.Chain = append(res.Chain, DNSStep{Name: cur, Type: "PUBLIC", Value: v, Source: "public DNS"})
}

// forwardingRule returns the enabled forwarding rule with the longest
// domain matching name among the rulesets linked to v.
func (e *Engine) forwardingRule(v *topology.VNet, name string) (*topology.ForwardingRule, *topology.Ruleset) {
	var (
		best   *topology.ForwardingRule
		bestRS *topology.Ruleset
	)
	fq := name + "."
	for _, id := range e.snap.RulesetsLinkedTo(v.ID) {
		rs, ok := e.snap.Ruleset(id)
		if !ok {
			continue
		}
		for i := range rs.Rules {
			r := &rs.Rules[i]
			if !r.Enabled {
				continue
			}
			if r.Domain == "." || fq == r.Domain || strings.HasSuffix(fq, "."+r.Domain) {
				if best == nil || len(r.Domain) > len(best.Domain) {
					best, bestRS = r, rs
				}
			}
		}
	}
	return best, bestRS
}

// linkedZoneFor returns the private zone linked to v with the longest name
// that is name or a suffix of it.
func (e *Engine) linkedZoneFor(v *topology.VNet, name string) *topology.PrivateZone {
	var best *topology.PrivateZone
	for _, l := range e.snap.ZoneLinksOf(v.ID) {
		z, ok := e.snap.PrivateZone(l.Zone)
		if !ok {
			continue
		}
		if name == z.Name || strings.HasSuffix(name, "."+z.Name) {
			if best == nil || len(z.Name) > len(best.Name) {
				best = z
			}
		}
	}
	return best
}

func (e *Engine) linkOf(z *topology.PrivateZone, v *topology.VNet) *topology.ZoneLink {
	for i := range z.Links {
		if topology.SameID(z.Links[i].VNet, v.ID) {
			return &z.Links[i]
		}
	}
	return nil
}

func relName(name, zone string) string {
	if name == zone {
		return "@"
	}
	return strings.TrimSuffix(name, "."+zone)
}

// findRecord looks up name in zone: an exact record, else the closest
// wildcard ("*.x").
func findRecord(z *topology.PrivateZone, name string) (topology.DNSRecord, bool) {
	rel := relName(name, z.Name)
	for _, r := range z.Records {
		if strings.EqualFold(r.Name, rel) {
			return r, true
		}
	}
	labels := strings.Split(rel, ".")
	for i := 1; i <= len(labels); i++ {
		wild := "*"
		if i < len(labels) {
			wild = "*." + strings.Join(labels[i:], ".")
		}
		for _, r := range z.Records {
			if strings.EqualFold(r.Name, wild) {
				return r, true
			}
		}
	}
	return topology.DNSRecord{}, false
}

// privateLinkName returns the privatelink name public DNS CNAMEs name to,
// when the name belongs to a resource with a private endpoint in the
// snapshot or a privatelink record exists for it (reference §5.2).
// Resources without a private endpoint have no such CNAME.
func (e *Engine) privateLinkName(name string) (string, bool) {
	if strings.Contains(name, ".privatelink.") || strings.HasPrefix(name, "privatelink.") {
		return "", false
	}
	// <endpoint>.<region>.inference.ml.azure.com → <endpoint>.<guid>.inference.<region>.privatelink.api.azureml.ms
	if rest, ok := strings.CutSuffix(name, ".inference.ml.azure.com"); ok {
		i := strings.LastIndex(rest, ".")
		if i <= 0 {
			return "", false
		}
		endpoint, region := rest[:i], rest[i+1:]
		for w := range e.snap.Workspaces() {
			if strings.EqualFold(w.Location, region) && w.WorkspaceID != "" && e.workspaceHasPE(w) {
				return fmt.Sprintf("%s.%s.inference.%s.privatelink.api.azureml.ms", endpoint, strings.ToLower(w.WorkspaceID), region), true
			}
		}
		return "", false
	}
	for _, z := range privateLinkZones {
		label, ok := strings.CutSuffix(name, "."+z.public)
		if !ok || label == "" {
			continue
		}
		pl := label + "." + z.private
		if e.hasPrivateEndpointFor(name) || e.anyZoneHas(z.private, pl) {
			return pl, true
		}
		return "", false
	}
	return "", false
}

// hasPrivateEndpointFor reports whether a private endpoint in the snapshot
// serves name (its custom DNS configs or NIC FQDNs list it), or name is an
// FQDN of a workspace that has a private endpoint.
func (e *Engine) hasPrivateEndpointFor(name string) bool {
	if _, ok := e.endpointFor(name); ok {
		return true
	}
	w := e.names().workspaces[name]
	return w != nil && e.workspaceHasPE(w)
}

// nameIndex maps DNS names to the private endpoints and workspaces that
// serve them, built once per engine.
type nameIndex struct {
	endpoints  map[string]peAnswer // exact names
	wildcards  []wildAnswer        // "*.x" names, longest suffix first
	workspaces map[string]*topology.Workspace
	wsWild     []wildWorkspace
}

type wildAnswer struct {
	suffix string // ".x" for "*.x"
	ans    peAnswer
}

type wildWorkspace struct {
	suffix string
	ws     *topology.Workspace
}

func (e *Engine) names() *nameIndex {
	e.namesOnce.Do(func() {
		ix := &nameIndex{endpoints: map[string]peAnswer{}, workspaces: map[string]*topology.Workspace{}}
		add := func(fqdn string, a peAnswer) {
			f := normFQDN(fqdn)
			if rest, ok := strings.CutPrefix(f, "*"); ok {
				ix.wildcards = append(ix.wildcards, wildAnswer{rest, a})
			} else if _, dup := ix.endpoints[f]; !dup {
				ix.endpoints[f] = a
			}
		}
		for pe := range e.snap.PrivateEndpoints() {
			for _, d := range pe.CustomDNSConfigs {
				add(d.FQDN, peAnswer{pe, d.IPs})
			}
			for _, nid := range pe.NICs {
				if n, ok := e.snap.NIC(nid); ok {
					for _, c := range n.IPConfigs {
						for _, f := range c.PrivateLinkFQDNs {
							add(f, peAnswer{pe, []netip.Addr{c.PrivateIP}})
						}
					}
				}
			}
		}
		for w := range e.snap.Workspaces() {
			for _, f := range WorkspaceFQDNs(w) {
				if rest, ok := strings.CutPrefix(f.FQDN, "*"); ok {
					ix.wsWild = append(ix.wsWild, wildWorkspace{rest, w})
				} else if _, dup := ix.workspaces[f.FQDN]; !dup {
					ix.workspaces[f.FQDN] = w
				}
			}
		}
		slices.SortStableFunc(ix.wildcards, func(a, b wildAnswer) int { return len(b.suffix) - len(a.suffix) })
		slices.SortStableFunc(ix.wsWild, func(a, b wildWorkspace) int { return len(b.suffix) - len(a.suffix) })
		e.nameIx = ix
	})
	return e.nameIx
}

// endpointFor returns the private endpoint whose DNS configuration lists
// name (an exact entry before the longest matching wildcard), with the
// addresses it serves the name at.
func (e *Engine) endpointFor(name string) (peAnswer, bool) {
	ix := e.names()
	if a, ok := ix.endpoints[name]; ok {
		return a, true
	}
	for _, w := range ix.wildcards {
		if strings.HasSuffix(name, w.suffix) {
			return w.ans, true
		}
	}
	return peAnswer{}, false
}

type peAnswer struct {
	pe    *topology.PrivateEndpoint
	addrs []netip.Addr
}

func (e *Engine) anyZoneHas(zone, name string) bool {
	for _, id := range e.snap.ZonesNamed(zone) {
		z, ok := e.snap.PrivateZone(id)
		if !ok {
			continue
		}
		if _, ok := findRecord(z, name); ok {
			return true
		}
	}
	return false
}

func (e *Engine) workspaceHasPE(w *topology.Workspace) bool {
	for _, id := range e.snap.PrivateEndpointsFor(w.ID) {
		if pe, ok := e.snap.PrivateEndpoint(id); ok {
			for _, c := range pe.Connections {
				if topology.SameID(c.Target, w.ID) {
					return true
				}
			}
		}
	}
	return false
}

// expectPrivate fills in the private endpoint that serves the name, if any.
func (e *Engine) expectPrivate(res *Resolution) {
	pa, ok := e.endpointFor(res.Name)
	if !ok {
		return
	}
	res.Endpoint = pa.pe.ID
	for _, a := range pa.addrs {
		res.Expected = append(res.Expected, a.String())
	}
}

// explain says why a name resolved publicly although a private endpoint
// serves it: which zone is missing from which VNet.
func (e *Engine) explain(res *Resolution, client *topology.VNet, dc dnsContext) {
	if !res.Public || res.Endpoint == "" {
		return
	}
	pe, _ := e.snap.PrivateEndpoint(res.Endpoint)
	zone := ""
	for _, st := range res.Chain {
		if st.Type == "CNAME" && strings.Contains(st.Value, "privatelink.") {
			zone = st.Value[strings.Index(st.Value, "privatelink."):]
			for _, z := range privateLinkZones {
				if strings.HasSuffix(st.Value, "."+z.private) {
					zone = z.private
				}
			}
		}
	}
	if zone == "" {
		for _, z := range privateLinkZones {
			if strings.HasSuffix(res.Name, "."+z.public) {
				zone = z.private
			}
		}
	}
	where := "VNet " + dc.vnet.Name
	if dc.vnet.ID != client.ID {
		where = fmt.Sprintf("VNet %s (where %s answers for %s)", dc.vnet.Name, dc.resolver, client.Name)
	}
	exists := len(e.snap.ZonesNamed(zone)) > 0
	var why, fix string
	switch {
	case zone == "":
		why = "no private zone serves this name"
		fix = fmt.Sprintf("create the privatelink zone for %s and link it to %s", res.Name, where)
	case !exists:
		why = fmt.Sprintf("zone %s does not exist in the snapshot", zone)
		fix = fmt.Sprintf("create private DNS zone %s with the endpoint's records (a DNS zone group on %s) and link it to %s", zone, pe.Name, where)
	default:
		why = fmt.Sprintf("zone %s is not linked to %s", zone, where)
		fix = fmt.Sprintf("link private DNS zone %s to VNet %s", zone, dc.vnet.Name)
		if dc.vnet.ID == client.ID && len(client.DNSServers) == 0 {
			fix += fmt.Sprintf(", or point VNet %s's DNS servers at a resolver in a VNet that is linked", client.Name)
		}
	}
	res.Reason = fmt.Sprintf("%s resolves to its public address; private endpoint %s at %s is not used because %s",
		res.Name, pe.Name, strings.Join(res.Expected, ", "), why)
	res.Fixes = append(res.Fixes, fix)
}

// fqdnDest resolves a name from the source's DNS context and turns the
// answer into a destination.
func (e *Engine) fqdnDest(src Source, name string, fam cidr.Set) (destination, error) {
	name = normFQDN(name)
	v, _ := e.snap.VNet(src.Subnet.VNet)
	if v == nil {
		v = &topology.VNet{Meta: topology.Meta{ID: src.Subnet.VNet, Name: topology.NameOf(src.Subnet.VNet)}}
	}
	res := e.resolve(v, &src, name)
	res.From = src.ID()
	d := destination{fqdn: name, res: res}
	d.warnings = append(d.warnings, res.Warnings...)
	if res.Rcode != NoError {
		d.unresolved = true
		d.labels = []string{}
		return d, nil
	}
	if !res.Public {
		var b cidr.Builder
		for _, a := range res.Addresses {
			if ip, err := netip.ParseAddr(a); err == nil {
				b.AddAddr(ip)
			}
		}
		d.addrs = concrete(b.Set().Intersect(fam))
		d.labels = slices.Clone(res.Addresses)
		if d.addrs.empty() {
			return destination{}, &InputError{Arg: "to", Value: name, Msg: "resolves to addresses of a family the source does not have: " + strings.Join(res.Addresses, ", ")}
		}
		return d, nil
	}
	if res.PublicTag == "" {
		return destination{}, &InputError{Arg: "to", Value: name,
			Msg: "resolves to a public address that vnetpath cannot know offline (it is not in the well-known FQDN table); give its IP address or tag:NAME"}
	}
	td, err := e.tagDest(src, res.PublicTag, fam)
	if err != nil {
		return destination{}, err
	}
	td.fqdn, td.res = name, res
	td.warnings = append(d.warnings, td.warnings...)
	if w := e.workspaceOf(name); w != nil && res.Endpoint != "" {
		if strings.EqualFold(w.PublicNetworkAccess, topology.PublicAccessDisabled) {
			td.bypassed = res.Reason + fmt.Sprintf("; workspace %s refuses public network access, so requests get HTTP 403", w.Name)
			if len(res.Fixes) > 0 {
				td.bypassFix = res.Fixes[0]
			}
		} else {
			td.warnings = append(td.warnings, res.Reason+fmt.Sprintf("; workspace %s allows public access, so the public path was checked", w.Name))
		}
	} else if res.Endpoint != "" {
		td.warnings = append(td.warnings, res.Reason)
	}
	return td, nil
}

// workspaceOf returns the workspace whose FQDN name is, or whose private
// endpoint serves name.
func (e *Engine) workspaceOf(name string) *topology.Workspace {
	ix := e.names()
	if w, ok := ix.workspaces[name]; ok {
		return w
	}
	for _, x := range ix.wsWild {
		if strings.HasSuffix(name, x.suffix) {
			return x.ws
		}
	}
	if pa, ok := e.endpointFor(name); ok {
		for _, c := range pa.pe.Connections {
			if w, ok := e.snap.Workspace(c.Target); ok {
				return w
			}
		}
	}
	return nil
}
