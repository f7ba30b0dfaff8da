package engine

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/servicetags"
	"github.com/vnetpath/vnetpath/topology"
)

// DNS response codes, as answer.Resolution spells them.
const (
	NoError  = answer.NoError
	NXDomain = answer.NXDomain
	ServFail = answer.ServFail
)

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

// dnsQuery is one question to DNS.
type dnsQuery struct {
	name string     // normalised; the reverse name for a PTR query
	ptr  bool       // a reverse lookup of addr
	addr netip.Addr // PTR: the address asked about
	// expect is, for a PTR query, the name the address should reverse to
	// (an FQDN the private endpoint holding it serves), when one does.
	expect string
	// ws is the workspace a profile entry belongs to: it says whose online
	// endpoints a shared inference name means.
	ws *topology.Workspace
}

// dnsContext is where a client's queries are finally answered by Azure DNS.
type dnsContext struct {
	vnet     *topology.VNet  // the VNet whose links and rulesets apply
	resolver string          // description for answers
	server   netip.Addr      // the custom DNS server the client uses, if any
	fail     *answer.Blocker // why resolution cannot happen (verdict unknown when it depends on what the snapshot lacks)
	assume   []string
}

// clientContext finds the resolver a client uses (NIC DNS servers, else the
// VNet's, else Azure-provided DNS) and the VNet in whose context its queries
// reach Azure DNS (reference §5.5, §5.6). 168.63.129.16 listed as a DNS
// server is Azure-provided DNS itself (§10 item 33).
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
		return dnsContext{vnet: v, fail: dnsFail(answer.CauseDNSServerInvalid, map[string]string{"origin": origin, "server": servers[0]}, e.fixDNSServers(v, nic, origin))}
	}
	var c dnsContext
	if a.Unmap() == wireServer {
		c = dnsContext{vnet: v, resolver: fmt.Sprintf("Azure-provided DNS (168.63.129.16, the DNS server of %s) in VNet %s", origin, v.Name)}
	} else {
		c = e.serverContext(a, 0, v)
		c.server = a
		c.resolver = fmt.Sprintf("%s (DNS server %s of %s)", c.resolver, a, origin)
		if c.fail != nil && c.fail.Cause == answer.CauseDNSServerUnknown {
			c.fail.Fix = e.fixDNSServers(v, nic, origin)
			c.fail.Resource = c.fail.Fix.Resource
		}
	}
	if len(servers) > 1 {
		c.assume = append(c.assume, fmt.Sprintf("%s lists several DNS servers; clients use the first, %s", origin, a))
	}
	return c
}

// ctxKey names a client's DNS context: its VNet (by ID) and NIC.
type ctxKey struct {
	vnet string
	nic  *topology.NIC
}

// clientContextShared is clientContext, memoised on the shared path when
// it succeeds (a failure's blocker is completed per answer, so it is made
// afresh). The context is read-only.
func (e *Engine) clientContextShared(v *topology.VNet, nic *topology.NIC) dnsContext {
	if e.opts.PerPair {
		return e.clientContext(v, nic)
	}
	k := ctxKey{v.ID, nic}
	if c, ok := e.dnsCtxs.Load(k); ok {
		return c
	}
	c := e.clientContext(v, nic)
	if c.fail == nil {
		c.assume = slices.Clip(c.assume)
		e.dnsCtxs.Store(k, c)
	}
	return c
}

// serverContext follows a custom DNS server address to the VNet whose Azure
// DNS context answers for it. from is the VNet the query to the server is
// sent from: 168.63.129.16 answers there (reference §10 item 33).
func (e *Engine) serverContext(a netip.Addr, depth int, from *topology.VNet) dnsContext {
	a = a.Unmap()
	if depth > 4 {
		return dnsContext{fail: dnsFail(answer.CauseDNSServerLoop, map[string]string{"server": a.String()},
			unpatchable(answer.FixReviewDNS, "", "make one of the DNS servers forward to Azure DNS"))}
	}
	if a == wireServer && from != nil {
		return dnsContext{vnet: from, resolver: fmt.Sprintf("Azure-provided DNS (168.63.129.16) in VNet %s", from.Name)}
	}
	owners := e.snap.OwnersOf(a)
	if len(owners) == 0 {
		if b := e.missingSpace(a); b != nil {
			return dnsContext{fail: b}
		}
		if b := e.missingResolverAt(a); b != nil {
			return dnsContext{fail: b}
		}
		if fs := e.snap.LoadBalancerFrontendsAt(a); len(fs) > 0 {
			// DNS servers behind an internal load balancer (reference
			// §10 item 43): like a DNS server VM, assumed to forward to
			// Azure DNS from their VNet.
			f := fs[0]
			sn, _ := e.snap.Subnet(f.Frontend().Subnet)
			if sn == nil {
				return dnsContext{fail: e.missingDNS("the subnet of load balancer "+f.LB.Name+"'s frontend "+f.Frontend().Name+" ("+a.String()+")", f.Frontend().Subnet)}
			}
			v, _ := e.snap.VNet(sn.VNet)
			if v == nil {
				return dnsContext{fail: e.missingDNS("VNet "+topology.NameOf(sn.VNet)+", which holds DNS server "+a.String()+",", sn.VNet)}
			}
			return dnsContext{vnet: v, resolver: fmt.Sprintf("DNS servers behind load balancer %s (frontend %s) in VNet %s", f.LB.Name, f.Frontend().Name, v.Name),
				assume: []string{fmt.Sprintf("the DNS servers behind load balancer %s (%s) are assumed to forward to Azure DNS from their VNet %s; their configuration is not in the snapshot", f.LB.Name, a, v.Name)}}
		}
		return dnsContext{fail: dnsFail(answer.CauseDNSServerUnknown, map[string]string{"server": a.String()},
			unpatchable(answer.FixReviewDNS, "", "point the DNS servers at a resolver that exists"))}
	}
	o := owners[0]
	v, _ := e.snap.VNet(o.VNet)
	if v == nil {
		v = &topology.VNet{Meta: topology.Meta{ID: o.VNet, Name: topology.NameOf(o.VNet)}}
	}
	switch o.Kind {
	case topology.OwnerResolverInbound:
		if _, ok := e.snap.Subnet(o.Subnet); !ok && o.Subnet != "" {
			return dnsContext{fail: e.missingDNS("the subnet of DNS resolver inbound endpoint "+shortName(o.ID)+" ("+a.String()+")", o.Subnet)}
		}
		return dnsContext{vnet: v, resolver: fmt.Sprintf("DNS Private Resolver inbound endpoint %s in VNet %s", shortName(o.ID), v.Name)}
	case topology.OwnerFirewall:
		fw, _ := e.snap.Firewall(o.ID)
		cfw := e.firewall(fw)
		if !cfw.dnsProxy {
			data := map[string]string{"server": a.String(), "firewall": fw.Name}
			if cfw.policyID != "" {
				data["policy"] = cfw.label
			}
			b := dnsFail(answer.CauseDNSProxyOff, data, e.fixDNSProxy(fw, cfw))
			b.Resource = fw.ID
			return dnsContext{fail: b}
		}
		servers := fw.DNSServers
		if cfw.policyID != "" {
			if p, ok := e.snap.FirewallPolicy(cfw.policyID); ok {
				servers = p.DNSServers
			}
		}
		if len(servers) > 0 {
			if b, err := netip.ParseAddr(servers[0]); err == nil {
				c := e.serverContext(b, depth+1, v)
				c.resolver = fmt.Sprintf("firewall %s DNS proxy → %s", fw.Name, c.resolver)
				return c
			}
		}
		return dnsContext{vnet: v, resolver: fmt.Sprintf("firewall %s DNS proxy in VNet %s", fw.Name, v.Name)}
	case topology.OwnerNIC:
		return dnsContext{vnet: v, resolver: fmt.Sprintf("DNS server VM %s in VNet %s", shortName(o.ID), v.Name),
			assume: []string{fmt.Sprintf("DNS server %s (VM %s) is assumed to forward to Azure DNS from its own VNet %s; its configuration is not in the snapshot", a, shortName(o.ID), v.Name)}}
	}
	return dnsContext{fail: dnsFail(answer.CauseDNSServerNotResolver, map[string]string{"server": a.String(), "kind": string(o.Kind), "owner": shortName(o.ID)},
		unpatchable(answer.FixReviewDNS, o.ID, "point the DNS servers at a resolver"))}
}

// ResolveFrom answers `vnetpath resolve`: what name resolves to from a VNet
// or subnet (an ARM ID, a name, or VNET/SUBNET). A name that is an IPv4 or
// IPv6 address asks for its reverse name (PTR), as `dig -x` does
// (reference §10 item 36).
func (e *Engine) ResolveFrom(from, name string) (*Resolution, error) {
	q := dnsQuery{name: normFQDN(name)}
	if a, err := netip.ParseAddr(strings.TrimSpace(name)); err == nil {
		q = e.ptrQuery(a.Unmap())
	} else if !looksLikeFQDN(name) {
		return nil, &InputError{Arg: "name", Value: name, Msg: "not a DNS name or an IP address"}
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
	r := e.resolve(v, src, q)
	r.From = from
	return r, nil
}

// resolve answers q for a client in VNet v (and subnet/NIC src, when
// known: then the path to a custom DNS server is walked too).
func (e *Engine) resolve(v *topology.VNet, src *Source, q dnsQuery) *Resolution {
	res := &Resolution{Name: q.name, From: v.ID, Addresses: []string{}}
	if q.ptr {
		res.Type, res.Address, res.Names = "PTR", q.addr.String(), []string{}
	}
	var nic *topology.NIC
	if src != nil {
		nic = src.NIC
	}
	dc := e.clientContextShared(v, nic)
	res.Resolver = dc.resolver
	res.Assumptions = append(res.Assumptions, dc.assume...)
	if !q.ptr {
		e.expectPrivate(res, q.ws)
	}
	if dc.fail != nil {
		fail(res, dc.fail)
		return res
	}
	if dc.server.IsValid() && src != nil {
		if why, inner := e.dnsReach(*src, dc.server, 53); why != "" {
			if inner != nil && inner.Verdict == answer.Unknown {
				// The path to the server depends on what the snapshot
				// lacks: so does every answer the server gives.
				b := *inner
				b.Data = maps.Clone(b.Data)
				fail(res, &b)
				return res
			}
			fix := unpatchable(answer.FixReviewDNS, src.Subnet.ID, "let the subnet reach its DNS server on UDP 53")
			if inner != nil && inner.Fix != nil {
				f := *inner.Fix
				f.Data = maps.Clone(f.Data)
				if f.Data == nil {
					f.Data = map[string]string{}
				}
				f.Data["inner"] = answer.FixText(f, *inner)
				fix = &f
			}
			b := dnsFail(answer.CauseDNSUnreachable, map[string]string{"server": dc.server.String(), "subnet": topology.ShortName(src.Subnet.ID), "why": why}, fix)
			b.Resource = src.Subnet.ID
			fail(res, b)
			return res
		}
	} else if dc.server.IsValid() {
		res.Assumptions = append(res.Assumptions, fmt.Sprintf("the path from VNet %s to its DNS server %s was not walked (resolve from a subnet to check it)", v.Name, dc.server))
	}
	e.resolveInShared(res, dc.vnet, q)
	e.explain(res, v, dc)
	if res.Public && res.Blocker == nil && !q.ptr {
		if b := e.missingEndpointOf(q.name, q.ws); b != nil {
			fail(res, b)
		}
	}
	return res
}

// resolveKey names what decides how Azure DNS answers in a VNet's context:
// the VNet (by ID) and the query. Every client whose queries end up there
// (the spokes that use one hub resolver) gets the same answer.
type resolveKey struct {
	vnet   string
	name   string
	ptr    bool
	addr   netip.Addr
	expect string
	ws     *topology.Workspace
}

// resolveInShared is resolveIn, memoised on the shared path by what
// decides it. resolveIn reads the query and what expectPrivate set, and
// adds to the assumptions: the memo holds what it made from a resolution
// without the client's From, Resolver and Assumptions, and those are put
// back (the client's assumptions first).
func (e *Engine) resolveInShared(res *Resolution, v *topology.VNet, q dnsQuery) {
	if e.opts.PerPair {
		e.resolveIn(res, v, q, 0, map[string]bool{})
		return
	}
	from, resolver, assume := res.From, res.Resolver, res.Assumptions
	key := resolveKey{vnet: v.ID, name: q.name, ptr: q.ptr, addr: q.addr, expect: q.expect, ws: q.ws}
	if r, ok := e.resolutions.Load(key); ok {
		*res = *r
	} else {
		res.From, res.Resolver, res.Assumptions = "", "", nil
		e.resolveIn(res, v, q, 0, map[string]bool{})
		c := clipResolution(*res)
		e.resolutions.Store(key, &c)
		*res = c
	}
	res.From, res.Resolver = from, resolver
	if len(assume) > 0 {
		res.Assumptions = append(slices.Clip(assume), res.Assumptions...)
	}
}

// clipResolution returns r with its lists clipped to their length, so that
// a copy that appends to one reallocates instead of writing into the list
// the copies share.
func clipResolution(r Resolution) Resolution {
	r.Names = slices.Clip(r.Names)
	r.Chain = slices.Clip(r.Chain)
	r.Addresses = slices.Clip(r.Addresses)
	r.Expected = slices.Clip(r.Expected)
	r.Fixes = slices.Clip(r.Fixes)
	r.Assumptions = slices.Clip(r.Assumptions)
	r.Warnings = slices.Clip(r.Warnings)
	return r
}

// reachKey names a walk to a DNS server: the same for every name a
// source resolves.
type reachKey struct {
	subnet *topology.Subnet
	nic    *topology.NIC
	addr   netip.Addr
	server netip.Addr
	port   uint16
}

type reachResult struct {
	why   string
	inner *answer.Blocker // read-only
}

// dnsReach walks UDP to a DNS server's port from the source and returns
// why it fails, or "", with the blocker that decided. The walk is made once
// per source, server and port: every name the source resolves goes the same
// way.
func (e *Engine) dnsReach(src Source, server netip.Addr, port uint16) (string, *answer.Blocker) {
	key := reachKey{src.Subnet, src.NIC, src.Addr, server, port}
	if r, ok := e.reach.Load(key); ok {
		return r.why, r.inner
	}
	if e.classReaches(src, server, port) {
		e.reach.Store(key, reachResult{})
		return "", nil
	}
	why, inner := e.walkToDNS(src, server, port)
	e.reach.Store(key, reachResult{why, inner})
	return why, inner
}

func (e *Engine) walkToDNS(src Source, server netip.Addr, port uint16) (string, *answer.Blocker) {
	w := &walker{e: e, f: flow{proto: UDP, port: port}, srcCtx: e.ctx(src.Subnet), dst: concrete(e.intern(cidr.SetOfAddr(server)))}
	w.start(e.startState(src, w.srcCtx, w.dst))
	for i := range w.outcomes {
		if v, b := w.outcomes[i].decider(); v != answer.Reachable {
			_, why := w.reason(&w.outcomes[i])
			x := b.done()
			return string(v) + ": " + why, &x
		}
	}
	if len(w.outcomes) == 0 {
		return "no path", nil
	}
	return "", nil
}

// resolveIn resolves q the way Azure DNS does for queries from VNet v:
// forwarding rulesets linked to v first (longest matching domain), then
// the public CNAME chain checked at each step against private zones linked
// to v (reference §5.2, §5.6, §9); a reverse lookup that no zone answers
// gets Azure-provided reverse names (§10 item 36). What the snapshot lacks
// (a zone's record sets, the links of a zone, the VNet itself) makes the
// answer unknown where it could change it (§10 item 38).
func (e *Engine) resolveIn(res *Resolution, v *topology.VNet, q dnsQuery, depth int, seen map[string]bool) {
	if depth > 4 {
		fail(res, dnsFail(answer.CauseDNSForwardLoop, map[string]string{"name": q.name},
			unpatchable(answer.FixReviewDNS, v.ID, "remove the forwarding rule that points a VNet's queries back at its own resolver")))
		return
	}
	_, known := e.snap.VNet(v.ID)
	cur := q.name
	for step := 0; step < maxDNSSteps; step++ {
		// Forwarding rules act on the name the client asked for, not on
		// CNAME targets: conditional forwarding must name the public zone
		// (reference §5.3, §10 item 4).
		if step > 0 {
			if rule, rs := e.forwardingRule(v, cur); rule != nil && strings.HasPrefix(rule.Domain, "privatelink.") {
				res.Warnings = append(res.Warnings, fmt.Sprintf("forwarding rule %s of ruleset %s names %s; queries arrive with the public name, so the rule does not apply: forward the public zone instead (reference §5.3)", rule.Name, rs.Name, strings.TrimSuffix(rule.Domain, ".")))
			}
		}
		if step == 0 {
			if rule, rs := e.forwardingRule(v, cur); rule != nil {
				e.forward(res, v, rule, rs, q, depth, seen)
				return
			}
		}
		z := e.linkedZoneFor(v, cur)
		if b := e.unlinkedCandidate(v, z, cur); b != nil {
			fail(res, b)
			return
		}
		if b := e.missingZoneFor(z, cur); b != nil {
			fail(res, b)
			return
		}
		if z != nil {
			link := e.linkOf(z, v)
			rec, ok, wild := findRecord(z, cur, q.ptr)
			src := fmt.Sprintf("private zone %s (linked to VNet %s)", z.Name, v.Name)
			if (!ok || wild) && !z.RecordsComplete() {
				// An unexported record set may hold the name (or one that
				// beats the wildcard): NXDOMAIN would be a guess.
				res.Chain = append(res.Chain, answer.DNSStep{Name: cur, Type: answer.RcodeUnknown, Value: "the zone's record sets are not all in the snapshot", Source: src})
				fail(res, e.missingZoneRecords(z))
				return
			}
			if !ok {
				if !q.ptr && link != nil && strings.EqualFold(link.ResolutionPolicy, topology.ResolutionNxDomainRedirect) {
					res.Chain = append(res.Chain, answer.DNSStep{Name: cur, Type: "NXDOMAIN", Value: "redirected to public resolution", Source: src + ", resolutionPolicy NxDomainRedirect"})
					e.publicAnswer(res, cur)
					return
				}
				res.Zone = z.ID
				res.Chain = append(res.Chain, answer.DNSStep{Name: cur, Type: "NXDOMAIN", Value: "no record", Source: src})
				rel := relName(cur, z.Name)
				var fix *answer.Fix
				if q.ptr {
					fix = e.fixPTRRecord(z, rel, q)
				} else {
					fix = e.fixNXDomain(z, link, rel, res.Expected)
				}
				b := dnsFail(answer.CauseDNSNXDomain, map[string]string{"name": cur, "zone": z.Name, "vnet": v.Name, "record": rel}, fix)
				b.Resource = z.ID
				fail(res, b)
				return
			}
			switch rec.Type {
			case "CNAME":
				res.Chain = append(res.Chain, answer.DNSStep{Name: cur, Type: "CNAME", Value: rec.CNAME, Source: src})
				cur = rec.CNAME
				continue
			case "PTR":
				res.Chain = append(res.Chain, answer.DNSStep{Name: cur, Type: "PTR", Value: strings.Join(rec.PTRs, ","), Source: src})
				res.Names = slices.Clone(rec.PTRs)
				res.Rcode, res.Zone = NoError, z.ID
				return
			default:
				var as []string
				for _, a := range rec.Addrs {
					as = append(as, a.String())
				}
				res.Chain = append(res.Chain, answer.DNSStep{Name: cur, Type: rec.Type, Value: strings.Join(as, ","), Source: src})
				res.Addresses = as
				res.Rcode, res.Zone = NoError, z.ID
				return
			}
		}
		if q.ptr {
			e.azureReverse(res, v, q, known)
			return
		}
		pl, ok, amb := e.privateLinkName(cur, q.ws)
		if amb != nil {
			fail(res, amb)
			return
		}
		if ok {
			res.Chain = append(res.Chain, answer.DNSStep{Name: cur, Type: "CNAME", Value: pl, Source: "public DNS"})
			cur = pl
			continue
		}
		if !known {
			// The VNet is not in the snapshot: the zones linked to it (and
			// so whether a private answer beats the public one) are not
			// known.
			fail(res, e.missingDNS("VNet "+v.Name+", whose DNS context answers "+cur+",", v.ID))
			return
		}
		e.publicAnswer(res, cur)
		return
	}
	fail(res, dnsFail(answer.CauseDNSCNAMELoop, map[string]string{"name": q.name}, unpatchable(answer.FixReviewDNS, v.ID, "break the CNAME loop in the private zones")))
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
	if tag == "Storage" {
		// A workspace's storage account lives in the workspace's region:
		// its public addresses are in that region's Storage tag.
		acct, _, _ := strings.Cut(res.Name, ".")
		if w := e.names().storage[acct]; w != nil && regionOf(w) != "" {
			tag = "Storage." + regionOf(w)
			res.Assumptions = append(res.Assumptions, fmt.Sprintf("storage account %s of workspace %s is taken to be in the workspace's region, %s (service tag %s)", acct, w.Name, regionOf(w), tag))
		}
	}
	res.PublicTag = tag
	v := "public address"
	if tag != "" {
		v += " (service tag " + tag + ")"
	}
	res.Chain = append(res.Chain, answer.DNSStep{Name: cur, Type: "PUBLIC", Value: v, Source: "public DNS"})
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

// findRecord looks up name in zone among the record sets of the query's
// types (A, AAAA and CNAME; PTR and CNAME for a reverse lookup): an exact
// record, else the closest wildcard ("*.x"); wild says it was a wildcard.
func findRecord(z *topology.PrivateZone, name string, ptr bool) (rec topology.DNSRecord, ok, wild bool) {
	fits := func(r *topology.DNSRecord) bool {
		if r.Type == "CNAME" {
			return true
		}
		return (r.Type == "PTR") == ptr
	}
	rel := relName(name, z.Name)
	for i := range z.Records {
		if r := &z.Records[i]; strings.EqualFold(r.Name, rel) && fits(r) {
			return *r, true, false
		}
	}
	labels := strings.Split(rel, ".")
	for i := 1; i <= len(labels); i++ {
		w := "*"
		if i < len(labels) {
			w = "*." + strings.Join(labels[i:], ".")
		}
		for j := range z.Records {
			if r := &z.Records[j]; strings.EqualFold(r.Name, w) && fits(r) {
				return *r, true, true
			}
		}
	}
	return topology.DNSRecord{}, false, false
}

// privateLinkName returns the privatelink name public DNS CNAMEs name to,
// when the name belongs to a resource with a private endpoint in the
// snapshot or a privatelink record exists for it (reference §5.2).
// Resources without a private endpoint have no such CNAME. An online
// endpoint's inference name carries no workspace: the CNAME goes to the
// workspace that owns the endpoint, which is ws when a profile asks, else
// the only workspace of the region with a private endpoint; with several
// and no ws, which one is not in the snapshot and amb says so.
func (e *Engine) privateLinkName(name string, ws *topology.Workspace) (pl string, ok bool, amb *answer.Blocker) {
	if strings.Contains(name, ".privatelink.") || strings.HasPrefix(name, "privatelink.") {
		return "", false, nil
	}
	// <endpoint>.<region>.inference.ml.azure.com → <endpoint>.<guid>.inference.<region>.privatelink.api.azureml.ms
	if rest, ok := strings.CutSuffix(name, ".inference.ml.azure.com"); ok {
		i := strings.LastIndex(rest, ".")
		if i <= 0 {
			return "", false, nil
		}
		endpoint, region := rest[:i], rest[i+1:]
		var cands []*topology.Workspace
		for w := range e.snap.Workspaces() {
			if strings.EqualFold(strings.ReplaceAll(w.Location, " ", ""), region) && w.WorkspaceID != "" && e.workspaceHasPE(w) {
				cands = append(cands, w)
			}
		}
		var w *topology.Workspace
		switch {
		case ws != nil && slices.Contains(cands, ws):
			w = ws
		case ws != nil:
			return "", false, nil // the workspace asked about has no private endpoint: the public name answers
		case len(cands) == 1:
			w = cands[0]
		case len(cands) > 1:
			var names []string
			for _, c := range cands {
				names = append(names, c.Name)
			}
			b := &answer.Blocker{Verdict: answer.Unknown, Cause: answer.CauseNotModelled,
				Data: map[string]string{"what": "which workspace owns online endpoint " + endpoint + " in " + region + " (" + strings.Join(names, ", ") + " have private endpoints; online endpoints are not in the snapshot)",
					"how": "resolve the endpoint's name from a workspace's profile, or check which workspace owns online endpoint " + endpoint},
				Fix: unpatchable(answer.FixReviewDNS, cands[0].ID, "check which workspace owns online endpoint "+endpoint)}
			b.Resource = b.Fix.Resource
			return "", false, b
		default:
			return "", false, nil
		}
		return fmt.Sprintf("%s.%s.inference.%s.privatelink.api.azureml.ms", endpoint, strings.ToLower(w.WorkspaceID), region), true, nil
	}
	for _, z := range privateLinkZones {
		label, ok := strings.CutSuffix(name, "."+z.public)
		if !ok || label == "" {
			continue
		}
		pl := label + "." + z.private
		if e.hasPrivateEndpointFor(name) || e.anyZoneHas(z.private, pl) {
			return pl, true, nil
		}
		return "", false, nil
	}
	return "", false, nil
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
	storage    map[string]*topology.Workspace        // lower-case storage account names of workspaces
	outbound   map[string]*topology.ResolverEndpoint // DNS resolver outbound endpoints by key
	inbound    []*topology.ResolverEndpoint          // every inbound endpoint, in resolver order
	// missingZones maps the names of private DNS zones the snapshot lacks
	// (that its links and record sets reference) to their IDs.
	missingZones map[string][]string
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
	if e.parent != nil {
		return e.parent.names()
	}
	e.namesOnce.Do(func() {
		ix := &nameIndex{endpoints: map[string]peAnswer{}, workspaces: map[string]*topology.Workspace{}, outbound: map[string]*topology.ResolverEndpoint{},
			storage: map[string]*topology.Workspace{}}
		for r := range e.snap.DNSResolvers() {
			for i := range r.Outbound {
				ix.outbound[r.Outbound[i].Key()] = &r.Outbound[i]
			}
			for i := range r.Inbound {
				ix.inbound = append(ix.inbound, &r.Inbound[i])
			}
		}
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
			if acct := storageAccountName(w); acct != "" && ix.storage[acct] == nil {
				ix.storage[acct] = w
			}
			for _, f := range WorkspaceFQDNs(w) {
				if rest, ok := strings.CutPrefix(f.FQDN, "*"); ok {
					ix.wsWild = append(ix.wsWild, wildWorkspace{rest, w})
				} else if _, dup := ix.workspaces[f.FQDN]; !dup {
					ix.workspaces[f.FQDN] = w
				}
			}
		}
		for _, m := range e.snap.Missing() {
			if m.Type == topology.TypePrivateZone {
				if ix.missingZones == nil {
					ix.missingZones = map[string][]string{}
				}
				zn := normFQDN(topology.NameOf(m.ID))
				ix.missingZones[zn] = append(ix.missingZones[zn], m.ID)
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
		if _, ok, _ := findRecord(z, name, false); ok {
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
// A name every workspace of a region shares (the inference name of online
// endpoints) is served by the private endpoint of ws, the workspace that
// asks, when one is given.
func (e *Engine) expectPrivate(res *Resolution, ws *topology.Workspace) {
	pa, ok := e.endpointFor(res.Name)
	if !ok {
		return
	}
	if ws != nil && strings.HasSuffix(res.Name, ".inference.ml.azure.com") && !connectsTo(pa.pe, ws) {
		pa, ok = e.workspaceEndpointFor(ws, res.Name)
		if !ok {
			return
		}
	}
	res.Endpoint = pa.pe.ID
	for _, a := range pa.addrs {
		res.Expected = append(res.Expected, a.String())
	}
}

// connectsTo reports whether a private endpoint connects to workspace w.
func connectsTo(pe *topology.PrivateEndpoint, w *topology.Workspace) bool {
	return slices.ContainsFunc(pe.Connections, func(c topology.PEConnection) bool { return topology.SameID(c.Target, w.ID) })
}

// workspaceEndpointFor returns the private endpoint of workspace w whose
// DNS configuration lists name (exactly or by a wildcard).
func (e *Engine) workspaceEndpointFor(w *topology.Workspace, name string) (peAnswer, bool) {
	for _, id := range e.snap.PrivateEndpointsFor(w.ID) {
		pe, ok := e.snap.PrivateEndpoint(id)
		if !ok {
			continue
		}
		for _, d := range pe.CustomDNSConfigs {
			f := normFQDN(d.FQDN)
			if f == name || (strings.HasPrefix(f, "*.") && strings.HasSuffix(name, f[1:])) {
				return peAnswer{pe, d.IPs}, true
			}
		}
	}
	return peAnswer{}, false
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
	data := map[string]string{"name": res.Name, "pe": pe.Name, "expected": strings.Join(res.Expected, ", "), "zone": zone,
		"vnet": dc.vnet.Name, "where": where, "client": client.Name}
	var fix *answer.Fix
	zones := e.snap.ZonesNamed(zone)
	switch {
	case zone == "":
		data["variant"] = "noZone"
		fix = unpatchable(answer.FixReviewDNS, pe.ID, "create the privatelink zone for "+res.Name)
	case len(zones) == 0:
		data["variant"] = "zoneMissing"
		fix = e.fixCreateZone(zone, plRecord(res, zone), res.Expected, pe, dc.vnet)
	default:
		data["variant"] = "notLinked"
		if dc.vnet.ID == client.ID && len(client.DNSServers) == 0 {
			data["dnsAlt"] = "true"
		}
		z, _ := e.snap.PrivateZone(zones[0])
		fix = e.fixZoneLink(z, dc.vnet)
	}
	b := dnsFail(answer.CausePrivateEndpointBypassed, data, fix)
	b.Verdict = answer.PrivateEndpointBypassed
	b.Resource = pe.ID
	fail(res, b)
}

// plRecord returns the record a private endpoint's name has in its
// privatelink zone: the label of the public CNAME's target in the zone,
// else of the name itself.
func plRecord(res *Resolution, zone string) string {
	for _, st := range res.Chain {
		if st.Type == "CNAME" && strings.HasSuffix(st.Value, "."+zone) {
			return relName(st.Value, zone)
		}
	}
	for _, z := range privateLinkZones {
		if z.private == zone {
			if label, ok := strings.CutSuffix(res.Name, "."+z.public); ok {
				return label
			}
		}
	}
	return relName(res.Name, zone)
}

// dnsFail starts the blocker of a failed resolution.
func dnsFail(c answer.Cause, data map[string]string, fix *answer.Fix) *answer.Blocker {
	return &answer.Blocker{Verdict: answer.DNSUnresolved, Cause: c, Data: data, Fix: fix, Resource: fix.Resource}
}

// fail records why a resolution fails (or bypasses a private endpoint, or
// depends on what the snapshot lacks): the blocker, its sentence and its
// fix. A failure without an rcode yet is SERVFAIL, or UNKNOWN for an
// unknown verdict.
func fail(res *Resolution, b *answer.Blocker) {
	switch {
	case b.Verdict == answer.Unknown:
		res.Rcode = answer.RcodeUnknown
	case res.Rcode == "" && b.Verdict == answer.DNSUnresolved:
		res.Rcode = ServFail
		if b.Cause == answer.CauseDNSNXDomain {
			res.Rcode = NXDomain
		}
	}
	if b.Data == nil {
		b.Data = map[string]string{}
	}
	if b.Data["name"] == "" {
		b.Data["name"] = res.Name
	}
	res.Reason = answer.Explain(*b)
	if b.Fix != nil {
		f := *b.Fix
		f.Text = answer.FixText(f, *b)
		b.Fix = &f
		res.Fixes = append(res.Fixes, f)
	}
	res.Blocker = b
}

// destKey names what an FQDN destination of a whole-subnet source depends
// on once the source reaches its DNS server: the source's VNet (the
// snapshot's), the name, the source's address families and the workspace
// asking.
type destKey struct {
	vnet *topology.VNet
	name string
	fam  famCode
	ws   *topology.Workspace
}

// famCode says which address families a set holds: 4, 6 or both (46).
type famCode uint8

// famOf is the famCode of the families a source sends from (see
// Engine.families).
func famOf(s cidr.Set) famCode {
	switch {
	case s.Is4():
		return 4
	case s.Is6():
		return 6
	}
	return 46
}

type destMemo struct {
	d   destination // d.res is the first source's; each source gets a copy with its own From
	err error
}

// sharedDNSVNet returns the VNet of a source that resolves names as every
// other such source of its VNet does, and false for one that does not. A
// whole-subnet source reaches a name's resolution only through its VNet's
// DNS context and its own path to the DNS server: when that path is open
// (or there is no server to walk to), the subnets of a VNet get the same
// resolutions but for their From. A source whose path to its server is
// blocked has the subnet in its answer, and is resolved on its own.
//
// The answer is kept in the subnet's context: a source asks it for each
// of its FQDN destinations.
func (e *Engine) sharedDNSVNet(src Source) (*topology.VNet, bool) {
	if e.opts.PerPair || src.NIC != nil || src.Addr.IsValid() {
		return nil, false
	}
	c := e.ctx(src.Subnet)
	if s := c.dnsShared.Load(); s != nil {
		return s.vnet, s.vnet != nil
	}
	v := e.dnsSharedVNet(src)
	c.dnsShared.Store(&dnsShare{v})
	return v, v != nil
}

// dnsShare is what sharedDNSVNet found for a subnet: its VNet, or nil.
type dnsShare struct{ vnet *topology.VNet }

// dnsSharedVNet works out sharedDNSVNet's answer for a whole-subnet
// source: its VNet, or nil when the source resolves on its own.
func (e *Engine) dnsSharedVNet(src Source) *topology.VNet {
	v, ok := e.snap.VNet(src.Subnet.VNet)
	if !ok {
		return nil
	}
	if dc := e.clientContextShared(v, nil); dc.fail == nil && dc.server.IsValid() {
		if why, _ := e.dnsReach(src, dc.server, 53); why != "" {
			return nil
		}
	}
	return v
}

// fqdnDestShared is fqdnDest, memoised per VNet for the sources
// sharedDNSVNet allows.
func (e *Engine) fqdnDestShared(src Source, name string, fam cidr.Set, ws *topology.Workspace) (destination, error) {
	v, ok := e.sharedDNSVNet(src)
	if !ok {
		return e.fqdnDest(src, name, fam, ws)
	}
	k := destKey{vnet: v, name: normFQDN(name), fam: famOf(fam), ws: ws}
	m, ok := e.dests.Load(k)
	if !ok {
		d, err := e.fqdnDest(src, name, fam, ws)
		if err == nil {
			d.labels, d.warnings = slices.Clip(d.labels), slices.Clip(d.warnings)
		}
		m = &destMemo{d: d, err: err}
		e.dests.Store(k, m)
	}
	if m.err != nil {
		return destination{}, m.err
	}
	d := m.d
	if d.res != nil {
		r := *d.res
		r.From = src.ID()
		d.res = &r
	}
	return d, nil
}

// fqdnDest resolves a name from the source's DNS context and turns the
// answer into a destination. ws is the workspace whose profile asks, if
// any.
func (e *Engine) fqdnDest(src Source, name string, fam cidr.Set, ws *topology.Workspace) (destination, error) {
	name = normFQDN(name)
	v, _ := e.snap.VNet(src.Subnet.VNet)
	if v == nil {
		v = &topology.VNet{Meta: topology.Meta{ID: src.Subnet.VNet, Name: topology.NameOf(src.Subnet.VNet)}}
	}
	res := e.resolve(v, &src, dnsQuery{name: name, ws: ws})
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
		d.addrs = concrete(e.intern(b.Set().Intersect(fam)))
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
	w := e.workspaceAsked(name, ws)
	if w != nil && res.Endpoint != "" && res.Blocker != nil {
		if strings.EqualFold(w.PublicNetworkAccess, topology.PublicAccessDisabled) {
			b := *res.Blocker
			b.Data = maps.Clone(b.Data)
			b.Data["workspace"] = w.Name
			td.bypass = &b
		} else {
			td.warnings = append(td.warnings, res.Reason+fmt.Sprintf("; workspace %s allows public access, so the public path was checked", w.Name))
		}
	} else if res.Endpoint != "" {
		td.warnings = append(td.warnings, res.Reason)
	}
	return td, nil
}

// workspaceAsked returns the workspace name belongs to when the profile of
// ws asks for it: the inference name of online endpoints is every
// workspace's of the region, so the asking one's; any other name is
// workspaceOf's.
func (e *Engine) workspaceAsked(name string, ws *topology.Workspace) *topology.Workspace {
	if ws != nil && strings.HasSuffix(name, ".inference.ml.azure.com") {
		return ws
	}
	return e.workspaceOf(name)
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
