package engine

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/servicetags"
	"github.com/vnetpath/vnetpath/topology"
)

// Any asks for a check over TCP, UDP and ICMP at once; the answer is
// reachable only when all three are.
const Any Protocol = "any"

// Query is one reachability question.
type Query struct {
	From     string   // a subnet ARM ID, "VNET/SUBNET", or an IP address in a subnet
	To       string   // an FQDN, an IP, a CIDR, a comma-separated list of them, or "tag:NAME"
	Protocol Protocol // tcp (the default), udp, icmp or any
	Port     int      // 443 when 0
	// FQDN is the name the destination is reached by when To is a tag or
	// addresses (a profile entry: "*.data.mcr.microsoft.com" for
	// tag:AzureFrontDoor.FirstParty): Azure Firewall rules see it. Tag is
	// the service tag the destination belongs to, for the answer when To
	// does not say it.
	FQDN      string
	Tag       string
	Purpose   string // what the destination is for, copied into the answer
	Reference string // the documentation the check follows, copied into the answer
	// Workspace is the workspace a profile entry belongs to, and
	// Workspaces every workspace that needs it (Workspace first); both are
	// copied into the answer. Workspace also says whose online endpoints
	// a shared inference name means.
	Workspace  string
	Workspaces []string
	// ReverseLookup asks for the reverse lookups of the addresses of
	// Workspace's private endpoints from the source
	// (Result.ReverseLookups, reference §10 item 36).
	ReverseLookup bool
}

// InputError is a question vnetpath cannot answer as asked: a source or
// destination that matches nothing or several things, or a malformed
// value. Its message speaks of the query ("source", "destination"); Arg
// lets a caller map it to its own terms (the CLI to its flags, exiting
// with status 2).
type InputError struct {
	Arg        string   // what is wrong: "from" (the source), "to" (the destination), "port", "protocol", "subnet" or "name"
	Value      string   // as given
	Msg        string   // what is wrong
	Candidates []string // what it could have meant, when ambiguous or close
}

// argNames are the words of InputError messages for its Arg values.
var argNames = map[string]string{"from": "source", "to": "destination"}

func (e *InputError) Error() string {
	what := e.Arg
	if n, ok := argNames[e.Arg]; ok {
		what = n
	}
	s := fmt.Sprintf("%s %q: %s", what, e.Value, e.Msg)
	if len(e.Candidates) > 0 {
		s += "; candidates:\n  " + strings.Join(e.Candidates, "\n  ")
	}
	return s
}

// Source is a resolved flow source: a subnet and, when the source was an
// address held by a NIC, that NIC.
type Source struct {
	Subnet *topology.Subnet
	NIC    *topology.NIC
	Addr   netip.Addr // zero when the source is the whole subnet
}

// ID returns what answers name the source by.
func (s Source) ID() string {
	if s.Addr.IsValid() {
		return s.Addr.String()
	}
	return s.Subnet.ID
}

// ResolveSource finds the source a --from value names: a subnet (ARM ID or
// VNET/SUBNET) or an IP address inside a subnet.
func (e *Engine) ResolveSource(ref string) (Source, error) {
	ref = strings.TrimSpace(ref)
	if a, err := netip.ParseAddr(ref); err == nil {
		a = a.Unmap()
		sns := e.snap.SubnetsContaining(a)
		switch len(sns) {
		case 0:
			return Source{}, &InputError{Arg: "from", Value: ref, Msg: "no subnet in the snapshot holds this address"}
		case 1:
		default:
			return Source{}, &InputError{Arg: "from", Value: ref, Msg: "several subnets hold this address; name the subnet instead", Candidates: subnetIDs(sns)}
		}
		src := Source{Subnet: sns[0], Addr: a}
		for _, o := range e.snap.OwnersOf(a) {
			if o.Kind == topology.OwnerNIC && topology.SameID(o.Subnet, sns[0].ID) {
				src.NIC, _ = e.snap.NIC(o.ID)
			}
		}
		return src, nil
	}
	sns := e.snap.FindSubnets(ref)
	switch len(sns) {
	case 1:
		return Source{Subnet: sns[0]}, nil
	case 0:
		return Source{}, &InputError{Arg: "from", Value: ref, Msg: "no subnet matches (give an ARM ID, VNET/SUBNET or an IP address)", Candidates: e.closeSubnets(ref)}
	}
	return Source{}, &InputError{Arg: "from", Value: ref, Msg: "several subnets match; give the ARM ID", Candidates: subnetIDs(sns)}
}

func subnetIDs(sns []*topology.Subnet) []string {
	out := make([]string, len(sns))
	for i, s := range sns {
		out[i] = s.ID
	}
	return out
}

// closeSubnets lists VNET/SUBNET names sharing the VNet or subnet name of
// ref, for error messages.
func (e *Engine) closeSubnets(ref string) []string {
	v, s, _ := strings.Cut(ref, "/")
	var out []string
	for sn := range e.snap.Subnets() {
		vn := topology.NameOf(sn.VNet)
		if strings.EqualFold(vn, v) || strings.EqualFold(sn.Name, s) || strings.EqualFold(sn.Name, v) {
			out = append(out, vn+"/"+sn.Name)
		}
	}
	if len(out) > 10 {
		out = out[:10]
	}
	return out
}

// WorkloadSubnets returns every subnet that can hold workloads, in ID
// order: not the platform subnets of SPEC §4 (GatewaySubnet,
// AzureFirewallSubnet, AzureFirewallManagementSubnet, AzureBastionSubnet,
// RouteServerSubnet, subnets delegated to DNS resolvers), and not a subnet
// that holds nothing but private endpoints.
func (e *Engine) WorkloadSubnets() []*topology.Subnet {
	var out []*topology.Subnet
	for sn := range e.snap.Subnets() {
		if sn.IsWorkload() && !e.onlyPrivateEndpoints(sn) {
			out = append(out, sn)
		}
	}
	return out
}

func (e *Engine) onlyPrivateEndpoints(sn *topology.Subnet) bool {
	if len(e.snap.PrivateEndpointsInSubnet(sn.ID)) == 0 {
		return false
	}
	for _, id := range e.snap.NICsInSubnet(sn.ID) {
		if n, ok := e.snap.NIC(id); ok && n.PrivateEndpoint == "" {
			return false
		}
	}
	return true
}

// destination is a resolved Query.To.
type destination struct {
	addrs      addrs
	fqdn       string
	tag        string   // the service tag the destination stands for
	labels     []string // Result.Addresses
	res        *answer.Resolution
	bypass     *answer.Blocker // a public answer that bypasses a private endpoint of a workspace refusing public access
	warnings   []string
	unresolved bool
}

// noCatalogWarning is attached to every answer whose destination is a
// service tag known only by name.
const noCatalogWarning = "no service-tag catalog was given: service tags were matched by name in routes and rules, not by their prefixes (pass --service-tags for an exact answer)"

// resolveDest turns a query's destination into addresses for a source.
func (e *Engine) resolveDest(src Source, q Query) (destination, error) {
	to := strings.TrimSpace(q.To)
	fam := e.families(src)
	if name, ok := strings.CutPrefix(to, "tag:"); ok {
		d, err := e.tagDest(src, name, fam)
		if q.FQDN != "" {
			d.fqdn = normFQDN(q.FQDN)
		}
		return d, err
	}
	if strings.Contains(to, ",") && !strings.HasPrefix(to, "tag:") {
		set, err := cidr.ParseList(to)
		if pe := (*cidr.ParseError)(nil); errors.As(err, &pe) {
			return destination{}, &InputError{Arg: "to", Value: to, Msg: pe.Msg}
		}
		return destination{addrs: concrete(e.intern(set)), labels: strings.Split(to, ",")}, nil
	}
	if cidr.IsAddress(to) {
		ps, err := cidr.Parse(to)
		if pe := (*cidr.ParseError)(nil); errors.As(err, &pe) {
			return destination{}, &InputError{Arg: "to", Value: to, Msg: pe.Msg}
		}
		set := cidr.SetOf(ps...)
		return destination{addrs: concrete(e.intern(set)), labels: []string{set.String()}}, nil
	}
	if !looksLikeFQDN(to) {
		return destination{}, &InputError{Arg: "to", Value: to, Msg: "not an FQDN, an IP, a CIDR or tag:NAME"}
	}
	ws, _ := e.snap.Workspace(q.Workspace)
	return e.fqdnDestShared(src, to, fam, ws)
}

func looksLikeFQDN(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if !strings.Contains(s, ".") || len(s) > 253 {
		return false
	}
	label := 0 // the length of the label so far
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			if label == 0 {
				return false
			}
			label = 0
		case c == '-' || c == '_' || c == '*' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			if label++; label > 63 {
				return false
			}
		default:
			return false
		}
	}
	return label > 0
}

// families returns the address families the source sends from (reference
// §10 item 39): an address's own family, or those of the source subnet's
// prefixes.
func (e *Engine) families(src Source) cidr.Set {
	if src.Addr.IsValid() {
		if src.Addr.Is4() {
			return cidr.All4()
		}
		return cidr.All6()
	}
	var has4, has6 bool
	for _, p := range src.Subnet.Prefixes {
		if p.Addr().Is4() {
			has4 = true
		} else {
			has6 = true
		}
	}
	switch {
	case has4 && has6:
		return cidr.All()
	case has6:
		return cidr.All6()
	}
	return cidr.All4()
}

// tagDest turns a service tag into a destination. A name the catalog does
// not know, or without a catalog a name the public cloud does not know
// (SPEC §4), is an *InputError listing the closest names.
func (e *Engine) tagDest(src Source, name string, fam cidr.Set) (destination, error) {
	switch {
	case strings.EqualFold(name, servicetags.VirtualNetwork):
		c := e.ctx(src.Subnet)
		return destination{addrs: concrete(e.intern(c.vnetTag.set.Intersect(fam))), tag: name, labels: []string{"tag:" + name}}, nil
	case servicetags.IsVirtual(name) || servicetags.IsPlatform(name):
		return destination{}, &InputError{Arg: "to", Value: "tag:" + name, Msg: "this tag has no fixed addresses; give an address or another tag"}
	}
	d := destination{tag: name, labels: e.tagLabel(name)}
	x := e.expandFamily(name, fam)
	switch {
	case x.ok:
		d.addrs = concrete(x.set)
		if d.addrs.empty() {
			return destination{}, &InputError{Arg: "to", Value: "tag:" + name, Msg: "the tag has no addresses of the source's address family"}
		}
	case e.tags != nil:
		return destination{}, &InputError{Arg: "to", Value: "tag:" + name, Msg: "the service-tag catalog has no such tag",
			Candidates: tagNames(e.tags.ClosestTags(name, 5))}
	case !servicetags.KnownPublicTag(name):
		return destination{}, &InputError{Arg: "to", Value: "tag:" + name,
			Msg:        "the public cloud has no such service tag (for another cloud, give its catalog with --service-tags)",
			Candidates: tagNames(servicetags.ClosestTags(name, 5))}
	default:
		d.addrs = symbolic(name)
		d.warnings = append(d.warnings, noCatalogWarning)
	}
	return d, nil
}

// tagLabel returns the Addresses of a destination given as service tag
// name, made once per name on the shared path (results share it).
func (e *Engine) tagLabel(name string) []string {
	if e.in == nil {
		return []string{"tag:" + name}
	}
	if l, ok := e.tagLabels.Load(name); ok {
		return l
	}
	l, _ := e.tagLabels.LoadOrStore(name, []string{"tag:" + name})
	return l
}

// tagNames writes service-tag names as --to takes them.
func tagNames(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "tag:" + n
	}
	return out
}

// Check answers one query.
func (e *Engine) Check(q Query) (Result, error) {
	src, err := e.ResolveSource(q.From)
	if err != nil {
		return Result{}, err
	}
	return e.CheckFrom(src, q)
}

// CheckFrom answers a query for an already resolved source (q.From is
// ignored).
func (e *Engine) CheckFrom(src Source, q Query) (Result, error) {
	return e.checkFrom(src, q, nil)
}

// checkFrom is CheckFrom. spare, when not nil, holds the walker a check
// before this one left for the next (each worker of [Engine.each] keeps
// one), and is given this check's walker once its answer is made, unless
// something may still reach it (see recycle).
func (e *Engine) checkFrom(src Source, q Query, spare **walker) (Result, error) {
	if q.Port == 0 {
		q.Port = 443
	}
	if q.Port < 0 || q.Port > 65535 {
		return Result{}, &InputError{Arg: "port", Value: fmt.Sprint(q.Port), Msg: "not a port number"}
	}
	if q.Protocol == "" {
		q.Protocol = TCP
	}
	if q.Protocol == Any {
		return e.checkAny(src, q, spare)
	}
	if q.Protocol != TCP && q.Protocol != UDP && q.Protocol != ICMP {
		return Result{}, &InputError{Arg: "protocol", Value: string(q.Protocol), Msg: "want tcp, udp, icmp or any"}
	}
	if q.Protocol == ICMP {
		// ICMP has no ports: the answer says port 0, and rules that name
		// ports do not match it.
		q.Port = 0
	}
	d, err := e.resolveDest(src, q)
	if err != nil {
		return Result{}, err
	}
	res := Result{
		Source: src.ID(), Destination: q.To, Purpose: q.Purpose, Workspace: q.Workspace, Workspaces: slices.Clone(q.Workspaces),
		FQDN: q.FQDN, ServiceTag: d.tag, Reference: q.Reference,
		Protocol: string(q.Protocol), Port: q.Port, Addresses: d.labels, DNS: d.res,
	}
	if res.ServiceTag == "" && d.res == nil {
		res.ServiceTag = q.Tag
	}

	res.Warnings = append(res.Warnings, d.warnings...)
	if d.unresolved {
		res.Verdict = answer.DNSUnresolved
		res.Reason = d.res.Reason
		res.Fixes = d.res.Fixes
		if b := d.res.Blocker; b != nil {
			res.Blockers = []answer.Blocker{*b}
			res.Verdict = b.Verdict // unknown when the answer depends on what the snapshot lacks
			res.Missing = slices.Clone(b.Missing)
		}
		res.Hops = []answer.Hop{{Node: src.Subnet.ID, Kind: answer.HopSubnet, Name: topology.ShortName(src.Subnet.ID), Action: answer.ActionBlocked,
			Steps: []answer.Step{{Type: answer.StepDNS, Action: answer.ActionBlocked, Note: d.res.Reason}}}}
		if len(res.Fixes) == 0 {
			res.Fixes = []answer.Fix{{Resource: src.Subnet.ID, Change: "none found", Kind: answer.FixReviewDNS, Text: "no single change was identified; see the reason"}}
		}
		e.annotate(&res, src, q)
		return res, nil
	}
	var w *walker
	if spare != nil && *spare != nil {
		w, *spare = *spare, nil
	} else {
		w = new(walker)
	}
	*w = walker{e: e, f: flow{proto: q.Protocol, port: uint16(q.Port), fqdn: d.fqdn, tag: d.tag}, dst: d.addrs, srcCtx: e.ctx(src.Subnet)}
	if d.tag != "" && !d.addrs.isSym() {
		fam := "46"
		switch {
		case d.addrs.set.Is4():
			fam = "4"
		case d.addrs.set.Is6():
			fam = "6"
		}
		w.dstKey = pieceKey{d.tag, fam}
	}
	k, memo := e.flowKeyOf(src, w)
	var kept *walkMemo
	if memo {
		kept = e.replayClass(k, src, w)
		if kept == nil {
			kept = e.replayWalk(k, w, src)
		}
	}
	if kept == nil {
		w.start(e.startState(src, w.srcCtx, d.addrs))
		if memo {
			kept = e.keepWalk(k, w)
		}
	}
	w.assemble(&res, d)
	kept.keepHops(src, res.Hops)
	e.annotate(&res, src, q)
	recycle(w, spare)
	return res, nil
}

// recycle clears w, whose check's answer is made, into spare for the next
// check to take, unless something may still reach it: a blocker makes its
// fix on demand with a function over the walker that found it, so a
// walker whose outcomes hold a blocker is left to the collector. Walks
// that arrived everywhere, most of an estate's, hold none. A walker is a
// tenth of what such a check allocates. (A sync.Pool in the engine would
// keep each of RunEach's segment engines, and all it memoised, for two
// more collections after its last check: 30% more memory at 10,000
// spokes.)
func recycle(w *walker, spare **walker) {
	if spare == nil {
		return
	}
	for i := range w.outcomes {
		if o := &w.outcomes[i]; len(o.st.blockers) > 0 || o.stop != nil || o.retBlock != nil {
			return
		}
	}
	*w = walker{}
	*spare = w
}

// checkAny runs TCP, UDP and ICMP and reports the first that fails, or TCP.
func (e *Engine) checkAny(src Source, q Query, spare **walker) (Result, error) {
	var first Result
	var parts []answer.Part
	for i, p := range []Protocol{TCP, UDP, ICMP} {
		q2 := q
		q2.Protocol = p
		r, err := e.checkFrom(src, q2, spare)
		if err != nil {
			return Result{}, err
		}
		parts = append(parts, answer.Part{Destinations: p.String() + " " + strings.Join(r.Addresses, ","), Verdict: r.Verdict, Reason: r.Reason})
		if i == 0 || (first.Reachable && !r.Reachable) {
			first = r
		}
	}
	// The answer is to the query: any protocol on its port, even when the
	// part that decided is ICMP, which has none (the parts say so).
	first.Protocol = string(Any)
	first.Port = q.Port
	first.Parts = append(parts, first.Parts...)
	return first, nil
}

// String returns the protocol name.
func (p Protocol) String() string { return string(p) }

// ErrNoWorkspace is returned by Profile when the snapshot holds no Azure ML
// workspace.
var ErrNoWorkspace = errors.New("the snapshot has no Azure Machine Learning workspace to build a profile for; name a destination")
