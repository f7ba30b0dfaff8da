package engine

import (
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/internal/syncmap"
	"github.com/vnetpath/vnetpath/servicetags"
	"github.com/vnetpath/vnetpath/topology"
)

// Engine answers reachability, route and DNS questions about one snapshot.
// It is safe for concurrent use: the snapshot and catalog are immutable and
// per-subnet results (effective routes, compiled rules) are computed once
// and shared. The zero value is not usable; call [New].
type Engine struct {
	snap *topology.Snapshot
	tags *servicetags.Catalog // nil: tags are matched by name
	opts Options

	expand    syncmap.Map[string, expansion] // by lower-case tag name
	expandFam syncmap.Map[famKey, expansion]
	fwCache   syncmap.Map[*topology.Firewall, *compiledFW]
	peByVNet  map[string][]peAddr
	peerings  map[string]map[string]*topology.Peering // VNet key -> remote VNet key -> the VNet's half
	peerExact map[[2]string]*topology.Peering         // the same by IDs as spelled

	missingSubnets map[string][]string // VNet key -> IDs of its subnets the snapshot lacks
	hasAdmin       bool                // the snapshot holds (or lacks the manager of) an AVNM security admin configuration
	hasER          bool                // the snapshot holds an ExpressRoute gateway

	namesOnce sync.Once
	nameIx    *nameIndex
	// profileChunk, when not 0, replaces the constant of that name (tests).
	profileChunk int
	// sharedFwdMin, when not 0, replaces sharedFwdPeerings (tests).
	sharedFwdMin int
	// parent is the engine a segment engine of [Engine.RunEach] was made
	// from: its name index is shared (see [Engine.names]).
	parent *Engine

	ctxs syncmap.Map[*topology.Subnet, *ctxOnce]
	fwds syncmap.Map[fwdKey, *fwdOnce]
	// sharedFwds holds, on the engine segments are made from, the
	// forwarding states whose cores the segments share (see fwdOf).
	sharedFwds syncmap.Map[fwdKey, *fwdOnce]
	// in interns the address sets a run meets again and again (service
	// tags, subnets, destinations) and computes each split of one by a
	// rule's once; nil on the per-pair path.
	in    *cidr.Interner
	fixes syncmap.Map[string, *answer.Fix]   // fixes many results share (a peering, a zone link), read-only
	reach syncmap.Map[reachKey, reachResult] // walks to DNS servers
	// resolutions memoises how Azure DNS answers in a VNet's context
	// (read-only); empty on the per-pair path.
	resolutions syncmap.Map[resolveKey, *Resolution]
	dnsCtxs     syncmap.Map[ctxKey, dnsContext] // read-only; empty on the per-pair path
	// dests memoises FQDN destinations per VNet for whole-subnet sources
	// (read-only); empty on the per-pair path.
	dests syncmap.Map[destKey, *destMemo]
	rls   syncmap.Map[rlKey, *rlMemo] // reverse lookups per VNet and workspace, the same way
	// subjectWarnings holds, on the engine segments are made from, each
	// warning that says something of one VNet or NSG rule, by its text
	// (see groupWarnings).
	subjectWarnings syncmap.Map[string, subjectWarning]
	// peWarnings holds, on the same engine, peNSGWarning per private
	// endpoint and subnet: an estate's checks arrive at each endpoint
	// thousands of times.
	peWarnings syncmap.Map[peAt, string]
	// arrivals memoises the sentences of arrivals (read-only); empty on
	// the per-pair path.
	arrivals syncmap.Map[arrivalKey, string]
	tagPfx   sync.Map  // lower-case tag name -> its expansion's prefixes, read-only
	flows    flowMemos // walks kept for a source's next checks of the same flow (flowmemo.go)
	// classes holds each subnet's class of sources (classes.go), nil for
	// one alone; empty on the per-pair path.
	classes    syncmap.Map[*topology.Subnet, *srcClass]
	classReach syncmap.Map[classReachKey, bool] // whether each member of a class reaches a DNS server
	// tagLabels holds the Addresses of a destination given as a service
	// tag, by tag name, read-only: "tag:NAME".
	tagLabels syncmap.Map[string, []string]
}

type peAddr struct {
	pe     *topology.PrivateEndpoint
	subnet *topology.Subnet
	addr   netip.Addr
}

// New returns an engine over snap. cat may be nil: then rules and routes
// that name a service tag match destinations named by that tag, and answers
// that needed the tag's prefixes say so (SPEC §3).
func New(snap *topology.Snapshot, cat *servicetags.Catalog) *Engine {
	return NewWithOptions(snap, cat, Options{})
}

// NewWithOptions returns an engine over snap with inputs beyond the
// catalog: Conditional Access named locations and a workspace's own list of
// dependencies (see [Options]).
func NewWithOptions(snap *topology.Snapshot, cat *servicetags.Catalog, opts Options) *Engine {
	e := &Engine{snap: snap, tags: cat, opts: opts, peByVNet: map[string][]peAddr{}, peerings: map[string]map[string]*topology.Peering{}}
	e.peerExact = map[[2]string]*topology.Peering{}
	if !opts.PerPair {
		e.in = cidr.NewInterner()
	}
	if e.opts.MemoVNets == 0 {
		e.opts.MemoVNets = defaultMemoVNets
	}
	for p := range snap.Peerings() {
		e.peerExact[[2]string{p.VNet, p.RemoteVNet}] = p
		if v, ok := snap.VNet(p.VNet); ok {
			e.peerExact[[2]string{v.ID, p.RemoteVNet}] = p
			if rv, ok := snap.VNet(p.RemoteVNet); ok {
				e.peerExact[[2]string{v.ID, rv.ID}] = p
			}
		}
		k := topology.Key(p.VNet)
		if e.peerings[k] == nil {
			e.peerings[k] = map[string]*topology.Peering{}
		}
		e.peerings[k][topology.Key(p.RemoteVNet)] = p
	}
	e.missingSubnets = map[string][]string{}
	for _, m := range snap.Missing() {
		switch m.Type {
		case topology.TypeSubnet:
			k := topology.Key(topology.Parent(m.ID))
			e.missingSubnets[k] = append(e.missingSubnets[k], m.ID)
		case topology.TypeNetworkManager:
			e.hasAdmin = true
		}
	}
	for range snap.SecurityAdminConfigurations() {
		e.hasAdmin = true
		break
	}
	for g := range snap.Gateways() {
		if strings.EqualFold(g.GatewayType, gatewayExpressRoute) {
			e.hasER = true
			break
		}
	}
	for pe := range snap.PrivateEndpoints() {
		sn, ok := snap.Subnet(pe.Subnet)
		if !ok {
			continue
		}
		for _, a := range privateEndpointAddrs(snap, pe) {
			k := topology.Key(sn.VNet)
			e.peByVNet[k] = append(e.peByVNet[k], peAddr{pe, sn, a})
		}
	}
	return e
}

// defaultMemoVNets is how many source VNets' worth of memoised state
// [Engine.RunEach] keeps before it starts afresh: at about half a megabyte
// per spoke VNet (its forwarding state, compiled NSGs, DNS answers and the
// address sets they intern), some 150 MB.
const defaultMemoVNets = 256

// fresh returns an engine over the same snapshot, catalog and options with
// nothing memoised, sharing only what New derived from the snapshot (and
// the name index, once built). [Engine.RunEach] answers each segment of a
// large run with one, so that what a segment memoised is freed with it.
func (e *Engine) fresh() *Engine {
	f := &Engine{snap: e.snap, tags: e.tags, opts: e.opts, peByVNet: e.peByVNet, peerings: e.peerings, peerExact: e.peerExact,
		missingSubnets: e.missingSubnets, hasAdmin: e.hasAdmin, hasER: e.hasER, parent: e}
	if !e.opts.PerPair {
		f.in = cidr.NewInterner()
	}
	return f
}

// Snapshot returns the snapshot the engine answers about.
func (e *Engine) Snapshot() *topology.Snapshot { return e.snap }

// Catalog returns the service-tag catalog, or nil.
func (e *Engine) Catalog() *servicetags.Catalog { return e.tags }

// privateEndpointAddrs returns the private addresses of a private endpoint:
// those of its NIC, else its static IP configurations and custom DNS
// configurations, sorted.
func privateEndpointAddrs(snap *topology.Snapshot, pe *topology.PrivateEndpoint) []netip.Addr {
	var out []netip.Addr
	for _, id := range pe.NICs {
		if n, ok := snap.NIC(id); ok {
			for _, c := range n.IPConfigs {
				if c.PrivateIP.IsValid() {
					out = append(out, c.PrivateIP.Unmap())
				}
			}
		}
	}
	if len(out) == 0 {
		for _, c := range pe.StaticIPs {
			if c.PrivateIP.IsValid() {
				out = append(out, c.PrivateIP.Unmap())
			}
		}
		for _, d := range pe.CustomDNSConfigs {
			for _, a := range d.IPs {
				out = append(out, a.Unmap())
			}
		}
	}
	slices.SortFunc(out, netip.Addr.Compare)
	return slices.Compact(out)
}

// expansion is a service tag resolved against the catalog.
type expansion struct {
	set cidr.Set
	ok  bool   // the catalog knows the tag
	err string // why not
}

// expandFamily returns the addresses of a service tag in the given
// families, cached.
func (e *Engine) expandFamily(name string, fam cidr.Set) expansion {
	kind := "4"
	switch {
	case fam.Equal(cidr.All()):
		kind = "46"
	case fam.Equal(cidr.All6()):
		kind = "6"
	}
	key := famKey{name, kind}
	if v, ok := e.expandFam.Load(key); ok {
		return v
	}
	x := e.expandTag(name)
	if x.ok {
		x.set = e.intern(x.set.Intersect(fam))
	}
	e.expandFam.Store(key, x)
	return x
}

// famKey names a tag's expansion in some address families.
type famKey struct{ name, families string }

// expandTag returns the addresses of a service tag. ok is false without a
// catalog or for a tag the catalog does not know.
func (e *Engine) expandTag(name string) expansion {
	if e.tags == nil {
		return expansion{err: "no service-tag catalog was given"}
	}
	key := strings.ToLower(name)
	if v, ok := e.expand.Load(key); ok {
		return v
	}
	s, err := e.tags.Expand(name)
	x := expansion{set: s, ok: err == nil}
	if err != nil {
		x.err = err.Error()
	}
	e.expand.Store(key, x)
	return x
}

// shortName returns the last part of an ARM ID for answers.
func shortName(id string) string { return topology.NameOf(id) }

// intern returns the interned copy of s, or s on the per-pair path.
func (e *Engine) intern(s cidr.Set) cidr.Set {
	if e.in == nil {
		return s
	}
	return e.in.Intern(s)
}
