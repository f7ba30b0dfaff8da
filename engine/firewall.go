package engine

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/servicetags"
	"github.com/vnetpath/vnetpath/topology"
)

// fwRule is a firewall rule compiled for evaluation.
type fwRule struct {
	kind      string          // Network or Application
	label     string          // "policy-or-firewall/collection/rule"
	ref       *answer.RuleRef // shared by the answers that show the rule
	name      string
	owner     *topology.FirewallPolicy      // the policy holding it; nil for classic rules
	group     *topology.RuleCollectionGroup // its rule collection group; nil for classic rules
	coll      *topology.RuleCollection
	allow     bool
	protos    []string // network: TCP, UDP, ICMP, Any
	app       []topology.AppProtocol
	src       matcher
	dst       matcher
	dstFQDNs  []string
	targets   []string // application rule target FQDNs
	fqdnTags  []string
	ports     []cidr.PortRange
	notes     []string
	needProxy bool
	// fqdnBefore (network rules): this rule or one before it names
	// destination FQDNs, so that an evaluation that stopped here may have
	// compared the flow's FQDN.
	fqdnBefore bool
}

// compiledFW is an Azure Firewall with its rules in evaluation order
// (reference §7.1): network rules, then application rules; inherited
// (base policy) collections before the child's; within a policy by rule
// collection group priority, then collection priority.
type compiledFW struct {
	in          *cidr.Interner // the engine's, or nil
	fw          *topology.Firewall
	label       string // how answers name the rule owner (policy or firewall)
	policyID    string
	policy      *topology.FirewallPolicy // the leaf policy; nil for classic rules
	dnsProxy    bool
	network     []fwRule
	app         []fwRule
	snatExempt  cidr.Set // destinations network rules do not SNAT
	publicIPs   []string
	missingPIPs []string   // IDs of its public IPs the snapshot lacks
	missing     []string   // IDs of its rules' sources the snapshot lacks: its policy, a base policy, rule collection groups, IP groups
	privateIP   cidr.Set   // the address SNAT translates to
	privateStr  string     // privateIP as answers write it
	privateAddr netip.Addr // the same address: the next hop of routes toward the firewall
	atoms       srcAtoms   // the atoms of its rules' sources, and evaluations memoised per atom (firewall_memo.go)
}

func (e *Engine) firewall(fw *topology.Firewall) *compiledFW {
	if v, ok := e.fwCache.Load(fw); ok {
		return v
	}
	v, _ := e.fwCache.LoadOrStore(fw, e.compileFirewall(fw))
	return v
}

func (e *Engine) compileFirewall(fw *topology.Firewall) *compiledFW {
	c := &compiledFW{in: e.in, fw: fw, label: fw.Name, dnsProxy: fw.DNSProxy}
	snatRanges := fw.SNATPrivateRanges
	type coll struct {
		owner  string
		policy *topology.FirewallPolicy
		group  *topology.RuleCollectionGroup
		rc     *topology.RuleCollection
	}
	var colls []coll
	if fw.Policy != "" {
		var chain []*topology.FirewallPolicy
		seen := map[string]bool{}
		for id := fw.Policy; id != "" && !seen[topology.Key(id)]; {
			seen[topology.Key(id)] = true
			p, ok := e.snap.FirewallPolicy(id)
			if !ok {
				// Missing is not empty: the policy (or a base policy) the
				// snapshot lacks holds rules (reference §10 item 38).
				c.missing = append(c.missing, id)
				break
			}
			chain = append([]*topology.FirewallPolicy{p}, chain...)
			id = p.BasePolicy
		}
		for _, p := range chain {
			for _, g := range p.RuleCollectionGroups {
				if !slices.ContainsFunc(p.Groups, func(x topology.RuleCollectionGroup) bool { return topology.SameID(x.ID, g) }) {
					c.missing = append(c.missing, g)
				}
			}
		}
		if len(chain) > 0 {
			leaf := chain[len(chain)-1]
			c.label, c.policyID, c.policy = leaf.Name, leaf.ID, leaf
			c.dnsProxy = leaf.DNSProxy
			snatRanges = leaf.SNATPrivateRanges
		}
		for _, p := range chain {
			groups := make([]*topology.RuleCollectionGroup, len(p.Groups))
			for i := range p.Groups {
				groups[i] = &p.Groups[i]
			}
			slices.SortStableFunc(groups, func(a, b *topology.RuleCollectionGroup) int { return cmp.Compare(a.Priority, b.Priority) })
			for _, g := range groups {
				cs := make([]*topology.RuleCollection, len(g.Collections))
				for i := range g.Collections {
					cs[i] = &g.Collections[i]
				}
				slices.SortStableFunc(cs, func(a, b *topology.RuleCollection) int { return cmp.Compare(a.Priority, b.Priority) })
				for _, rc := range cs {
					colls = append(colls, coll{p.Name + "/" + g.Name, p, g, rc})
				}
			}
		}
	} else {
		cs := make([]*topology.RuleCollection, len(fw.RuleCollections))
		for i := range fw.RuleCollections {
			cs[i] = &fw.RuleCollections[i]
		}
		slices.SortStableFunc(cs, func(a, b *topology.RuleCollection) int { return cmp.Compare(a.Priority, b.Priority) })
		for _, rc := range cs {
			colls = append(colls, coll{fw.Name, nil, nil, rc})
		}
	}
	for _, cl := range colls {
		allow := !strings.EqualFold(cl.rc.Action, "Deny")
		for _, r := range cl.rc.Rules {
			kind := r.Kind
			if kind == "" {
				kind = cl.rc.Kind
			}
			if kind != topology.RuleNetwork && kind != topology.RuleApplication {
				continue // DNAT rules concern inbound traffic to the firewall's public IPs
			}
			fr := fwRule{kind: kind, label: cl.owner + "/" + cl.rc.Name + "/" + r.Name, allow: allow,
				owner: cl.policy, group: cl.group, coll: cl.rc,
				protos: r.Protocols, app: r.AppProtocols, ports: r.DestinationPorts,
				dstFQDNs: r.DestinationFQDNs, targets: r.TargetFQDNs, fqdnTags: r.FQDNTags}
			fr.name = r.Name
			var notes []string
			fr.src = e.compileAddrs(nil, r.Sources, e.ipGroupAddrs(r.SourceIPGroups, &c.missing), servicetags.FeatureFW, &notes)
			if kind == topology.RuleNetwork {
				fr.dst = e.compileAddrs(nil, r.Destinations, e.ipGroupAddrs(r.DestinationIPGroups, &c.missing), servicetags.FeatureFW, &notes)
				if len(r.DestinationFQDNs) > 0 {
					fr.needProxy = true
				}
			} else if len(r.Destinations) > 0 {
				fr.dst = e.compileAddrs(nil, r.Destinations, cidr.Set{}, servicetags.FeatureFW, &notes)
			}
			for _, n := range notes {
				fr.notes = append(fr.notes, fr.label+": "+n)
			}
			if kind == topology.RuleNetwork {
				c.network = append(c.network, fr)
			} else {
				c.app = append(c.app, fr)
			}
		}
	}
	for i := range c.network {
		c.network[i].fqdnBefore = len(c.network[i].dstFQDNs) > 0 || i > 0 && c.network[i-1].fqdnBefore
	}
	// The answers' references to the rules, in one allocation.
	refs := make([]answer.RuleRef, 0, len(c.network)+len(c.app))
	for _, list := range [][]fwRule{c.network, c.app} {
		for i := range list {
			fr := &list[i]
			ref := answer.RuleRef{ID: fw.ID, Owner: fw.ID, Name: fr.name, Label: fr.label, Collection: fr.coll.Name,
				Kind: answer.RuleNetwork, Priority: fr.coll.Priority, Access: topology.AccessAllow}
			if fr.kind == topology.RuleApplication {
				ref.Kind = answer.RuleApplication
			}
			if !fr.allow {
				ref.Access = topology.AccessDeny
			}
			if fr.group != nil {
				ref.ID, ref.Owner, ref.Collection = fr.group.ID, fr.owner.ID, fr.group.Name+"/"+fr.coll.Name
			}
			refs = append(refs, ref)
			fr.ref = &refs[len(refs)-1]
		}
	}
	c.snatExempt = snatExemption(snatRanges)
	for _, ic := range fw.IPConfigs {
		if ic.PrivateIP.IsValid() {
			c.privateIP, c.privateAddr = e.intern(cidr.SetOfAddr(ic.PrivateIP)), ic.PrivateIP
			c.privateStr = c.privateIP.String()
			break
		}
	}
	for _, ic := range fw.IPConfigs {
		if ic.PublicIP == "" {
			continue
		}
		if p, ok := e.snap.PublicIP(ic.PublicIP); ok && p.Address.IsValid() {
			c.publicIPs = append(c.publicIPs, p.Address.String())
		} else if !ok {
			c.missingPIPs = append(c.missingPIPs, ic.PublicIP)
		}
	}
	slices.SortFunc(c.missing, func(a, b string) int { return cmp.Compare(topology.Key(a), topology.Key(b)) })
	c.missing = slices.CompactFunc(c.missing, topology.SameID)
	return c
}

// snatExemption returns the destinations whose network-rule traffic is not
// SNATed (reference §7.3): IANA private ranges by default.
func snatExemption(ranges []string) cidr.Set {
	if len(ranges) == 0 {
		return privateRanges
	}
	var b cidr.Builder
	for _, r := range ranges {
		if strings.EqualFold(strings.TrimSpace(r), "IANAPrivateRanges") {
			b.AddSet(privateRanges)
			continue
		}
		ps, err := cidr.Parse(r)
		if err != nil {
			continue
		}
		for _, p := range ps {
			if p.Bits() == 32 && p.Addr() == netip.MustParseAddr("255.255.255.255") {
				continue // "always SNAT"
			}
			b.AddPrefix(p)
		}
	}
	return b.Set()
}

// ipGroupAddrs returns the addresses of IP groups, listing those the
// snapshot lacks in missing: a rule that names one is not known.
func (e *Engine) ipGroupAddrs(ids []string, missing *[]string) cidr.Set {
	var b cidr.Builder
	for _, id := range ids {
		g, ok := e.snap.IPGroup(id)
		if !ok {
			*missing = append(*missing, id)
			continue
		}
		for _, a := range g.Addresses {
			for _, p := range a.Prefixes {
				b.AddPrefix(p)
			}
		}
	}
	return b.Set()
}

func fwProtoMatches(protos []string, p Protocol) bool {
	if len(protos) == 0 {
		return true
	}
	for _, x := range protos {
		if x == "*" || strings.EqualFold(x, "any") || strings.EqualFold(x, string(p)) {
			return true
		}
	}
	return false
}

// fqdnMatches reports whether an application rule target ("*.example.com",
// "www.example.com", "*") matches name.
func fqdnMatches(pattern, name string) bool {
	pattern = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(pattern), "."))
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	switch {
	case pattern == "*":
		return true
	case strings.HasPrefix(pattern, "*."):
		return strings.HasSuffix(name, pattern[1:])
	case strings.HasPrefix(pattern, "*"):
		return strings.HasSuffix(name, pattern[1:])
	}
	return pattern == name
}

// fwDecision is how the firewall treats part of a flow.
type fwDecision struct {
	src, dst addrs
	allow    bool
	rule     *fwRule // deciding rule, nil for the default deny
	snat     bool    // the source is translated
}

// eval runs the firewall's rules over a flow (reference §7.1): network
// rules first (first match wins), then application rules for HTTP(S) and
// MSSQL when no network rule matched, else the default deny.
func (c *compiledFW) eval(src, dst addrs, fqdn string, p Protocol, port uint16, notes *pieceNotes) []fwDecision {
	out, _ := c.evalCut(src, dst, fqdn, p, port, notes)
	return out
}

// evalCut is eval, and reports whether a rule covered part of the source
// and not the rest where that mattered: it decided for that part, or
// noted something of it.
func (c *compiledFW) evalCut(src, dst addrs, fqdn string, p Protocol, port uint16, notes *pieceNotes) ([]fwDecision, bool) {
	type region struct{ src, dst addrs }
	regions := []region{{src, dst}}
	var out []fwDecision
	cut := false
	apply := func(fr *fwRule, match func(rg region) (in, srcOut, dstOut region, ok bool)) {
		var next []region
		for _, rg := range regions {
			in, so, do, ok := match(rg)
			if !ok {
				next = append(next, rg)
				continue
			}
			if !so.src.empty() {
				cut = true
				next = append(next, so)
			}
			if !do.dst.empty() {
				next = append(next, do)
			}
			for _, n := range fr.notes {
				notes.add(n)
			}
			d := fwDecision{src: in.src, dst: in.dst, allow: fr.allow, rule: fr}
			if fr.allow {
				d.snat = fr.kind == topology.RuleApplication || !c.exempt(in.dst)
			}
			out = append(out, d)
		}
		regions = next
	}
	for i := range c.network {
		fr := &c.network[i]
		if !fwProtoMatches(fr.protos, p) || !portsMatch(fr.ports, p, port) {
			continue
		}
		fqdnHit := false
		if fqdn != "" {
			for _, f := range fr.dstFQDNs {
				if fqdnMatches(f, fqdn) {
					fqdnHit = true
				}
			}
		}
		if fqdnHit && !c.dnsProxy {
			notes.add(fmt.Sprintf("%s names %s as an FQDN, which needs DNS proxy on the firewall; without it the rule does not match (reference §7.5)", fr.label, fqdn))
			fqdnHit = false
		}
		apply(fr, func(rg region) (region, region, region, bool) {
			sIn, sOut := fr.src.split(c.in, rg.src)
			if sIn.empty() {
				return region{}, region{}, region{}, false
			}
			dIn, dOut := fr.dst.split(c.in, rg.dst)
			if fqdnHit {
				dIn, dOut = rg.dst, addrs{}
			}
			if dIn.empty() {
				if rg.dst.isSym() && len(fr.dst.unknown) > 0 && tagListCovers(fr.dst.unknown, rg.dst.sym) {
					notes.add(fmt.Sprintf("%s was matched to %s by tag name; no catalog was given", fr.label, rg.dst))
					cut = cut || !sOut.empty()
				}
				return region{}, region{}, region{}, false
			}
			return region{sIn, dIn}, region{sOut, rg.dst}, region{sIn, dOut}, true
		})
		if len(regions) == 0 {
			return out, cut
		}
	}
	appPort := p == TCP
	for i := range c.app {
		fr := &c.app[i]
		if !appPort {
			break
		}
		portOK := false
		for _, ap := range fr.app {
			if ap.Port == port {
				portOK = true
			}
		}
		if !portOK {
			continue
		}
		hit := false
		for _, t := range fr.targets {
			if fqdn != "" && fqdnMatches(t, fqdn) {
				hit = true
			}
		}
		if !hit && len(fr.fqdnTags) > 0 && fqdn != "" {
			notes.add(fmt.Sprintf("%s uses FQDN tags (%s) whose names are not modelled", fr.label, strings.Join(fr.fqdnTags, ", ")))
		}
		if !hit && len(fr.dst.tags) == 0 && fr.dst.set.IsEmpty() {
			continue
		}
		apply(fr, func(rg region) (region, region, region, bool) {
			sIn, sOut := fr.src.split(c.in, rg.src)
			if sIn.empty() {
				return region{}, region{}, region{}, false
			}
			if hit {
				return region{sIn, rg.dst}, region{sOut, rg.dst}, region{}, true
			}
			dIn, dOut := fr.dst.split(c.in, rg.dst)
			if dIn.empty() {
				return region{}, region{}, region{}, false
			}
			return region{sIn, dIn}, region{sOut, rg.dst}, region{sIn, dOut}, true
		})
		if len(regions) == 0 {
			return out, cut
		}
	}
	for _, rg := range regions {
		out = append(out, fwDecision{src: rg.src, dst: rg.dst, allow: false})
	}
	return out, cut
}

// fqdnFree reports whether decisions, made by eval, hold for any FQDN of
// the flow: each came from a network rule, and no network rule up to it
// names destination FQDNs, so eval never compared the flow's FQDN (the
// default deny and application rules are reached only after every network
// rule, and match by FQDN).
func fqdnFree(decisions []fwDecision) bool {
	for _, d := range decisions {
		if d.rule == nil || d.rule.kind != topology.RuleNetwork || d.rule.fqdnBefore {
			return false
		}
	}
	return true
}

// exempt reports whether network-rule traffic to d keeps its source address.
func (c *compiledFW) exempt(d addrs) bool {
	if d.isSym() {
		return false
	}
	return c.snatExempt.ContainsSet(d.set)
}
