package engine

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/internal/syncmap"
	"github.com/vnetpath/vnetpath/servicetags"
	"github.com/vnetpath/vnetpath/topology"
)

// Protocol is the IP protocol of a flow.
type Protocol string

// Protocols a flow may have.
const (
	TCP  Protocol = "tcp"
	UDP  Protocol = "udp"
	ICMP Protocol = "icmp"
)

// ParseProtocol reads tcp, udp, icmp or any (any case).
func ParseProtocol(s string) (Protocol, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "any", "*":
		return Any, nil
	case "tcp":
		return TCP, nil
	case "udp":
		return UDP, nil
	case "icmp":
		return ICMP, nil
	}
	return "", fmt.Errorf("engine.ParseProtocol(%q): unknown protocol (want tcp, udp, icmp or any)", s)
}

// compiledRule is an NSG rule with its address lists resolved in one
// subnet's context.
type compiledRule struct {
	rule  *topology.SecurityRule
	label string          // "nsg-name/rule-name"
	ref   *answer.RuleRef // the rule as answers name it
	self  []*compiledRule // a list of this rule alone, for verdicts it decides (appending copies it: its capacity is 1)
	src   matcher
	dst   matcher
	notes []string
	// unknown is the warning that the rule's destination names tags whose
	// prefixes are unknown (no catalog), when it does.
	unknown string
	// platform is set when the destination names an AzurePlatform* tag,
	// the only rules that filter traffic to 168.63.129.16 and
	// 169.254.169.254 (reference §3.6).
	platform bool
	// protos are the protocols the rule's protocol field covers, and
	// allSrcPorts whether its source ports cover a client's: both are
	// asked of every rule in every evaluation.
	protos      protoSet
	allSrcPorts bool
}

type compiledNSG struct {
	nsg         *topology.NSG
	rules       []compiledRule                  // one direction, by priority, default rules last
	anySrcPorts bool                            // rules match every source port (traffic to private endpoints, reference §3.8)
	in          *cidr.Interner                  // the engine's, or nil
	memo        syncmap.Map[evalKey, *evalMemo] // on the shared path
	atoms       srcAtoms                        // the atoms of its rules' sources, and evaluations memoised per atom
}

// evalKey names an evaluation of an NSG's rules by what decides it: the
// flow's interned sides (or the tags they stand for), protocol and port.
// Many checks of a source share it: names that resolve to one service tag
// or address.
type evalKey struct {
	src, dst       cidr.Key
	srcSym, dstSym string
	proto          Protocol
	port           uint16
}

// evalMemo is a memoised evaluation: its result, read-only, and the notes
// it made, in order, to be made again for every check that reuses it;
// cut is what evalCut reports of it.
type evalMemo struct {
	out   []nsgVerdict
	notes []string
	cut   bool
}

// memoKey returns the key of an evaluation, and false when a side is not
// interned (then the evaluation is not memoised).
func memoKey(in *cidr.Interner, src, dst addrs, p Protocol, port uint16) (evalKey, bool) {
	if in == nil || !in.Interned(src.set) || !in.Interned(dst.set) {
		return evalKey{}, false
	}
	return evalKey{src.set.Key(), dst.set.Key(), src.sym, dst.sym, p, port}, true
}

// internAddrs returns a with its set interned.
func internAddrs(in *cidr.Interner, a addrs) addrs {
	if a.isSym() || in.Interned(a.set) {
		return a
	}
	return concrete(in.Intern(a.set))
}

// evalShared is evalCut, memoised on the shared path: later calls with
// the same key get its result and make the same notes again. The result
// is read-only. A source that lies in one atom is cut by no rule.
func (n *compiledNSG) evalShared(src, dst addrs, p Protocol, port uint16, piece *pieceNotes) ([]nsgVerdict, bool) {
	if out, ok := n.evalAtom(src, dst, p, port, piece); ok {
		return out, false
	}
	k, ok := memoKey(n.in, src, dst, p, port)
	if !ok {
		return n.evalCut(src, dst, p, port, piece)
	}
	if m, ok := n.memo.Load(k); ok {
		for _, s := range m.notes {
			piece.add(s)
		}
		return m.out, m.cut
	}
	var rec pieceNotes
	out, cut := n.evalCut(src, dst, p, port, &rec)
	for i := range out {
		out[i].src, out[i].dst = internAddrs(n.in, out[i].src), internAddrs(n.in, out[i].dst)
	}
	n.memo.Store(k, &evalMemo{out: slices.Clip(out), notes: rec.list, cut: cut})
	for _, s := range rec.list {
		piece.add(s)
	}
	return out, cut
}

// ruleSources yields the source matchers of the NSG's rules.
func (n *compiledNSG) ruleSources(yield func(*matcher)) {
	for i := range n.rules {
		yield(&n.rules[i].src)
	}
}

// evalAtom is eval memoised per atom of the source (see atoms.go): every
// source that no rule cuts and that lies where the same rules hold it gets
// the same verdicts for a destination, each with itself as the source. It
// reports false when the evaluation cannot be memoised so.
func (n *compiledNSG) evalAtom(src, dst addrs, p Protocol, port uint16, piece *pieceNotes) ([]nsgVerdict, bool) {
	k, ok := n.atoms.key(n.in, src, dst, "", p, port, n.ruleSources)
	if !ok {
		return nil, false
	}
	eval := func(rec *pieceNotes) []nsgVerdict {
		out := n.eval(src, dst, p, port, rec)
		for i := range out {
			out[i].dst = internAddrs(n.in, out[i].dst)
		}
		return out
	}
	return memoAtom(&n.atoms, k, src, piece, eval, func(v *nsgVerdict) *addrs { return &v.src }), true
}

// nsgAt is an NSG applied at a hop: the NSG, and whether its rules match
// every source port, as they do for traffic to a private endpoint
// (reference §3.8).
type nsgAt struct {
	nsg         *topology.NSG
	anySrcPorts bool
}

// nsgKey names a compiled NSG by what it means: the NSG, the direction
// and whether source ports are ignored. It holds the NSG's ID, not a
// pointer, so that the cache of a subnet holds at most one entry per NSG,
// direction and port treatment, however many checks compile it.
type nsgKey struct {
	id          string
	dir         topology.Direction
	anySrcPorts bool
}

// compileNSG resolves the rules of an NSG for one direction in the context
// of subnet c (where VirtualNetwork and Internet get their meaning).
func (e *Engine) compileNSG(c *subnetCtx, at nsgAt, dir topology.Direction) *compiledNSG {
	nsg := at.nsg
	key := nsgKey{nsg.ID, dir, at.anySrcPorts}
	c.fwd.mu.Lock()
	defer c.fwd.mu.Unlock()
	if n, ok := c.fwd.rules[key]; ok {
		return n
	}
	n := &compiledNSG{nsg: nsg, anySrcPorts: at.anySrcPorts, in: e.in}
	all := make([]*topology.SecurityRule, 0, len(nsg.Rules)+len(nsg.DefaultRules))
	for i := range nsg.Rules {
		if nsg.Rules[i].Direction == dir {
			all = append(all, &nsg.Rules[i])
		}
	}
	slices.SortStableFunc(all, func(a, b *topology.SecurityRule) int { return cmp.Compare(a.Priority, b.Priority) })
	for i := range nsg.DefaultRules {
		if nsg.DefaultRules[i].Direction == dir {
			all = append(all, &nsg.DefaultRules[i])
		}
	}
	n.rules = make([]compiledRule, 0, len(all))
	for _, r := range all {
		cr := compiledRule{rule: r, label: nsg.Name + "/" + r.Name, protos: nsgProtos(r.Protocol), allSrcPorts: allSourcePorts(r.SourcePorts)}
		var notes []string
		cr.src = e.compileAddrs(c, r.Sources, e.asgAddrs(r.SourceASGs), servicetags.FeatureNSG, &notes)
		cr.dst = e.compileAddrs(c, r.Destinations, e.asgAddrs(r.DestinationASGs), servicetags.FeatureNSG, &notes)
		for _, a := range r.Destinations {
			if strings.HasPrefix(strings.ToLower(a.Tag), "azureplatform") {
				cr.platform = true
			}
		}
		for _, n := range notes {
			cr.notes = append(cr.notes, cr.label+": "+n)
		}
		if len(cr.dst.unknown) > 0 {
			cr.unknown = e.unknownTagsWarning(cr.label, cr.dst.unknown)
		}
		n.rules = append(n.rules, cr)
	}
	// The answers' references and the one-rule lists, in one allocation
	// each for the whole NSG.
	refs := make([]answer.RuleRef, len(n.rules))
	selfs := make([]*compiledRule, len(n.rules))
	owner := nsg.ID
	for i := range n.rules {
		cr := &n.rules[i]
		r := cr.rule
		refs[i] = answer.RuleRef{ID: r.ID, Owner: owner, Name: r.Name, Label: cr.label, Kind: answer.RuleNSG,
			Priority: r.Priority, Direction: r.Direction, Access: r.Access, Default: r.Default}
		cr.ref = &refs[i]
		selfs[i] = cr
		cr.self = selfs[i : i+1 : i+1]
	}
	c.fwd.rules[key] = n
	return n
}

// compileAddrs turns a rule's address list into a matcher. extra holds
// addresses the rule reaches otherwise (ASG members, IP groups). In an
// NSG rule (c non-nil) the virtual and platform tags take their meaning
// from subnet c (reference §3.6, §3.7); service tags expand through the
// catalog, or match by name without one, and a tag that does not support
// the use (NSG, FW) is noted.
func (e *Engine) compileAddrs(c *subnetCtx, list []topology.Address, extra cidr.Set, use servicetags.Feature, notes *[]string) matcher {
	var m matcher
	var b cidr.Builder
	for _, a := range list {
		if !a.IsTag() {
			for _, p := range a.Prefixes {
				b.AddPrefix(p)
				if p.Bits() == 0 && p.Addr().Is4() {
					m.anyPublic, m.except = true, nil
				}
			}
			continue
		}
		m = unionMatchers(m, e.tagMatcher(c, a.Tag, use, notes))
	}
	m.set = m.set.Union(b.Set()).Union(extra)
	return m
}

func (e *Engine) tagMatcher(c *subnetCtx, tag string, use servicetags.Feature, notes *[]string) matcher {
	if c != nil {
		switch {
		case strings.EqualFold(tag, servicetags.VirtualNetwork):
			return c.vnetTag
		case strings.EqualFold(tag, servicetags.Internet):
			return c.internetTag
		case strings.EqualFold(tag, servicetags.AzureLoadBalancer):
			return c.lbTag
		case strings.EqualFold(tag, "AzurePlatformDNS"), strings.EqualFold(tag, "AzurePlatformLKM"):
			return matcher{set: cidr.SetOfAddr(wireServer)}
		case strings.EqualFold(tag, "AzurePlatformIMDS"):
			return matcher{set: cidr.SetOfAddr(imds)}
		}
	}
	x := e.expandTag(tag)
	if !x.ok {
		return matcher{tags: []string{tag}, unknown: []string{tag}}
	}
	if err := e.tags.CheckUse(tag, use); err != nil {
		*notes = append(*notes, err.Error())
	}
	return matcher{set: x.set, tags: []string{tag}}
}

// asgAddrs returns the addresses of the members of application security
// groups.
func (e *Engine) asgAddrs(ids []string) cidr.Set {
	var b cidr.Builder
	for _, id := range ids {
		for _, ip := range e.snap.ASGMembers(id) {
			b.AddAddr(ip)
		}
	}
	return b.Set()
}

func unionMatchers(a, b matcher) matcher {
	out := matcher{
		set:     a.set.Union(b.set),
		tags:    append(slices.Clone(a.tags), b.tags...),
		unknown: append(slices.Clone(a.unknown), b.unknown...),
	}
	switch {
	case a.anyPublic && b.anyPublic:
		out.anyPublic = true
		for _, x := range a.except {
			if containsFold(b.except, x) {
				out.except = append(out.except, x)
			}
		}
	case a.anyPublic:
		out.anyPublic, out.except = true, slices.Clone(a.except)
	case b.anyPublic:
		out.anyPublic, out.except = true, slices.Clone(b.except)
	}
	return out
}

// protoSet is a set of the protocols a check can name.
type protoSet uint8

const (
	protoTCP protoSet = 1 << iota
	protoUDP
	protoICMP
)

// has reports whether p is in the set.
func (s protoSet) has(p Protocol) bool {
	switch p {
	case TCP:
		return s&protoTCP != 0
	case UDP:
		return s&protoUDP != 0
	case ICMP:
		return s&protoICMP != 0
	}
	return false
}

// nsgProtos returns the protocols an NSG protocol field covers, in any
// case: none for Esp and Ah.
func nsgProtos(field string) protoSet {
	switch {
	case field == "*" || field == "" || strings.EqualFold(field, "any"):
		return protoTCP | protoUDP | protoICMP
	case strings.EqualFold(field, "tcp"):
		return protoTCP
	case strings.EqualFold(field, "udp"):
		return protoUDP
	case strings.EqualFold(field, "icmp"):
		return protoICMP
	}
	return 0
}

func portsMatch(rs []cidr.PortRange, p Protocol, port uint16) bool {
	if p == ICMP || len(rs) == 0 {
		return true
	}
	return cidr.PortsContain(rs, port)
}

// allSourcePorts reports whether a rule's source ports cover any ephemeral
// port a client may use.
func allSourcePorts(rs []cidr.PortRange) bool {
	if len(rs) == 0 {
		return true
	}
	for _, r := range rs {
		if r.Lo <= 1024 && r.Hi == 65535 {
			return true
		}
	}
	return false
}

// nsgVerdict is how one NSG treats part of a flow.
type nsgVerdict struct {
	src, dst addrs
	allow    bool
	deciding []*compiledRule // the rules that decided
	label    string          // when no rule decided: what to list instead ("nsg (does not filter 168.63.129.16)")
}

// eval evaluates the NSG for a flow from src to dst, first match wins
// (reference §3.3). The flow's sides are split where rules cover them only
// in part; the result lists each part with its decision, allowed parts
// first, parts with the same decision merged.
func (n *compiledNSG) eval(src, dst addrs, p Protocol, port uint16, piece *pieceNotes) []nsgVerdict {
	out, _ := n.evalCut(src, dst, p, port, piece)
	return out
}

// evalCut is eval, and reports whether a rule covered part of the source
// and not the rest where that mattered: it decided for that part (merged
// parts no longer show it), or noted something of it.
func (n *compiledNSG) evalCut(src, dst addrs, p Protocol, port uint16, piece *pieceNotes) ([]nsgVerdict, bool) {
	type region struct{ src, dst addrs }
	// Two lists of regions, this rule's and the next's, reused rule by
	// rule: most rules match none, and a list made per rule was most of
	// what an evaluation allocated.
	var bufs [2][4]region
	regions, spare := append(bufs[0][:0], region{src, dst}), bufs[1][:0]
	var out []nsgVerdict
	cut := false
	a, single := dst.single()
	platformOnly := single && isPlatformAddr(a)
	for i := range n.rules {
		cr := &n.rules[i]
		r := cr.rule
		if platformOnly && !cr.platform {
			continue
		}
		if !cr.protos.has(p) || !portsMatch(r.DestinationPorts, p, port) {
			continue
		}
		if !n.anySrcPorts && !cr.allSrcPorts {
			piece.add(fmt.Sprintf("%s restricts source ports to %s; a client's source port is not known, so the rule was not applied", cr.label, portList(r.SourcePorts)))
			continue
		}
		next := spare[:0]
		for _, rg := range regions {
			sIn, sOut := cr.src.split(n.in, rg.src)
			if sIn.empty() {
				next = append(next, rg)
				continue
			}
			dIn, dOut := cr.dst.split(n.in, rg.dst)
			if dIn.empty() {
				next = append(next, rg)
				if rg.dst.isSym() && len(cr.dst.unknown) > 0 {
					piece.add(cr.unknown)
					cut = cut || !sOut.empty()
				}
				continue
			}
			if !sOut.empty() {
				cut = true
				next = append(next, region{sOut, rg.dst})
			}
			if !dOut.empty() {
				next = append(next, region{sIn, dOut})
			}
			for _, note := range cr.notes {
				piece.add(note)
			}
			out = append(out, nsgVerdict{src: sIn, dst: dIn, allow: r.Access == topology.AccessAllow, deciding: cr.self})
		}
		regions, spare = next, regions
		if len(regions) == 0 {
			break
		}
	}
	for _, rg := range regions { // no rule matched: platform addresses, or an NSG without its default rules
		v := nsgVerdict{src: rg.src, dst: rg.dst, allow: true}
		if platformOnly {
			v.label = n.nsg.Name + " (does not filter " + a.String() + ")"
		}
		out = append(out, v)
	}
	return mergeVerdicts(out), cut
}

// imds is the instance metadata service address.
var imds = netip.MustParseAddr("169.254.169.254")

// isPlatformAddr reports whether a is 168.63.129.16 or 169.254.169.254,
// which NSGs do not filter unless a rule names an AzurePlatform* tag.
func isPlatformAddr(a netip.Addr) bool { return a == wireServer || a == imds }

// mergeVerdicts merges parts with the same decision when one side is equal,
// so a flow splits at most into an allowed and a denied part in the common
// case.
func mergeVerdicts(vs []nsgVerdict) []nsgVerdict {
	var out []nsgVerdict
	for _, v := range vs {
		merged := false
		for i := range out {
			o := &out[i]
			if o.allow != v.allow {
				continue
			}
			switch {
			case o.src.equal(v.src) && !o.dst.isSym() && !v.dst.isSym():
				o.dst = o.dst.union(v.dst)
			case o.dst.equal(v.dst):
				o.src = o.src.union(v.src)
			default:
				continue
			}
			for _, r := range v.deciding {
				if !slices.Contains(o.deciding, r) {
					o.deciding = append(o.deciding, r)
				}
			}
			merged = true
			break
		}
		if !merged {
			out = append(out, v)
		}
	}
	slices.SortStableFunc(out, func(a, b nsgVerdict) int {
		switch {
		case a.allow == b.allow:
			return 0
		case a.allow:
			return -1
		}
		return 1
	})
	return out
}

func portList(rs []cidr.PortRange) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.String()
	}
	return strings.Join(parts, ",")
}

// pieceNotes collects notes (assumptions and warnings) during a walk without
// duplicates.
type pieceNotes struct {
	list []string
}

func (p *pieceNotes) add(s string) {
	if p == nil || s == "" {
		return
	}
	if !slices.Contains(p.list, s) {
		p.list = append(p.list, s)
	}
}
